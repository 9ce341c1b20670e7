import XCTest
@testable import IPVSTune
import IPVSTuneTestSupport

/// Every report's exact text and JSON, and the print path they share.
final class ReportOutputTests: XCTestCase {
    let daemons = [SyncDaemon(role: .master, interface: "eth0", syncid: 1, maxlen: 1472, group: "224.0.0.81", port: 8848, ttl: 1),
                   SyncDaemon(role: .backup, interface: "eth1", syncid: 2)]
    let blue = NamespaceTarget(path: "/run/netns/blue")
    let gone = NamespaceTarget(path: "/run/netns/gone")
    let failure = Failure("cannot enter /run/netns/gone: No such file or directory", status: .noInput)
    let checked = ApplyOutcome(kind: .checked, before: .kernelDefaults, after: Timeouts(tcp: 7200, tcpfin: 120, udp: 60),
                               files: ["/etc/ipvstune.conf"])

    func assertReport(_ report: some Report, text: String, json: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(report.rendered(.text), text, file: file, line: line)
        XCTAssertEqual(report.rendered(.json), json, file: file, line: line)
    }

    func testGetWithSyncDaemons() {
        assertReport(TimeoutReport(Timeouts(tcp: 7200, tcpfin: 30, udp: 300), daemons: daemons), text: """
                     tcp         7200 s  (2h)      idle ESTABLISHED TCP connections
                     tcpfin        30 s  (30s)     TCP connections in FIN_WAIT
                     udp          300 s  (5m)      idle UDP flows
                     sync    master on eth0, syncid 1, group 224.0.0.81:8848
                     sync    backup on eth1, syncid 2

                     """, json:
                     #"{"tcp":7200,"tcpfin":30,"udp":300,"daemons":[{"role":"master","interface":"eth0","syncid":1,"maxlen":1472,"group":"224.0.0.81","port":8848,"ttl":1},{"role":"backup","interface":"eth1","syncid":2,"maxlen":0,"group":null,"port":null,"ttl":null}]}"# + "\n")
    }

    func testGetAllNamespaces() {
        let states = [
            PerNamespace(target: NamespaceTarget(path: nil), result: .success(NamespaceState(
                timeouts: Timeouts(tcp: 7200, tcpfin: 120, udp: 300), services: 3, daemons: daemons))),
            PerNamespace(target: blue, result: .success(NamespaceState(timeouts: .kernelDefaults, services: 0, daemons: []))),
            PerNamespace(target: gone, result: .failure(failure)),
        ]
        assertReport(NamespaceReport(states), text: """
                     NAMESPACE             TCP  TCPFIN     UDP  SERVICES
                     host                 7200     120     300         3  sync master on eth0  sync backup on eth1
                     /run/netns/blue       900     120     300         0
                     /run/netns/gone  error: cannot enter /run/netns/gone: No such file or directory

                     """, json:
                     #"{"namespaces":[{"namespace":"host","path":null,"tcp":7200,"tcpfin":120,"udp":300,"services":3,"daemons":[{"role":"master","interface":"eth0","syncid":1,"maxlen":1472,"group":"224.0.0.81","port":8848,"ttl":1},{"role":"backup","interface":"eth1","syncid":2,"maxlen":0,"group":null,"port":null,"ttl":null}],"error":null},{"namespace":"/run/netns/blue","path":"/run/netns/blue","tcp":900,"tcpfin":120,"udp":300,"services":0,"daemons":[],"error":null},{"namespace":"/run/netns/gone","path":"/run/netns/gone","error":"cannot enter /run/netns/gone: No such file or directory"}]}"# + "\n")
    }

    func testApplyAllNamespacesPrefixesLinesAndLeavesFailuresToStderr() {
        let outcomes = [
            PerNamespace(target: NamespaceTarget(path: nil), result: .success(checked)),
            PerNamespace(target: gone, result: .failure(failure)),
            PerNamespace(target: blue, result: .success(ApplyOutcome(kind: .applied, before: .kernelDefaults, after: .kernelDefaults,
                                                                     files: ["/etc/ipvstune.conf"]))),
        ]
        assertReport(NamespaceApplyReport(outcomes, paths: .system), text: """
                     host: tcp 900 -> 7200 (would change; --check changed nothing)
                     host: udp 300 -> 60 (would change; --check changed nothing)
                     /run/netns/blue: everything in place: tcp 900, tcpfin 120, udp 300

                     """, json:
                     #"{"namespaces":[{"namespace":"host","path":null,"result":"checked","changed":["tcp","udp"],"before":{"tcp":900,"tcpfin":120,"udp":300},"after":{"tcp":7200,"tcpfin":120,"udp":60},"files":["/etc/ipvstune.conf"],"error":null},{"namespace":"/run/netns/gone","path":"/run/netns/gone","error":"cannot enter /run/netns/gone: No such file or directory"},{"namespace":"/run/netns/blue","path":"/run/netns/blue","result":"applied","changed":[],"before":{"tcp":900,"tcpfin":120,"udp":300},"after":{"tcp":900,"tcpfin":120,"udp":300},"files":["/etc/ipvstune.conf"],"error":null}]}"# + "\n")
    }

    func testApplyEachResult() {
        assertReport(ApplyReport(checked, paths: .system), text: """
                     tcp 900 -> 7200 (would change; --check changed nothing)
                     udp 300 -> 60 (would change; --check changed nothing)

                     """, json:
                     #"{"result":"checked","changed":["tcp","udp"],"before":{"tcp":900,"tcpfin":120,"udp":300},"after":{"tcp":7200,"tcpfin":120,"udp":60},"files":["/etc/ipvstune.conf"]}"# + "\n")
        assertReport(ApplyReport(ApplyOutcome(kind: .noConfig, before: .kernelDefaults, after: .kernelDefaults, files: []), paths: .system),
                     text: """
                     no config: neither /etc/ipvstune.conf nor /etc/ipvstune.d/*.conf exists; nothing to apply

                     """, json:
                     #"{"result":"no-config","changed":[],"before":{"tcp":900,"tcpfin":120,"udp":300},"after":{"tcp":900,"tcpfin":120,"udp":300},"files":[]}"# + "\n")
        let files = ["/etc/ipvstune.conf", "/etc/ipvstune.d/x.conf"]
        assertReport(ApplyReport(ApplyOutcome(kind: .nothingConfigured, before: .kernelDefaults, after: .kernelDefaults, files: files),
                                 paths: .system),
                     text: """
                     the config sets no timeout (/etc/ipvstune.conf, /etc/ipvstune.d/x.conf); nothing to apply

                     """, json:
                     #"{"result":"nothing-configured","changed":[],"before":{"tcp":900,"tcpfin":120,"udp":300},"after":{"tcp":900,"tcpfin":120,"udp":300},"files":["/etc/ipvstune.conf","/etc/ipvstune.d/x.conf"]}"# + "\n")
    }

    func testServicesWithPersistenceIPv6AndFirewallMark() {
        let services = [
            VirtualService(family: .inet, proto: "TCP", address: "10.0.0.1", port: 80, firewallMark: nil, scheduler: "wlc",
                           persistenceTimeout: nil, realServers: [
                               RealServer(family: .inet, address: "10.1.0.1", port: 8080, forward: "masq", weight: 1, active: 12,
                                          inactive: 345, persistent: 0),
                               RealServer(family: .inet, address: "10.1.0.2", port: 8080, forward: "route", weight: 0, active: 0,
                                          inactive: 1, persistent: 0),
                           ]),
            VirtualService(family: .inet6, proto: "UDP", address: "2001:db8::1", port: 53, firewallMark: nil, scheduler: "rr",
                           persistenceTimeout: 360, persistenceEngine: "sip", onePacket: true, realServers: [
                               RealServer(family: .inet6, address: "2001:db8::10", port: 53, forward: "tunnel", weight: 100, active: 0,
                                          inactive: 7, persistent: 3),
                           ]),
            VirtualService(family: .inet, proto: "FWM", address: nil, port: 0, firewallMark: 7, scheduler: "sh", persistenceTimeout: 7200),
        ]
        assertReport(ServiceReport(services), text: """
                     SERVICE                           SCHEDULER  PERSISTENCE
                       -> REAL SERVER                  FORWARD   WEIGHT   ACTIVE  INACTIVE  PERSISTENT
                     TCP 10.0.0.1:80                   wlc        -
                       -> 10.1.0.1:8080                masq           1       12       345           0
                       -> 10.1.0.2:8080                route          0        0         1           0
                     UDP [2001:db8::1]:53              rr         360 s pe sip ops
                       -> [2001:db8::10]:53            tunnel       100        0         7           3
                     FWM 7                             sh         7200 s

                     """, json:
                     #"{"services":[{"name":"TCP 10.0.0.1:80","family":"inet","proto":"TCP","address":"10.0.0.1","port":80,"fwmark":null,"scheduler":"wlc","persistent":false,"persistence_timeout":null,"persistence_engine":null,"one_packet":false,"real_servers":[{"address":"10.1.0.1","port":8080,"forward":"masq","weight":1,"active":12,"inactive":345,"persistent":0},{"address":"10.1.0.2","port":8080,"forward":"route","weight":0,"active":0,"inactive":1,"persistent":0}]},{"name":"UDP [2001:db8::1]:53","family":"inet6","proto":"UDP","address":"2001:db8::1","port":53,"fwmark":null,"scheduler":"rr","persistent":true,"persistence_timeout":360,"persistence_engine":"sip","one_packet":true,"real_servers":[{"address":"2001:db8::10","port":53,"forward":"tunnel","weight":100,"active":0,"inactive":7,"persistent":3}]},{"name":"FWM 7","family":"inet","proto":null,"address":null,"port":null,"fwmark":7,"scheduler":"sh","persistent":true,"persistence_timeout":7200,"persistence_engine":null,"one_packet":false,"real_servers":[]}]}"# + "\n")
        assertReport(ServiceReport([]), text: "no virtual services\n", json: #"{"services":[]}"# + "\n")
    }

    func testDoctorGroupsTheTextButKeepsTheJSONOrder() {
        let report = DoctorReport(findings: [
            DoctorFinding(.ok, .tcpKeepalive, "a", namespace: "host"),
            DoctorFinding(.warning, .bootUnit, "b", fixes: ["systemctl enable ipvstune.service"]),
            DoctorFinding(.error, .namespace, "c", namespace: "/run/netns/blue"),
            DoctorFinding(.info, .udpTimeout, "d", namespace: "host"),
        ], groupedByNamespace: true)
        assertReport(report, text: """
                     [host]
                     ok       tcp-keepalive   a
                     info     udp-timeout     d

                     [/run/netns/blue]
                     error    namespace       c

                     [system]
                     warning  boot-unit       b
                              fix: systemctl enable ipvstune.service

                     summary: 1 error, 1 warning, 1 info, 1 ok

                     """, json:
                     #"{"findings":[{"severity":"ok","id":"tcp-keepalive","namespace":"host","message":"a","fixes":[]},{"severity":"warning","id":"boot-unit","namespace":null,"message":"b","fixes":["systemctl enable ipvstune.service"]},{"severity":"error","id":"namespace","namespace":"/run/netns/blue","message":"c","fixes":[]},{"severity":"info","id":"udp-timeout","namespace":"host","message":"d","fixes":[]}],"summary":{"error":1,"warning":1,"info":1,"ok":1},"status":1}"# + "\n")
    }

    func testGetOneTimeout() {
        assertReport(TimeoutReport(.kernelDefaults, only: .udp), text: "300\n", json: #"{"udp":300}"# + "\n")
    }

    // MARK: the print path

    func testFieldsWithoutTextAreJSONOnlyAndTextIsTextOnly() {
        struct Sample: Report {
            func print(to printer: inout Printer) {
                printer.text("heading\n")
                printer.field("shown", .number(1), text: "one")
                printer.field("hidden", .string(nil))
                printer.object("inner") { printer in printer.field("k", .bool(true), text: " yes") }
                printer.array("list") { printer in
                    printer.item(.string("a"), text: " a")
                    printer.object { printer in printer.field("b", .number(2)) }
                    printer.item(.int(-1))
                }
                printer.prefixingLines("p: ") { printer in printer.field("lines", .string("x\ny"), text: "x\n\ny\n") }
            }
        }
        XCTAssertEqual(Sample().rendered(.text), "heading\none yes ap: x\np: y\n")
        XCTAssertEqual(Sample().rendered(.json),
                       #"{"shown":1,"hidden":null,"inner":{"k":true},"list":["a",{"b":2},-1],"lines":"x\ny"}"# + "\n")
    }

    func testColumnsPadHeadingsAndCellsAlike() {
        let columns = [TextColumn("NAME", .left, width: 6), TextColumn("N", .right, width: 4), TextColumn("NOTE")]
        XCTAssertEqual(TextColumn.headings(columns), "NAME     NNOTE\n")
        XCTAssertEqual(columns.map { $0.cell("longname") }, ["longname ", "longname", "longname"])
    }

    /// Random reports of every kind: the JSON is one valid line (RFC 8259), the text ends its lines.
    func testRandomReportsGiveValidJSONAndWholeLines() {
        var random = SeededRandom.forTest()
        for _ in 0..<500 {
            let paths = random.paths()
            let reports: [any Report] = [
                TimeoutReport(random.timeouts(), daemons: random.list(max: 3) { $0.daemon() }),
                TimeoutReport(random.timeouts(), only: random.pick(TimeoutName.allCases)),
                SetOutcome(before: random.timeouts(), after: random.timeouts()),
                ApplyReport(random.applyOutcome(), paths: paths),
                NamespaceReport(random.list(max: 4) { r in PerNamespace(target: r.target(), result: r.result { r in
                    NamespaceState(timeouts: r.timeouts(), services: r.below(9), daemons: r.list(max: 2) { $0.daemon() })
                }) }),
                NamespaceApplyReport(random.list(max: 4) { r in PerNamespace(target: r.target(), result: r.result { $0.applyOutcome() }) },
                                     paths: paths),
                ServiceReport(random.list(max: 4) { $0.service() }),
                DoctorReport(findings: random.list(max: 8) { $0.finding() }, groupedByNamespace: random.flip()),
                ConfigReport(random.flip() ? nil : random.config(), paths: paths),
            ]
            for report in reports {
                let json = report.rendered(.json)
                XCTAssertTrue(json.hasSuffix("}\n") && json.filter { $0 == "\n" }.count == 1, "\(json), seed \(random.seed)")
                XCTAssertTrue(JSONCheck.isValid(Array(json.dropLast().utf8)), "\(json), seed \(random.seed)")
                let text = report.rendered(.text)
                // Bytes, not characters: a name ending in "\r" makes "\r\n" one Character.
                XCTAssertTrue(text.isEmpty || text.utf8.last == UInt8(ascii: "\n"), "\(text), seed \(random.seed)")
            }
        }
    }
}
