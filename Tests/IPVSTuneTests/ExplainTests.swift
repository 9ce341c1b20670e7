@testable import IPVSTune
import IPVSTuneTestSupport
import XCTest

final class ExplainTests: XCTestCase {
    let now: Int64 = 1_800_000_000
    let client = ExplainClient(.v4(0x0A01_0002))
    let host = NamespaceTarget(path: nil)

    /// Rows as /proc/net/ip_vs_conn prints them, through the reader `conns` uses.
    func entries(_ rows: String) -> [ConnEntry] {
        var entries: [ConnEntry] = []
        try! ConnReader(bytes: Array((ConnSamples.header + "\n" + rows).utf8)).forEachEntry({ entries.append($0); return true },
                                                                                           onMalformed: { XCTFail("\($0)") })
        return entries
    }

    /// A connection of 10.1.0.2:40312 to 10.1.0.100:80, placed on 10.2.0.2:8080.
    func connection(_ state: String, proto: String = "TCP", expires: UInt64) -> ConnEntry {
        entries("\(proto) 0A010002 9D78 0A010064 0050 0A020002 1F90 \(state) \(expires)")[0]
    }

    func service(_ proto: String = "TCP", address: IPAddress? = .v4(0x0A01_0064), port: UInt16 = 80, mark: UInt32? = nil,
                 persistence: UInt32? = 300, netmask: UInt32 = 0xFFFF_FFFF, family: VirtualService.Family = .inet) -> VirtualService {
        VirtualService(family: family, proto: proto, address: address, port: port, firewallMark: mark, scheduler: "rr",
                       persistenceTimeout: persistence, persistenceNetmask: netmask)
    }

    func explain(_ entry: ConnEntry, _ timeouts: Timeouts = .kernelDefaults, changes: [TimeoutName: Int64] = [:]) -> ExplainedConnection {
        ClientStory.explain(entry, timeouts: timeouts, now: now, changes: changes)
    }

    // MARK: verdicts

    func testEveryTCPStateHasItsTimeoutAndVerdict() {
        let timeouts = Timeouts(tcp: 900, tcpfin: 120, udp: 300)
        let cases: [(String, UInt64, String)] = [
            ("ESTABLISHED", 900, "forgotten in 11:40 if it stays idle; its next packet after that is answered with a reset"),
            ("FIN_WAIT", 120, "closing: removed in 1:40"),
            ("TIME_WAIT", 120, "closing: removed in 1:40"),
            ("CLOSE", 10, "closing: removed in 0:05"),
            ("CLOSE_WAIT", 60, "closing: removed in 0:40"),
            ("LAST_ACK", 30, "closing: removed in 0:10"),
            ("SYN_SENT", 120, "opening: removed in 1:40 unless the handshake goes on"),
            ("SYN_RECV", 60, "opening: removed in 0:40 unless the handshake goes on"),
            ("LISTEN", 120, "opening: removed in 1:40 unless the handshake goes on"),
            ("SYNACK", 120, "opening: removed in 1:40 unless the handshake goes on"),
        ]
        for (state, timeout, verdict) in cases {
            let left: UInt64 = state == "CLOSE" ? 5 : state == "LAST_ACK" ? 10 : state == "ESTABLISHED" ? 700 : timeout - 20
            let explained = explain(connection(state, expires: left), timeouts)
            XCTAssertEqual(explained.idle, timeout - left, state)
            XCTAssertEqual(explained.verdict, verdict, state)
        }
        let none = explain(connection("NONE", expires: 1), timeouts)
        XCTAssertEqual(none.idle, 1)
        XCTAssertEqual(none.verdict, "no TCP state yet: removed in 0:01 unless a packet settles it")
    }

    func testTheChangeableTimeoutsComeFromTheNamespace() {
        let timeouts = Timeouts(tcp: 7200, tcpfin: 30, udp: 60)
        XCTAssertEqual(explain(connection("ESTABLISHED", expires: 7000), timeouts).idle, 200)
        XCTAssertEqual(explain(connection("ESTABLISHED", expires: 7000), timeouts).verdict?.hasPrefix("forgotten in 1:56:40 if it stays idle"), true)
        XCTAssertEqual(explain(connection("FIN_WAIT", expires: 25), timeouts).idle, 5)
        let udp = explain(connection("UDP", proto: "UDP", expires: 45), timeouts)
        XCTAssertEqual(udp.idle, 15)
        XCTAssertEqual(udp.verdict, "forgotten in 0:45 if it stays idle; its next datagram after that is scheduled anew, perhaps to another real server")
    }

    func testStatesWithoutAKnownTimeoutHaveNoIdleNorVerdict() {
        let sctp = entries("SCTP 0A010002 8000 0A010064 0B59 0A020002 0B59 COOKIE_ECHOED 3")[0]
        XCTAssertEqual(explain(sctp), ExplainedConnection(entry: sctp, idle: nil, verdict: nil))
        let wrapped = connection("CLOSE", expires: 18_446_744_073_709_551)
        XCTAssertEqual(explain(wrapped).idle, nil)
        XCTAssertEqual(explain(wrapped).verdict, nil)
    }

    // MARK: idle unknown

    func testIdleIsUnknownWhenArmedUnderAnEarlierLongerTimeout() {
        let explained = explain(connection("ESTABLISHED", expires: 880), Timeouts(tcp: 5, tcpfin: 120, udp: 300))
        XCTAssertNil(explained.idle)
        XCTAssertEqual(explained.verdict, "armed under an earlier, longer tcp timeout (now 5 s): idle time unknown; forgotten in 14:40 if it stays idle; its next packet after that is answered with a reset; a packet before then re-arms it to 5 s")
        // At the timeout exactly it was armed by a packet just now.
        XCTAssertEqual(explain(connection("ESTABLISHED", expires: 5), Timeouts(tcp: 5, tcpfin: 120, udp: 300)).idle, 0)
    }

    func testIdleIsUnknownWhenTheTimeoutChangedAfterTheLastPacketMayHaveCome() {
        let entry = connection("ESTABLISHED", expires: 800)
        // idle 100: the last packet at now - 100.
        XCTAssertEqual(explain(entry, changes: [.tcp: now - 200]).idle, 100)
        XCTAssertEqual(explain(entry, changes: [.tcp: now - 101]).idle, 100, "a second of slack for whole seconds")
        let changedSince = explain(entry, changes: [.tcp: now - 50])
        XCTAssertNil(changedSince.idle)
        XCTAssertEqual(changedSince.verdict, "forgotten in 13:20 if it stays idle; its next packet after that is answered with a reset; idle time unknown: the tcp timeout was changed after its last packet may have come")
        // Another timeout's change says nothing about this entry.
        XCTAssertEqual(explain(entry, changes: [.udp: now - 10, .tcpfin: now - 10]).idle, 100)
        XCTAssertNil(explain(connection("FIN_WAIT", expires: 100), changes: [.tcpfin: now - 5]).idle)
        XCTAssertNil(explain(connection("UDP", proto: "UDP", expires: 200), changes: [.udp: now - 5]).idle)
        // The kernel's fixed timeouts never change.
        XCTAssertEqual(explain(connection("TIME_WAIT", expires: 100), changes: [.tcp: now - 5, .tcpfin: now - 5]).idle, 20)
    }

    // MARK: templates

    func testTemplatesAreMatchedUnderTheirServicesNetmask() {
        // 255.255.255.0 as the kernel's bytes; 10.1.0.0 is the template of every 10.1.0.x.
        let netmask = UInt32(0xFFFF_FF00).bigEndian
        let masked = service(netmask: netmask)
        let exact = service(port: 443)
        let table = entries("""
            TCP 0A010000 0000 0A010064 0050 0A020002 1F90 NONE 250
            TCP 0A010000 0000 0A010064 01BB 0A020003 01BB NONE 250
            TCP 0A010002 0000 0A010064 01BB 0A020002 01BB NONE 240
            TCP 0A010003 0000 0A010064 01BB 0A020003 01BB NONE 240
            TCP 0A010102 0000 0A010064 0050 0A020003 1F90 NONE 250
            """)
        let story = ClientStory.build(client: client, target: host, entries: table, services: [masked, exact],
                                      timeouts: .kernelDefaults, now: now)
        XCTAssertEqual(story.templates.map { "\($0.entry.virtualAddress) \($0.entry.dest) \($0.persistence ?? 0)" },
                       ["10.1.0.100:80 10.2.0.2:8080 300", "10.1.0.100:443 10.2.0.2:443 300"])
        XCTAssertTrue(story.connections.isEmpty)
    }

    func testFirewallMarkAndIPv6Templates() {
        let v6client = ExplainClient(IPAddress(parsing: "fd01::2")!)
        let table = entries("""
            IP  0A010002 0000 00000007 0000 0A020002 0000 ASSURED 280
            TCP fd01:0000:0000:0000:0000:0000:0000:0000 0000 fd01:0000:0000:0000:0000:0000:0000:0100 0050 fd02:0000:0000:0000:0000:0000:0000:0002 1F90 NONE 100
            """)
        let fwmark = service("FWM", address: nil, port: 0, mark: 7, persistence: 600)
        let story = ClientStory.build(client: client, target: host, entries: table, services: [fwmark], timeouts: .kernelDefaults, now: now)
        XCTAssertEqual(story.templates.map { "\($0.entry.virtualAddress) \($0.entry.dest) \($0.persistence ?? 0)" }, ["fwmark:7 10.2.0.2:0 600"])
        XCTAssertTrue(story.templates[0].meaning.hasPrefix("new connections from this client go to 10.2.0.2 and each re-arms it to 600 s;"), story.templates[0].meaning)
        let v6 = service(address: IPAddress(parsing: "fd01::100")!, netmask: 64, family: .inet6)
        let v6story = ClientStory.build(client: v6client, target: host, entries: table, services: [v6], timeouts: .kernelDefaults, now: now)
        XCTAssertEqual(v6story.templates.map { $0.entry.dest.description }, ["[fd02::2]:8080"])
        // Without the service (templates outlive it) only the exact address matches.
        XCTAssertTrue(ClientStory.build(client: v6client, target: host, entries: table, services: [], timeouts: .kernelDefaults, now: now).isEmpty)
    }

    // MARK: the story

    func testConnectionsOfOtherClientsAndPortsAreLeftOut() throws {
        let table = entries("""
            TCP 0A010002 9D78 0A010064 0050 0A020002 1F90 ESTABLISHED 888
            TCP 0A010002 9D79 0A010064 0050 0A020002 1F90 TIME_WAIT 100
            TCP 0A010003 9D78 0A010064 0050 0A020002 1F90 ESTABLISHED 888
            """)
        let all = ClientStory.build(client: client, target: host, entries: table, services: [], timeouts: .kernelDefaults, now: now)
        XCTAssertEqual(all.connections.map(\.entry.client.port), [40312, 40313])
        let one = ClientStory.build(client: try ExplainClient(parsing: "10.1.0.2:40313"), target: host, entries: table, services: [],
                                    timeouts: .kernelDefaults, now: now)
        XCTAssertEqual(one.connections.map(\.entry.state), ["TIME_WAIT"])
    }

    func testAdviceWhenAConnectionIdledMoreThanHalfTheTCPTimeout() {
        let busy = ClientStory.build(client: client, target: host, entries: [connection("ESTABLISHED", expires: 460)],
                                     services: [], timeouts: .kernelDefaults, now: now)
        XCTAssertNil(busy.advice, "idle 440 s of 900 s")
        let idle = ClientStory.build(client: client, target: host, entries: [connection("ESTABLISHED", expires: 440)],
                                     services: [], timeouts: .kernelDefaults, now: now, keepalive: TCPKeepalive(time: 7200, interval: 75))
        XCTAssertEqual(idle.advice?.check, .tcpKeepalive)
        XCTAssertEqual(idle.advice?.severity, .warning)
        XCTAssertEqual(idle.advice?.fixes, ["ipvstune set --tcp 7275 --save"])
        let netns = ClientStory.build(client: client, target: NamespaceTarget(path: "/run/netns/blue"), entries: [connection("ESTABLISHED", expires: 440)],
                                      services: [], timeouts: .kernelDefaults, now: now, keepalive: TCPKeepalive(time: 1200, interval: 30))
        XCTAssertEqual(netns.advice?.fixes, ["ipvstune set --netns /run/netns/blue --tcp 1230"])
        let probed = ClientStory.build(client: client, target: host, entries: [connection("ESTABLISHED", expires: 440)],
                                       services: [], timeouts: .kernelDefaults, now: now, keepalive: TCPKeepalive(time: 600, interval: 30))
        XCTAssertEqual(probed.advice?.severity, .ok, "tcp 900 s above the keepalive time 600 s")
        let closing = ClientStory.build(client: client, target: host, entries: [connection("FIN_WAIT", expires: 1)],
                                        services: [], timeouts: .kernelDefaults, now: now)
        XCTAssertNil(closing.advice, "only ESTABLISHED TCP connections idle")
    }

    func testTextAndJSONComeFromTheSameValues() {
        let table = entries("""
            TCP 0A010002 0000 0A010064 0050 0A020002 1F90 NONE 298
            TCP 0A010002 9D78 0A010064 0050 0A020002 1F90 ESTABLISHED 888
            TCP 0A010002 9D79 0A010064 0050 0A020002 1F90 TIME_WAIT 107
            """)
        let story = ClientStory.build(client: client, target: host, entries: table, services: [service()],
                                      timeouts: .kernelDefaults, now: now)
        XCTAssertEqual(story.rendered(.text), """
            client 10.1.0.2 in namespace host
            timeouts: tcp 900, tcpfin 120, udp 300 (seconds)
            persistence templates:
              10.1.0.100:80 -> 10.2.0.2:8080  expires 4:58  persistence 300 s: new connections from this client go to 10.2.0.2:8080 and each re-arms it to 300 s; when it runs out while connections it placed still live, the kernel keeps it 60 s at a time until they end (the one-minute grace), so the client stays on 10.2.0.2:8080
            connections:
              TCP ESTABLISHED 10.1.0.2:40312 -> 10.1.0.100:80 -> 10.2.0.2:8080  expires 14:48  idle 12 s: forgotten in 14:48 if it stays idle; its next packet after that is answered with a reset
              TCP TIME_WAIT 10.1.0.2:40313 -> 10.1.0.100:80 -> 10.2.0.2:8080  expires 1:47  idle 13 s: closing: removed in 1:47

            """)
        XCTAssertEqual(story.rendered(.json), #"{"client":"10.1.0.2","netns":"host","timeouts":{"tcp":900,"tcpfin":120,"udp":300},"templates":[{"virtual":"10.1.0.100:80","dest":"10.2.0.2:8080","expires":298,"persistence":300}],"connections":[{"proto":"TCP","state":"ESTABLISHED","client":"10.1.0.2:40312","virtual":"10.1.0.100:80","dest":"10.2.0.2:8080","expires":888,"idle":12,"verdict":"forgotten in 14:48 if it stays idle; its next packet after that is answered with a reset"},{"proto":"TCP","state":"TIME_WAIT","client":"10.1.0.2:40313","virtual":"10.1.0.100:80","dest":"10.2.0.2:8080","expires":107,"idle":13,"verdict":"closing: removed in 1:47"}]}"# + "\n")
    }

    func testAClientWithoutEntries() {
        let story = ClientStory.build(client: ExplainClient(.v4(0x0A01_0007)), target: host, entries: entries(""), services: [],
                                      timeouts: .kernelDefaults, now: now)
        XCTAssertEqual(story.rendered(.text), "no IPVS entries for 10.1.0.7 in namespace host\n")
        XCTAssertEqual(story.rendered(.json), #"{"client":"10.1.0.7","netns":"host","timeouts":{"tcp":900,"tcpfin":120,"udp":300},"templates":[],"connections":[]}"# + "\n")
    }

    func testClientAddresses() throws {
        XCTAssertEqual(try ExplainClient(parsing: "10.1.0.7").description, "10.1.0.7")
        XCTAssertEqual(try ExplainClient(parsing: "10.1.0.7:5000").port, 5000)
        XCTAssertEqual(try ExplainClient(parsing: "2001:db8::7").description, "2001:db8::7")
        XCTAssertEqual(try ExplainClient(parsing: "[2001:db8::7]:5000").description, "[2001:db8::7]:5000")
        for bad in ["10.1.0", "10.1.0.7:99999", "fwmark:7", "", "[2001:db8::7", "host.example"] {
            XCTAssertThrowsError(try ExplainClient(parsing: bad), bad) { error in
                XCTAssertEqual((error as? Failure)?.status, .usage, bad)
                XCTAssertTrue((error as? Failure)?.message.contains("is not a client address: give ADDRESS") ?? false, bad)
            }
        }
    }

    func testClockFormat() {
        XCTAssertEqual(ClientStory.clock(0), "0:00")
        XCTAssertEqual(ClientStory.clock(47), "0:47")
        XCTAssertEqual(ClientStory.clock(724), "12:04")
        XCTAssertEqual(ClientStory.clock(7200), "2:00:00")
        XCTAssertEqual(ClientStory.clock(3965), "1:06:05")
    }

    // MARK: the change log and the run

    func testTheChangeLogKeepsTheLastChangePerNamespaceAndTimeout() {
        let scratch = ConfigScratch()
        let path = scratch.at("lib/timeout-changes")
        TimeoutChangeLog.record([.tcp], at: 100, path: path)
        TimeoutChangeLog.record([.tcp, .udp], at: 200, path: path)
        let namespace = TimeoutChangeLog.currentNamespace()
        XCTAssertNotNil(namespace)
        XCTAssertEqual(TimeoutChangeLog.read(path).changes(in: namespace), [.tcp: 200, .udp: 200])
        XCTAssertEqual(TimeoutChangeLog.read(path).changes(in: "0:1"), [:])
        XCTAssertEqual(TimeoutChangeLog.parse("# c\n4:9 tcp 5\nnonsense\n4:9 udp x\n").changes, [TimeoutChangeLog.Key(namespace: "4:9", name: .tcp): 5])
        XCTAssertEqual(TimeoutChangeLog.read(scratch.at("missing")), TimeoutChangeLog())
    }

    func testTheRunReadsTheTableOnceWithTheServicesAndTheLog() throws {
        let scratch = ConfigScratch()
        let ipvs = FakeIPVS(Timeouts(tcp: 900, tcpfin: 120, udp: 300))
        ipvs.virtualServices = [service()]
        var explainer = Explainer(client: try ExplainClient(parsing: "10.1.0.2"))
        explainer.openIPVS = { () throws(Failure) -> IPVSControl in ipvs }
        explainer.table = scratch.write("conn", ConnSamples.header + """

            TCP 0A010002 0000 0A010064 0050 0A020002 1F90 NONE 298
            TCP 0A010002 9D78 0A010064 0050 0A020002 1F90 ESTABLISHED 800
            this is no row

            """)
        explainer.now = { self.now }
        explainer.changeLog = scratch.at("changes")
        explainer.procSys = scratch.at("no-proc-sys")
        TimeoutChangeLog.record([.tcp], at: now - 50, path: explainer.changeLog)
        let result = explainer.run(netns: nil, allNetns: false, .json)
        XCTAssertEqual(result.status, .dataError)
        XCTAssertEqual(result.errors.count, 1)
        XCTAssertTrue(result.errors[0].hasPrefix("host: \(explainer.table): line 4: "), result.errors[0])
        XCTAssertTrue(result.output.contains(#""templates":[{"virtual":"10.1.0.100:80","dest":"10.2.0.2:8080","expires":298,"persistence":300}]"#), result.output)
        XCTAssertTrue(result.output.contains(#""expires":800,"idle":null"#), result.output)
    }
}
