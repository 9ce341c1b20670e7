import ArgumentParser
import IPVSTune
import XCTest
@testable import ipvstune

/// DirectParse must build exactly what swift-argument-parser builds, or step aside.
final class DirectParseTests: XCTestCase {
    /// Every stored property of get and set, read out so two commands can be compared.
    static func fields(_ command: ParsableCommand) -> [String] {
        switch command {
        case let get as Get:
            return ["get", "\(String(describing: get.name))", "\(get.json)", "\(String(describing: get.namespace.netns))",
                    "\(get.allNamespaces.allNetns)"]
        case let set as Set:
            return ["set", "\(set.values)", "\(String(describing: set.tcp))", "\(String(describing: set.tcpfin))",
                    "\(String(describing: set.udp))", "\(set.json)", "\(set.save)",
                    "\(String(describing: set.configOptions.config))", "\(String(describing: set.namespace.netns))"]
        case let conns as Conns:
            return ["conns", "\(conns.state)", "\(conns.proto)", "\(conns.client)", "\(conns.virtualService)",
                    "\(conns.dest)", "\(String(describing: conns.templates))", "\(String(describing: conns.expiringWithin))",
                    "\(conns.count)", "\(conns.summary)", "\(String(describing: conns.sort))", "\(conns.json)",
                    "\(String(describing: conns.file))", "\(String(describing: conns.namespace.netns))"]
        default:
            return ["other: \(type(of: command))"]
        }
    }

    /// The direct result, checked against the full parser's for the same arguments.
    @discardableResult
    func assertSameAsFullParser(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard let direct = DirectParse.command(arguments) else { return false }
        do {
            let full = try IPVSTuneCommand.parseAsRoot(arguments)
            XCTAssertEqual(Self.fields(direct), Self.fields(full), "\(arguments)", file: file, line: line)
        } catch {
            XCTFail("\(arguments): read directly, but the full parser refuses it: \(error)", file: file, line: line)
        }
        return true
    }

    func testPlainFormsAreReadDirectlyAndAsTheFullParserReadsThem() {
        let forms: [[String]] = [
            ["get"], ["get", "--json"], ["get", "tcp"], ["get", "tcpfin", "--json"], ["get", "udp"],
            ["get", "--netns", "blue"], ["get", "--netns=/var/run/docker/netns/ingress_sbox", "--json"],
            ["get", "--all-netns"], ["get", "--json", "--all-netns"], ["get", "--netns=a=b"],
            ["set", "7200", "120", "300"], ["set", "2h", "0", "5m"], ["set", "--tcp", "2h"],
            ["set", "--tcp=2h", "--udp", "90s"], ["set", "--tcpfin", "1m", "--json"],
            ["set", "7200", "120", "300", "--save", "--config", "/tmp/x.conf"],
            ["set", "--netns", "blue", "7200", "0", "0"], ["set", "7200", "--netns=blue", "120", "300"],
            // Wrong for set, but well formed: the full parser reads them too and set itself refuses them.
            ["set"], ["set", "1", "2"], ["set", "0", "0", "0"], ["set", "1.5", "0", "0"], ["set", "--tcp", "abc"],
            ["set", "7200", "120", "300", "--udp", "5"],
            ["conns"], ["conns", "--count"], ["conns", "--summary", "--json"], ["conns", "--file", "/tmp/t"],
            ["conns", "--state", "ESTABLISHED,TIME_WAIT", "--proto=tcp", "--state", "NONE"],
            ["conns", "--client", "10.0.0.0/8", "--virtual", "192.168.10.1:443", "--dest=10.0.0.5"],
            ["conns", "--templates"], ["conns", "--no-templates", "--expiring-within", "15m"],
            ["conns", "--sort", "expire"], ["conns", "--sort=client", "--json"], ["conns", "--netns", "blue", "--count"],
            // Refused by conns itself, after parsing.
            ["conns", "--count", "--summary"], ["conns", "--file", "/tmp/t", "--netns", "blue"],
            ["conns", "--client", "nonsense"],
        ]
        for form in forms {
            XCTAssertTrue(assertSameAsFullParser(form), "\(form) was not read directly")
        }
    }

    func testEverythingElseGoesToTheFullParser() {
        let others: [[String]] = [
            [], ["--help"], ["--version"], ["help"], ["apply"], ["services"], ["GET"],
            ["get", "--help"], ["get", "-h"], ["get", "nosuch"], ["get", "TCP"], ["get", "tcp", "udp"],
            ["get", "--bogus"], ["get", "--json", "--json"], ["get", "--json=yes"], ["get", "--netns"],
            ["get", "--netns", "--json"], ["get", "--netns="], ["get", "--"], ["get", "--", "tcp"], ["get", "-"],
            ["get", "--config", "x"], ["get", "--tcp", "5"], ["get", "--=x"], ["get", "---json"],
            ["set", "-1", "0", "0"], ["set", "--tcp"], ["set", "--tcp", "-5"], ["set", "--tcp", "1", "--tcp", "2"],
            ["set", "--save=yes", "1", "0", "0"], ["set", "--all-netns", "1", "0", "0"], ["set", "--help"],
            ["set", "", "0", "0"], ["set", "--udp="],
            ["conns", "--file", "-"], ["conns", "x"], ["conns", "--sort", "size"], ["conns", "--sort", "--json"],
            ["conns", "--templates", "--no-templates"], ["conns", "--count", "--count"], ["conns", "--state"],
            ["conns", "--help"], ["conns", "--templates=1"],
        ]
        for arguments in others {
            XCTAssertNil(DirectParse.command(arguments), "\(arguments) should go to the full parser")
        }
    }

    /// Random lines from get and set's own words and some wrong ones: whatever is read directly
    /// must be read the same by the full parser.
    func testRandomLinesAgreeWithTheFullParser() {
        let words = ["tcp", "tcpfin", "udp", "7200", "0", "2h", "x", "", "-", "--", "-h", "--json", "--save",
                     "--all-netns", "--netns", "--netns=ns", "--tcp", "--tcp=5", "--tcpfin", "--udp=1m",
                     "--config", "--config=/c.conf", "--bogus", "--json=1", "ns", "--count", "--summary", "--state",
                     "--proto=udp", "--client=10.0.0.0/8", "--virtual", "--dest", "--templates", "--no-templates",
                     "--expiring-within", "--sort", "--sort=state", "expire", "--file", "/t"]
        var generator = SystemRandomNumberGenerator()
        var readDirectly = 0
        for _ in 0..<4000 {
            let verb = ["get", "set", "conns"].randomElement(using: &generator)!
            let count = Int.random(in: 0...5, using: &generator)
            let line = [verb] + (0..<count).map { _ in words.randomElement(using: &generator)! }
            if assertSameAsFullParser(line) { readDirectly += 1 }
        }
        XCTAssertGreaterThan(readDirectly, 100, "almost nothing was read directly: the test no longer tests it")
    }

    /// A property added to get, set or conns must be added to DirectParse and to fields(_:) above.
    func testEveryPropertyIsCovered() {
        func labels(_ value: Any) -> [String] {
            Mirror(reflecting: value).children.compactMap(\.label)
        }
        XCTAssertEqual(labels(Get(name: nil, json: false, netns: nil, allNetns: false)),
                       ["_name", "_json", "_namespace", "_allNamespaces"])
        XCTAssertEqual(labels(Set(values: [], tcp: nil, tcpfin: nil, udp: nil, json: false, save: false,
                                  config: nil, netns: nil)),
                       ["_values", "_tcp", "_tcpfin", "_udp", "_json", "_save", "_configOptions", "_namespace"])
        XCTAssertEqual(labels(DirectParse.command(["conns"])!),
                       ["_state", "_proto", "_client", "_virtualService", "_dest", "_templates", "_expiringWithin",
                        "_count", "_summary", "_sort", "_json", "_file", "_namespace"])
        XCTAssertEqual(labels(NamespaceOptions(netns: nil)), ["_netns"])
        XCTAssertEqual(labels(AllNamespacesOptions(visitEvery: false)), ["_allNetns"])
        XCTAssertEqual(labels(ConfigOptions(config: nil)), ["_config"])
    }
}
