@testable import IPVSTune
import IPVSTuneTestSupport
import XCTest

import Glibc

final class MetricsExpositionTests: XCTestCase {
    func testFamiliesWithHelpTypeAndEscapedLabels() {
        var gauge = MetricFamily("ipvstune_x_seconds", .gauge, help: "A \\ help\nwith a newline.")
        gauge.add([("netns", #"/run/netns/a"b\c"#), ("virtual", "line\nbreak")], 900)
        gauge.add([], 0.25)
        let empty = MetricFamily("ipvstune_nothing", .counter, help: "No samples: left out.")
        XCTAssertEqual(Exposition.render([gauge, empty]), #"""
            # HELP ipvstune_x_seconds A \\ help\nwith a newline.
            # TYPE ipvstune_x_seconds gauge
            ipvstune_x_seconds{netns="/run/netns/a\"b\\c",virtual="line\nbreak"} 900
            ipvstune_x_seconds 0.25

            """#)
    }

    func testNumbers() {
        XCTAssertEqual(Exposition.number(0), "0")
        XCTAssertEqual(Exposition.number(7200), "7200")
        XCTAssertEqual(Exposition.number(1_764_443_000), "1764443000")
        XCTAssertEqual(Exposition.number(0.5), "0.5")
        XCTAssertEqual(Exposition.number(.infinity), "+Inf")
        XCTAssertEqual(Exposition.number(-.infinity), "-Inf")
        XCTAssertEqual(Exposition.number(.nan), "NaN")
    }

    func testHistogramBucketsAreCumulative() {
        var random = SeededRandom.forTest()
        var histogram = Histogram(bounds: TableCount.histogramBounds)
        var values: [Double] = []
        for _ in 0..<2000 {
            let value = Double(random.below(9000))
            values.append(value)
            histogram.observe(value)
        }
        for (bound, count) in histogram.cumulative {
            XCTAssertEqual(count, values.filter { $0 <= bound }.count, "le=\(bound) (seed \(random.seed))")
        }
        XCTAssertEqual(histogram.count, values.count)
        XCTAssertEqual(histogram.sum, values.reduce(0, +))
        var family = MetricFamily("ipvstune_h_seconds", .histogram, help: "h")
        family.add([("netns", "host")], histogram)
        let text = Exposition.render([family])
        XCTAssertTrue(text.contains("ipvstune_h_seconds_bucket{netns=\"host\",le=\"+Inf\"} 2000\n"))
        XCTAssertTrue(text.contains("ipvstune_h_seconds_count{netns=\"host\"} 2000\n"))
        XCTAssertTrue(text.contains("ipvstune_h_seconds_bucket{netns=\"host\",le=\"7200\"} "), text)
    }
}

final class TableCountTests: XCTestCase {
    func testCountsTheSampleRows() throws {
        let scratch = ConfigScratch()
        let rows = [ConnSamples.header, ConnSamples.tcp, ConnSamples.tcp, ConnSamples.udp, ConnSamples.templateNone,
                    ConnSamples.templateAssured, ConnSamples.fwmarkTemplate, ConnSamples.wrapped, "garbage", ConnSamples.ipv6]
        let path = scratch.write("ip_vs_conn", rows.joined(separator: "\n") + "\n")
        let table = try TableCount.read(path)
        let counts = table.labelled
        XCTAssertEqual(counts.entries[.init(virtual: "192.168.1.10:80", proto: "TCP", state: "ESTABLISHED")], 2)
        XCTAssertEqual(counts.entries[.init(virtual: "192.168.1.10:80", proto: "TCP", state: "CLOSE")], 1)
        XCTAssertEqual(counts.entries[.init(virtual: "10.0.0.10:53", proto: "UDP", state: "UDP")], 1)
        XCTAssertEqual(counts.entries[.init(virtual: "[2001:db8::a]:443", proto: "TCP", state: "ESTABLISHED")], 1)
        XCTAssertEqual(counts.templates[.init(virtual: "192.168.1.10:80", proto: "TCP")], 1)
        XCTAssertEqual(counts.templates[.init(virtual: "192.168.1.10:443", proto: "TCP")], 1)
        XCTAssertEqual(counts.templates[.init(virtual: "fwmark:100", proto: "IP")], 1)
        XCTAssertEqual(table.malformed, 1)
        XCTAssertEqual(table.establishedHistogram.count, 3)
        XCTAssertEqual(table.establishedHistogram.sum, 899 + 899 + 900)
    }

    func testRandomTablesAgainstACountByHand() throws {
        var random = SeededRandom.forTest()
        let virtuals: [UInt32] = [0x0A01_0064, 0x0A01_0065, 0x0A01_0066]
        let states = ["ESTABLISHED", "TIME_WAIT", "SYN_RECV", "CLOSE_WAIT", "FIN_WAIT"]
        var lines = [ConnSamples.header]
        var entries: [TableCount.EntryLabels: Int] = [:]
        var templates: [TableCount.TemplateLabels: Int] = [:]
        var expiries: [Double] = []
        for _ in 0..<5000 {
            let virtual = random.pick(virtuals)
            let udp = random.below(5) == 0
            let proto = udp ? "UDP" : "TCP"
            let template = random.below(10) == 0
            let state = template ? "NONE" : udp ? "UDP" : random.pick(states)
            let expires = random.below(8000)
            let port = template ? 0 : 1024 + random.below(60000)
            lines.append("\(pad(proto, 3)) C0A80001 \(hex(port, 4)) \(hex(Int(virtual), 8)) 0050 0A020002 1F90 \(pad(state, 11)) \(String(repeating: " ", count: 7 - String(expires).count))\(expires)")
            let text = "\(virtual >> 24).\(virtual >> 16 & 255).\(virtual >> 8 & 255).\(virtual & 255):80"
            if template {
                templates[.init(virtual: text, proto: proto), default: 0] += 1
            } else {
                entries[.init(virtual: text, proto: proto, state: state), default: 0] += 1
                if proto == "TCP" && state == "ESTABLISHED" { expiries.append(Double(expires)) }
            }
        }
        let scratch = ConfigScratch()
        let table = try TableCount.read(scratch.write("ip_vs_conn", lines.joined(separator: "\n") + "\n"))
        XCTAssertEqual(table.labelled.entries, entries, "seed \(random.seed)")
        XCTAssertEqual(table.labelled.templates, templates, "seed \(random.seed)")
        XCTAssertEqual(table.establishedHistogram.count, expiries.count)
        XCTAssertEqual(table.establishedHistogram.sum, expiries.reduce(0, +))
        var histogram = Histogram(bounds: TableCount.histogramBounds)
        for value in expiries { histogram.observe(value) }
        XCTAssertEqual(table.establishedHistogram, histogram, "seed \(random.seed)")
    }

    func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }

    func hex(_ value: Int, _ width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: width - digits.count) + digits
    }

    func testAMissingTableSaysWhy() {
        XCTAssertThrowsError(try TableCount.read("/nonexistent/ip_vs_conn")) { error in
            XCTAssertEqual((error as? Failure)?.status, .noInput)
        }
    }
}

/// Visits by pretending: the thread "is" in the namespace named while the body runs.
final class FakeNamespaces: NamespaceVisiting {
    var current: String?
    var gone: Set<String> = []

    func visit<T>(_ target: NamespaceTarget, _ body: () throws(Failure) -> T) -> Result<T, Failure> {
        if let path = target.path, gone.contains(path) {
            return .failure(Failure("network namespace '\(path)' not found", status: .noInput))
        }
        current = target.path
        defer { current = nil }
        return Result { () throws(Failure) -> T in try body() }
    }
}

final class MetricsReportTests: XCTestCase {
    let config = EffectiveConfig(files: ["/etc/ipvstune.conf"],
                                 timeouts: [.tcp: ConfigSetting(7200, at: ConfigLocation(path: "/etc/ipvstune.conf", line: 1)),
                                            .udp: ConfigSetting(300, at: ConfigLocation(path: "/etc/ipvstune.conf", line: 2))],
                                 netns: [ConfigSetting("/run/netns/a", at: ConfigLocation(path: "/etc/ipvstune.conf", line: 3))])

    func service(_ address: String, _ port: UInt16, persistence: UInt32? = nil) -> VirtualService {
        VirtualService(family: .inet, proto: "TCP", address: IPAddress(stringLiteral: address), port: port, firewallMark: nil, scheduler: "rr",
                       persistenceTimeout: persistence)
    }

    /// host (7200/120/300, the config's), a (covered, drifted), b (not covered), gone (listed, vanished).
    func collect(maxVirtual: Int = 50, check: ConfigCheck? = nil) throws -> String {
        let namespaces = FakeNamespaces()
        namespaces.gone = ["/run/netns/gone"]
        let kernels = ["host": FakeIPVS(Timeouts(tcp: 7200, tcpfin: 120, udp: 300)), "/run/netns/a": FakeIPVS(),
                       "/run/netns/b": FakeIPVS()]
        kernels["host"]!.virtualServices = [service("10.0.0.1", 80, persistence: 360), service("10.0.0.2", 80), service("10.0.0.3", 443)]
        var collector = MetricsCollector(visitor: namespaces) { () throws(Failure) -> IPVSControl in
            kernels[namespaces.current ?? "host"]!
        }
        collector.discover = { _ in [nil, "/run/netns/a", "/run/netns/b", "/run/netns/gone"].map { NamespaceTarget(path: $0) } }
        collector.configured = { $0.map { NamespaceTarget(path: $0) } }
        collector.readKeepalive = { TCPKeepalive(time: 7200, interval: 75) }
        collector.readTable = { () throws(Failure) -> TableCount in
            var table = TableCount(virtualLimit: TableCount.metricsVirtualLimit, byState: true)
            guard namespaces.current == nil else { return table }
            // 30, 20 and 10 connections, one of them 100 s from expiry, and 5 templates.
            let rows: [(Endpoint, String, Int, UInt16)] = [("10.0.0.1:80", "ESTABLISHED", 29, 1000), ("10.0.0.1:80", "ESTABLISHED", 1, 100),
                                                          ("10.0.0.2:80", "ESTABLISHED", 20, 1000), ("10.0.0.3:443", "TIME_WAIT", 10, 100),
                                                          ("10.0.0.1:80", "NONE", 5, 300)]
            for (virtual, state, count, expires) in rows {
                for index in 0..<count {
                    let client = Endpoint(IPAddress.v4(0xC0A8_0001), state == "NONE" ? 0 : UInt16(1024 + index))
                    table.add(ConnEntry(proto: "TCP", client: client, virtual: virtual, dest: "10.2.0.2:80", state: state, expires: UInt64(expires)))
                }
            }
            return table
        }
        let scrape = try collector.collect(.all, config: check ?? ConfigCheck(files: config.files, config: config, problems: []),
                                           lastApply: ApplyRecord(time: 1_764_443_000, status: 0, changed: true))
        return MetricsReport(scrape, maxVirtual: maxVirtual).text
    }

    func testEveryNamespaceWithDriftWhereTheConfigApplies() throws {
        let text = try collect()
        XCTAssertTrue(text.contains("# HELP ipvstune_timeout_seconds "))
        XCTAssertTrue(text.contains("# TYPE ipvstune_timeout_seconds gauge\n"))
        XCTAssertTrue(text.contains("ipvstune_timeout_seconds{netns=\"host\",timeout=\"tcp\"} 7200\n"))
        XCTAssertTrue(text.contains("ipvstune_timeout_seconds{netns=\"/run/netns/b\",timeout=\"tcp\"} 900\n"))
        XCTAssertTrue(text.contains("ipvstune_config_match{netns=\"host\"} 1\n"))
        XCTAssertTrue(text.contains("ipvstune_config_match{netns=\"/run/netns/a\"} 0\n"))
        XCTAssertFalse(text.contains("ipvstune_config_match{netns=\"/run/netns/b\"}"), "b is not the config's")
        XCTAssertTrue(text.contains("ipvstune_config_timeout_seconds{netns=\"/run/netns/a\",timeout=\"tcp\"} 7200\n"))
        XCTAssertFalse(text.contains("timeout=\"tcpfin\"} 120\nipvstune_config"), "tcpfin is not configured")
        XCTAssertFalse(text.contains("/run/netns/gone"), "a vanished namespace has no series")
        XCTAssertTrue(text.contains("ipvstune_scrape_errors 1\n"))
        XCTAssertTrue(text.contains("ipvstune_scrape_namespaces 3\n"))
        XCTAssertTrue(text.contains("ipvstune_service_persistence_timeout_seconds{netns=\"host\",virtual=\"10.0.0.1:80\",proto=\"TCP\"} 360\n"))
        XCTAssertTrue(text.contains("ipvstune_templates{netns=\"host\",virtual=\"10.0.0.1:80\",proto=\"TCP\"} 5\n"))
        XCTAssertTrue(text.contains("ipvstune_established_expiry_seconds_bucket{netns=\"host\",le=\"120\"} 1\n"))
        XCTAssertTrue(text.contains("ipvstune_established_expiry_seconds_count{netns=\"/run/netns/b\"} 0\n"))
        XCTAssertTrue(text.contains("ipvstune_apply_last_timestamp_seconds 1764443000\n"))
        XCTAssertTrue(text.contains("ipvstune_apply_last_success 1\n"))
        XCTAssertTrue(text.contains("ipvstune_config_valid 1\n"))
        XCTAssertTrue(text.contains("ipvstune_tcp_keepalive_time_seconds{netns=\"host\"} 7200\n"))
        XCTAssertTrue(text.contains("ipvstune_services{netns=\"host\"} 3\n"))
    }

    func testEachFamilyOnceWithHelpAndType() throws {
        var seen: [String] = []
        for line in try collect().split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let name = String(line.split(separator: " ")[2])
                XCTAssertFalse(seen.contains(name), "\(name) twice")
                seen.append(name)
            } else if !line.hasPrefix("# HELP ") {
                XCTAssertTrue(line.hasPrefix(seen.last ?? "?"), "\(line) outside its family")
            }
        }
        XCTAssertTrue(seen.allSatisfy { $0.hasPrefix("ipvstune_") })
    }

    func testTheBusiestServicesKeepTheirLabelAndTheRestIsOther() throws {
        let text = try collect(maxVirtual: 1)
        XCTAssertTrue(text.contains("ipvstune_entries{netns=\"host\",virtual=\"10.0.0.1:80\",proto=\"TCP\",state=\"ESTABLISHED\"} 30\n"))
        XCTAssertTrue(text.contains("ipvstune_entries{netns=\"host\",virtual=\"other\",proto=\"TCP\",state=\"ESTABLISHED\"} 20\n"))
        XCTAssertTrue(text.contains("ipvstune_entries{netns=\"host\",virtual=\"other\",proto=\"TCP\",state=\"TIME_WAIT\"} 10\n"))
        XCTAssertFalse(text.contains("10.0.0.2:80"))
        let none = try collect(maxVirtual: 0)
        XCTAssertFalse(none.contains("10.0.0.1:80"))
        XCTAssertTrue(none.contains("virtual=\"other\",proto=\"TCP\",state=\"ESTABLISHED\"} 50\n"))
    }

    func testABrokenConfigIsAValueNotAFailure() throws {
        let broken = ConfigCheck(files: ["/etc/ipvstune.conf"], config: nil,
                                 problems: [ConfigProblem(path: "/etc/ipvstune.conf", line: 1, "unknown key 'tcpp'")])
        let text = try collect(check: broken)
        XCTAssertTrue(text.contains("ipvstune_config_valid 0\n"))
        XCTAssertFalse(text.contains("ipvstune_config_match"))
        XCTAssertTrue(text.contains("ipvstune_timeout_seconds{netns=\"host\",timeout=\"udp\"} 300\n"))
    }

    func testTheFirstNamespaceMustAnswer() {
        let namespaces = FakeNamespaces()
        let kernel = FakeIPVS()
        kernel.failWith = EPERM
        let collector = MetricsCollector(visitor: namespaces) { () throws(Failure) -> IPVSControl in kernel }
        XCTAssertThrowsError(try collector.collect(.current, config: ConfigCheck(files: [], config: nil, problems: []), lastApply: nil)) { error in
            XCTAssertEqual((error as? Failure)?.status, .permission)
        }
    }

    func testNamedNamespaceIsLabelledByItsNameAndCovered() throws {
        let collector = MetricsCollector(visitor: FakeNamespaces()) { () throws(Failure) -> IPVSControl in FakeIPVS() }
        var withTable = collector
        withTable.readTable = { TableCount() }
        let scrape = try withTable.collect(.named("blue"), config: ConfigCheck(files: config.files, config: config, problems: []), lastApply: nil)
        let text = MetricsReport(scrape).text
        XCTAssertTrue(text.contains("ipvstune_config_match{netns=\"blue\"} 0\n"))
        XCTAssertFalse(text.contains("ipvstune_apply_last"))
    }
}

final class MetricsFilesTests: XCTestCase {
    func testTextfileReplacesAndLeavesNoTemporaryFile() throws {
        let scratch = ConfigScratch()
        let path = scratch.at("ipvstune.prom")
        try Textfile.write("a 1\n", to: path)
        try Textfile.write("a 2\n", to: path)
        XCTAssertEqual(scratch.read("ipvstune.prom"), "a 2\n")
        XCTAssertEqual(scratch.names(), ["ipvstune.prom"])
        XCTAssertEqual(scratch.status("ipvstune.prom").st_mode & 0o777, 0o644)
    }

    func testAFolderThatIsMissingOrAFileThatIsAFolderFailsAndKeepsTheOldFile() {
        let scratch = ConfigScratch()
        XCTAssertThrowsError(try Textfile.checkFolder(of: scratch.at("missing/ipvstune.prom"))) { error in
            let failure = error as? Failure
            XCTAssertEqual(failure?.status, .osError)
            XCTAssertEqual(failure?.message, "cannot write \(scratch.path)/missing/ipvstune.prom: the folder \(scratch.path)/missing does not exist: create it (node_exporter's package does), or give another path; any old file was kept")
        }
        XCTAssertThrowsError(try Textfile.write("x\n", to: scratch.at("missing/ipvstune.prom")))
        scratch.mkdir("ipvstune.prom")
        scratch.write("ipvstune.prom/keep", "old\n")
        XCTAssertThrowsError(try Textfile.write("new\n", to: scratch.at("ipvstune.prom"))) { error in
            XCTAssertTrue((error as? Failure)?.message.contains("it is a folder") ?? false, "\(error)")
        }
        XCTAssertEqual(scratch.read("ipvstune.prom/keep"), "old\n")
        XCTAssertEqual(scratch.names(), ["ipvstune.prom"], "the temporary file is gone")
    }

    func testApplyRecordRoundTrip() {
        let scratch = ConfigScratch()
        let path = scratch.at("state/last-apply")
        let record = ApplyRecord(time: 1_764_443_000, status: 78, changed: false)
        XCTAssertTrue(record.write(to: path))
        XCTAssertEqual(ApplyRecord.read(path), record)
        XCTAssertNil(ApplyRecord.read(scratch.at("none")))
        XCTAssertNil(ApplyRecord.parse("time=x\n"))
        XCTAssertFalse(record.write(to: scratch.at("no/such/folder/last-apply")))
    }

    func testWatchCountersAsCounters() {
        var counters = WatchCounters()
        let entry = { (virtual: VirtualAddress) in
            WatchEntry(proto: "TCP", state: "ESTABLISHED", client: "10.1.0.2:5000", virtual: virtual, dest: "10.2.0.2:80", timeout: 5)
        }
        counters.count(WatchEvent(kind: .idleExpiry, netns: "host", entry: entry("10.1.0.100:80")))
        counters.count(WatchEvent(kind: .idleExpiry, netns: "host", entry: entry("10.1.0.100:80")))
        counters.count(WatchEvent(kind: .templateGrace, netns: "host", entry: entry("10.1.0.101:80")))
        counters.count(WatchEvent(kind: .idleExpiry, netns: "host", entry: entry("10.1.0.102:80")))
        counters.count(WatchEvent(kind: .netnsGone, netns: "/run/netns/x"))
        let text = WatchMetrics(counters, running: false, startTime: 1_764_443_000, maxVirtual: 2).text
        XCTAssertEqual(text, """
            # HELP ipvstune_watch_idle_expiries_total ESTABLISHED TCP connections and UDP flows ipvstune watch saw IPVS forget at their idle timeout.
            # TYPE ipvstune_watch_idle_expiries_total counter
            ipvstune_watch_idle_expiries_total{netns="host",virtual="10.1.0.100:80"} 2
            ipvstune_watch_idle_expiries_total{netns="host",virtual="10.1.0.101:80"} 0
            ipvstune_watch_idle_expiries_total{netns="host",virtual="other"} 1
            # HELP ipvstune_watch_template_graces_total Persistence templates ipvstune watch saw kept past their timeout for the connections they placed.
            # TYPE ipvstune_watch_template_graces_total counter
            ipvstune_watch_template_graces_total{netns="host",virtual="10.1.0.100:80"} 0
            ipvstune_watch_template_graces_total{netns="host",virtual="10.1.0.101:80"} 1
            ipvstune_watch_template_graces_total{netns="host",virtual="other"} 0
            # HELP ipvstune_watch_running 1 while ipvstune watch runs; 0 once it has stopped.
            # TYPE ipvstune_watch_running gauge
            ipvstune_watch_running 0
            # HELP ipvstune_watch_start_time_seconds When ipvstune watch started counting from 0.
            # TYPE ipvstune_watch_start_time_seconds gauge
            ipvstune_watch_start_time_seconds 1764443000

            """)
    }
}
