@testable import IPVSTune
import XCTest

/// The readers behind doctor's observations: keepalived.conf, kube-proxy's command line, Go
/// durations, /proc/PID/cmdline.
final class DoctorParsingTests: XCTestCase {
    // MARK: keepalived.conf

    func testKeepalivedGlobalDefs() {
        let config = KeepalivedConfig.parse("""
            ! Configuration File for keepalived
            global_defs {
               router_id LVS_1   # a comment
               lvs_sync_daemon eth0 VI_1
               lvs_timeouts tcp 7200 tcpfin 120 udp 300
               net_namespace lb
            }

            virtual_server 10.1.0.100 80 {
                delay_loop 6
                persistence_timeout 60
                real_server 10.2.0.2 8080 {
                    weight 1
                }
            }
            virtual_server fwmark 7 {
            }
            """)
        XCTAssertEqual(config.lvsTimeouts, KeepalivedConfig.Timeouts(values: TimeoutUpdate(tcp: 7200, tcpfin: 120, udp: 300), line: 5, indent: "   "))
        XCTAssertTrue(config.syncDaemon)
        XCTAssertEqual(config.netNamespace, "lb")
        XCTAssertEqual(config.virtualServers, ["10.1.0.100 80", "fwmark 7"])
        XCTAssertEqual(config.problems, [])
        XCTAssertEqual(config.lvsTimeouts?.text, "lvs_timeouts tcp 7200 tcpfin 120 udp 300")
    }

    func testKeepalivedBracesAnywhereAndSubsets() {
        let glued = KeepalivedConfig.parse("global_defs{\nlvs_timeouts udp 60 }\n")
        XCTAssertEqual(glued.lvsTimeouts?.values, TimeoutUpdate(udp: 60))
        let nextLine = KeepalivedConfig.parse("global_defs\n{\n  lvs_timeouts tcpfin 30\n}\n")
        XCTAssertEqual(nextLine.lvsTimeouts?.values, TimeoutUpdate(tcpfin: 30))
        let oneLine = KeepalivedConfig.parse("global_defs { lvs_timeouts tcp 900 }\n")
        XCTAssertEqual(oneLine.lvsTimeouts?.values, TimeoutUpdate(tcp: 900))
        // The last one wins, as in keepalived.
        let twice = KeepalivedConfig.parse("global_defs {\n lvs_timeouts tcp 1\n}\nglobal_defs {\n lvs_timeouts tcp 2\n}\n")
        XCTAssertEqual(twice.lvsTimeouts?.values, TimeoutUpdate(tcp: 2))
    }

    func testKeepalivedCommentsAndNestedBlocksAreNotGlobalDefs() {
        let config = KeepalivedConfig.parse("""
            # lvs_timeouts tcp 1
            global_defs {
              ! lvs_timeouts tcp 2
              vrrp_strict
            }
            vrrp_instance VI_1 {
              lvs_timeouts tcp 3
            }
            """)
        XCTAssertNil(config.lvsTimeouts)
        XCTAssertEqual(config.problems.map(\.line), [7])
        XCTAssertTrue(config.problems[0].message.contains("outside global_defs"))
    }

    func testKeepalivedBadValuesAreProblemsAndTheRestCounts() {
        let config = KeepalivedConfig.parse("global_defs {\n lvs_timeouts tcp 2h udp 300 tcpfin 99999999 tcp_fin 5 udp\n}\n")
        XCTAssertEqual(config.lvsTimeouts?.values, TimeoutUpdate(udp: 300))
        XCTAssertEqual(config.problems.count, 4)
        XCTAssertTrue(config.problems[0].message.contains("tcp '2h' is not whole seconds"), config.problems[0].message)
        XCTAssertTrue(config.problems[2].message.contains("'tcp_fin'"), config.problems[2].message)
        XCTAssertTrue(config.problems[3].message.contains("udp has no value"), config.problems[3].message)
    }

    func testKeepalivedIncludesAreKept() {
        let config = KeepalivedConfig.parse("include /etc/keepalived/services/*.conf\n")
        XCTAssertEqual(config.includes, [KeepalivedConfig.Include(line: 1, pattern: "/etc/keepalived/services/*.conf")])
    }

    // MARK: kube-proxy

    func testKubeProxyFlagsInBothForms() {
        let flags = KubeProxyFlags.parse(["/usr/local/bin/kube-proxy", "--proxy-mode=ipvs", "--ipvs-tcp-timeout=2h0m0s",
                                          "--ipvs-tcpfin-timeout", "15s", "--v=2", "--ipvs-udp-timeout", "5m0s"])
        XCTAssertEqual(flags.timeouts, TimeoutUpdate(tcp: 7200, tcpfin: 15, udp: 300))
        XCTAssertEqual(flags.written[.tcpfin], "--ipvs-tcpfin-timeout=15s")
        XCTAssertEqual(flags.proxyMode, "ipvs")
        XCTAssertFalse(flags.setsNothing)
    }

    func testKubeProxyAsAWrapperScript() {
        // A script named kube-proxy: the kernel runs the interpreter with the script's path first.
        let flags = KubeProxyFlags.parse(["/bin/sh", "/tmp/kube-proxy", "--ipvs-tcp-timeout=900s", "--ipvs-udp-timeout", "300"])
        XCTAssertEqual(flags.timeouts.tcp, 900)
        XCTAssertNil(flags.timeouts.udp)
        XCTAssertEqual(flags.problems, ["--ipvs-udp-timeout=300 is not a Go duration such as 900s, 15m0s or 2h0m0s"])
    }

    func testKubeProxyZeroLeavesTimeoutsAloneAndFractionsAreDropped() {
        let flags = KubeProxyFlags.parse(["kube-proxy", "--ipvs-tcp-timeout=0s", "--ipvs-udp-timeout=1.9s", "--config", "/etc/kp.yaml"])
        XCTAssertEqual(flags.timeouts, TimeoutUpdate(udp: 1))
        XCTAssertEqual(flags.configFile, "/etc/kp.yaml")
        XCTAssertTrue(KubeProxyFlags.parse(["kube-proxy", "--ipvs-tcp-timeout=0"]).setsNothing)
        XCTAssertTrue(KubeProxyFlags.parse(["kube-proxy", "--proxy-mode", "iptables", "--ipvs-tcp-timeout=1h"]).setsNothing)
        XCTAssertEqual(KubeProxyFlags.parse(["kube-proxy", "--ipvs-tcp-timeout"]).problems, ["--ipvs-tcp-timeout has no value"])
    }

    func testGoDurations() {
        let cases: [(String, Double?)] = [
            ("900s", 900), ("15m0s", 900), ("2h0m0s", 7200), ("1h30m", 5400), ("1.5h", 5400), ("300ms", 0.3),
            ("0", 0), ("+5s", 5), ("-5s", -5), (".5m", 30), ("1µs", 1e-6), ("2us", 2e-6), ("10ns", 1e-8),
            ("", nil), ("15", nil), ("1x", nil), ("h", nil), ("1h-5m", nil), ("1..5s", nil), ("s5", nil),
        ]
        for (text, expected) in cases {
            let value = GoDuration.seconds(text)
            if let expected {
                XCTAssertNotNil(value, text)
                XCTAssertEqual(value ?? 0, expected, accuracy: 1e-9, text)
            } else {
                XCTAssertNil(value, text)
            }
        }
    }

    // MARK: /proc

    func testCmdlineSplitsOnNUL() {
        XCTAssertEqual(ProcessTable.cmdline(Array("kube-proxy\0--v=2\0".utf8)), ["kube-proxy", "--v=2"])
        XCTAssertEqual(ProcessTable.cmdline(Array("a\0\0b".utf8)), ["a", "", "b"])
        XCTAssertEqual(ProcessTable.cmdline([]), [])
    }

    func testProcessTableFindsByName() throws {
        let root = DoctorScratch()
        root.process(12, name: "kube-proxy", arguments: ["/bin/sh", "/tmp/kube-proxy", "--ipvs-tcp-timeout=900s"])
        root.process(3, name: "keepalived", arguments: ["/usr/sbin/keepalived", "--dont-fork"])
        root.process(40, name: "sleep", arguments: ["sleep", "1000"])
        root.write("proc/self/comm", "kube-proxy\n")  // not a pid
        let found = ProcessTable.find(["kube-proxy", "keepalived"], proc: root.at("proc"))
        XCTAssertEqual(found.map(\.pid), [3, 12])
        XCTAssertEqual(found[1].arguments, ["/bin/sh", "/tmp/kube-proxy", "--ipvs-tcp-timeout=900s"])
        XCTAssertEqual(found[1].namespacePath, root.at("proc/12/ns/net"))
    }

    func testKeepaliveSysctlsAreRead() {
        let root = DoctorScratch()
        root.write("sys/net/ipv4/tcp_keepalive_time", "600\n")
        root.write("sys/net/ipv4/tcp_keepalive_intvl", "30\n")
        XCTAssertEqual(try? TCPKeepalive.read(procSys: root.at("sys")).get(), TCPKeepalive(time: 600, interval: 30))
        guard case .failure(let problem) = TCPKeepalive.read(procSys: root.at("nothing")) else { return XCTFail("read nothing") }
        XCTAssertTrue(problem.message.hasPrefix("cannot read \(root.at("nothing"))/net/ipv4/tcp_keepalive_time: no such file"), problem.message)
    }

    // MARK: systemd

    func testBootUnitFromFilesAlone() {
        let root = DoctorScratch()
        let directories = [root.at("etc"), root.at("lib")]
        XCTAssertEqual(BootUnit.state(directories: directories), .notInstalled)
        root.write("lib/ipvstune.service", "[Unit]\n")
        XCTAssertEqual(BootUnit.state(directories: directories), .disabled(unit: root.at("lib/ipvstune.service")))
        root.link("etc/multi-user.target.wants/ipvstune.service", to: root.at("lib/ipvstune.service"))
        XCTAssertEqual(BootUnit.state(directories: directories), .enabled(link: root.at("etc/multi-user.target.wants/ipvstune.service")))
        root.link("etc/ipvstune.service", to: "/dev/null")
        XCTAssertEqual(BootUnit.state(directories: directories), .masked(path: root.at("etc/ipvstune.service")))
    }

    func testDanglingWantsLinkWithoutUnit() {
        let root = DoctorScratch()
        root.link("etc/multi-user.target.wants/ipvstune.service", to: "/nowhere/ipvstune.service")
        XCTAssertEqual(BootUnit.state(directories: [root.at("etc")]),
                       .dangling(link: root.at("etc/multi-user.target.wants/ipvstune.service")))
    }
}
