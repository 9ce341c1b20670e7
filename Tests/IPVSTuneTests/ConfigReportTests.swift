@testable import IPVSTune
import IPVSTuneTestSupport
import XCTest

final class ConfigReportTests: XCTestCase {
    let paths = ConfigPaths.system
    let config = EffectiveConfig(
        files: ["/etc/ipvstune.conf", "/etc/ipvstune.d/50-fin.conf"],
        timeouts: [
            .tcp: ConfigSetting(7200, at: ConfigLocation(path: "/etc/ipvstune.conf", line: 3)),
            .tcpfin: ConfigSetting(90, at: ConfigLocation(path: "/etc/ipvstune.d/50-fin.conf", line: 1)),
        ],
        netns: [ConfigSetting("/run/netns/blue", at: ConfigLocation(path: "/etc/ipvstune.conf", line: 5))])

    func testText() {
        XCTAssertEqual(ConfigReport(config, paths: paths).rendered(.text), """
            files: /etc/ipvstune.conf /etc/ipvstune.d/50-fin.conf
            tcp         7200 s  (2h)      from /etc/ipvstune.conf:3
            tcpfin        90 s  (1m30s)   from /etc/ipvstune.d/50-fin.conf:1
            udp     not set: apply leaves the kernel's value
            netns   /run/netns/blue  from /etc/ipvstune.conf:5

            """)
    }

    func testJSON() {
        XCTAssertEqual(ConfigReport(config, paths: paths).rendered(.json),
                       #"{"configured":true,"main":"/etc/ipvstune.conf","dropins":"/etc/ipvstune.d/*.conf","files":["/etc/ipvstune.conf","/etc/ipvstune.d/50-fin.conf"],"timeouts":{"tcp":7200,"tcpfin":90,"udp":null},"sources":{"tcp":{"file":"/etc/ipvstune.conf","line":3},"tcpfin":{"file":"/etc/ipvstune.d/50-fin.conf","line":1},"udp":null},"netns":[{"path":"/run/netns/blue","source":{"file":"/etc/ipvstune.conf","line":5}}]}"# + "\n")
    }

    func testNoConfig() {
        XCTAssertEqual(ConfigReport(nil, paths: paths).rendered(.text),
                       "no config: neither /etc/ipvstune.conf nor /etc/ipvstune.d/*.conf exists\n")
        XCTAssertEqual(ConfigReport(nil, paths: paths).rendered(.json),
                       #"{"configured":false,"main":"/etc/ipvstune.conf","dropins":"/etc/ipvstune.d/*.conf","files":[],"timeouts":{"tcp":null,"tcpfin":null,"udp":null},"sources":{"tcp":null,"tcpfin":null,"udp":null},"netns":[]}"# + "\n")
    }

    func testEmptyConfigIsNotNoConfig() {
        let empty = EffectiveConfig(files: ["/etc/ipvstune.conf"])
        XCTAssertTrue(ConfigReport(empty, paths: paths).rendered(.json).hasPrefix(#"{"configured":true,"#))
        XCTAssertTrue(ConfigReport(empty, paths: paths).rendered(.text).contains("tcp     not set"))
    }

    func testFromLoadedFiles() throws {
        let scratch = ConfigScratch()
        scratch.write("ipvstune.conf", "\n\nudp = 5m\n")
        let text = ConfigReport(try ConfigLoader.load(scratch.paths), paths: scratch.paths).rendered(.text)
        XCTAssertTrue(text.contains("udp          300 s  (5m)      from \(scratch.paths.main):3\n"), text)
    }
}
