import XCTest
@testable import IPVSTune

final class ConnFilterTests: XCTestCase {
    private let table: [ConnEntry] = ConnSamples.all.compactMap { ConnSamples.entry($0) }

    private func matching(_ filter: ConnFilter) -> [String] {
        zip(ConnSamples.all, table).filter { filter.matches($0.1) }.map(\.0)
    }

    private func usageMessage(_ body: () throws -> ConnFilter, file: StaticString = #filePath, line: UInt = #line) -> String? {
        do {
            _ = try body()
            XCTFail("no error", file: file, line: line)
        } catch let failure as Failure {
            XCTAssertEqual(failure.status, .usage, file: file, line: line)
            return failure.message
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
        return nil
    }

    func testEmptyFilterMatchesEverything() throws {
        let filter = try ConnFilter.parse()
        XCTAssertTrue(filter.isEmpty)
        XCTAssertEqual(matching(filter).count, ConnSamples.all.count)
    }

    func testStatesIgnoreCaseAndMayBeSeveral() throws {
        let filter = try ConnFilter.parse(states: ["established", "Syn_Recv"])
        XCTAssertEqual(matching(filter), [ConnSamples.tcp, ConnSamples.ipv6, ConnSamples.ipv6ToIPv4,
                                          ConnSamples.ipv4ToIPv6, ConnSamples.syncOrigin])
        XCTAssertEqual(try ConnFilter.parse(states: ["assured,none"]).states, ["ASSURED", "NONE"])
        XCTAssertEqual(matching(try ConnFilter.parse(states: ["err!"])), [])
    }

    func testUnknownStateIsAUsageError() {
        let message = usageMessage { try ConnFilter.parse(states: ["ESTABLISED"]) }
        XCTAssertTrue(message?.hasPrefix("--state: unknown state 'ESTABLISED'; known states: NONE, ESTABLISHED, SYN_SENT") ?? false,
                      message ?? "")
    }

    func testProtocols() throws {
        XCTAssertEqual(matching(try ConnFilter.parse(protocols: ["sctp"])), [ConnSamples.sctp])
        XCTAssertEqual(matching(try ConnFilter.parse(protocols: ["IP"])), [ConnSamples.fwmarkTemplate])
        XCTAssertEqual(matching(try ConnFilter.parse(protocols: ["udp,sctp"])).count, 4)
        XCTAssertEqual(try ConnFilter.parse(protocols: ["esp", "ah", "ip_17", "icmpv6"]).protocols,
                       ["IP_50", "IP_51", "IP_17", "ICMPV6"])
        XCTAssertTrue(ConnFilter.sameIgnoringCase("ICMPv6", "ICMPV6"))
        XCTAssertEqual(usageMessage { try ConnFilter.parse(protocols: ["tpc"]) },
                       "--proto: unknown protocol 'tpc'; use one of tcp, udp, sctp, ip, ah, esp, icmp, icmpv6 (ip: firewall-mark templates)")
    }

    func testClientNetworks() throws {
        XCTAssertEqual(matching(try ConnFilter.parse(clients: ["10.0.0.0/8"])), [ConnSamples.udp, ConnSamples.localOrigin])
        XCTAssertEqual(matching(try ConnFilter.parse(clients: ["10.0.0.2"])), [ConnSamples.udp, ConnSamples.localOrigin])
        XCTAssertEqual(matching(try ConnFilter.parse(clients: ["2001:db8::/32"])), [ConnSamples.ipv6, ConnSamples.ipv6ToIPv4])
        XCTAssertEqual(matching(try ConnFilter.parse(clients: ["10.0.0.0/8", "2001:db8::64"])).count, 4)
        XCTAssertEqual(usageMessage { try ConnFilter.parse(clients: ["10.0.0.0/33"]) },
                       "--client: '10.0.0.0/33' has prefix '33'; IPv4 prefixes are 0 to 32")
        XCTAssertEqual(usageMessage { try ConnFilter.parse(clients: ["::/129"]) },
                       "--client: '::/129' has prefix '129'; IPv6 prefixes are 0 to 128")
        XCTAssertEqual(usageMessage { try ConnFilter.parse(clients: ["10.0.0.x/8"]) },
                       "--client: '10.0.0.x/8' is not an IPv4 or IPv6 address (ADDR or ADDR/PREFIX, such as 10.0.0.0/8)")
        XCTAssertNotNil(usageMessage { try ConnFilter.parse(clients: ["10.0.0.0/"]) })
    }

    func testVirtualAndDest() throws {
        XCTAssertEqual(matching(try ConnFilter.parse(virtuals: ["10.0.0.10:53"])), [ConnSamples.udp, ConnSamples.localOrigin])
        XCTAssertEqual(matching(try ConnFilter.parse(virtuals: ["10.0.0.10:54"])), [])
        XCTAssertEqual(matching(try ConnFilter.parse(virtuals: ["[2001:db8::a]:443"])), [ConnSamples.ipv6])
        XCTAssertEqual(matching(try ConnFilter.parse(virtuals: ["2001:db8::a"])), [ConnSamples.ipv6, ConnSamples.ipv6ToIPv4])
        XCTAssertEqual(matching(try ConnFilter.parse(virtuals: ["[2001:db8::a]"])).count, 2)
        XCTAssertEqual(matching(try ConnFilter.parse(virtuals: ["fwmark:100"])), [ConnSamples.fwmarkTemplate])
        XCTAssertEqual(matching(try ConnFilter.parse(virtuals: ["FWMARK:0x64"])), [ConnSamples.fwmarkTemplate])
        // The mark is no address: 0.0.0.100 does not match the fwmark template.
        XCTAssertEqual(matching(try ConnFilter.parse(virtuals: ["0.0.0.100"])), [])
        XCTAssertEqual(matching(try ConnFilter.parse(dests: ["[2001:db8:1::5]:80"])), [ConnSamples.ipv4ToIPv6])
        XCTAssertEqual(matching(try ConnFilter.parse(dests: ["10.1.0.5:2905"])), [ConnSamples.sctp])
        XCTAssertEqual(matching(try ConnFilter.parse(dests: ["10.1.0.5:65535"])), [ConnSamples.invalidated])
    }

    func testEndpointErrors() {
        XCTAssertEqual(usageMessage { try ConnFilter.parse(virtuals: ["1.2.3.4:99999"]) },
                       "--virtual: '1.2.3.4:99999' has port '99999'; ports are 0 to 65535")
        XCTAssertEqual(usageMessage { try ConnFilter.parse(virtuals: ["[2001:db8::1:80"]) },
                       "--virtual: '[2001:db8::1:80' is missing ']'")
        XCTAssertEqual(usageMessage { try ConnFilter.parse(dests: ["[2001:db8::1]80"]) },
                       "--dest: '[2001:db8::1]80' has '80' after ']'; write [ADDR]:PORT")
        XCTAssertEqual(usageMessage { try ConnFilter.parse(dests: ["host:80"]) },
                       "--dest: 'host:80' is not ADDR[:PORT] (such as 10.0.0.1:80, [2001:db8::1]:443 or fwmark:100)")
        XCTAssertEqual(usageMessage { try ConnFilter.parse(virtuals: ["fwmark:-1"]) },
                       "--virtual: 'fwmark:-1' needs a mark from 0 to 4294967295 (decimal or 0x hex)")
        XCTAssertNotNil(usageMessage { try ConnFilter.parse(virtuals: ["1.2.3.4:"]) })
    }

    func testTemplates() throws {
        let templates = matching(try ConnFilter.parse(templates: true))
        XCTAssertEqual(templates, [ConnSamples.templateNone, ConnSamples.templateAssured, ConnSamples.fwmarkTemplate,
                                   ConnSamples.invalidated, ConnSamples.sip])
        XCTAssertEqual(matching(try ConnFilter.parse(templates: false)).count, ConnSamples.all.count - templates.count)
    }

    func testExpiringWithin() throws {
        XCTAssertEqual(matching(try ConnFilter.parse(expiringWithin: "1m")), [ConnSamples.ipv6ToIPv4, ConnSamples.sctp,
                                                                              ConnSamples.invalidated])
        XCTAssertEqual(try ConnFilter.parse(expiringWithin: "1h30m").expiringWithin, 5400)
        // Wrapped timers are never "expiring within".
        XCTAssertFalse(try ConnFilter.parse(expiringWithin: "31d").matches(try XCTUnwrap(ConnSamples.entry(ConnSamples.wrapped))))
        XCTAssertEqual(usageMessage { try ConnFilter.parse(expiringWithin: "soon") },
                       "--expiring-within: 'soon' is not a duration: give seconds or units s, m, h, d such as 90s, 15m, 2h, 1h30m, 1d")
    }

    func testConditionsCompose() throws {
        let filter = try ConnFilter.parse(states: ["none"], protocols: ["tcp"], clients: ["192.168.0.0/16"],
                                          virtuals: ["192.168.1.10"], dests: ["10.1.0.5"], templates: true,
                                          expiringWithin: "10m")
        XCTAssertEqual(matching(filter), [ConnSamples.templateNone, ConnSamples.invalidated])
        var narrower = filter
        narrower.virtuals = [ConnEndpointPattern(.address(ConnSamples.v4("192.168.1.10")), port: 80)]
        XCTAssertEqual(matching(narrower), [ConnSamples.templateNone])
    }
}
