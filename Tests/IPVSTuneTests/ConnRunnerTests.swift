import XCTest
@testable import IPVSTune
import IPVSTuneTestSupport

final class ConnRunnerTests: XCTestCase {
    private struct Run {
        var result: ConnQuery.Result
        var output: String
        var warnings: [String]
    }

    private func run(_ query: ConnQuery, _ text: String, acceptWrites: Int = .max) throws -> Run {
        let reader = ConnReader(bytes: Array(text.utf8))
        final class Sink: @unchecked Sendable { var text = ""; var writes = 0 }
        let sink = Sink()
        var warnings: [String] = []
        let result = try query.run(reader: reader, write: { chunk in
            guard sink.writes < acceptWrites else { return false }
            sink.writes += 1
            sink.text += chunk
            return true
        }, warn: { warnings.append($0) })
        return Run(result: result, output: sink.text, warnings: warnings)
    }

    private let table = ([ConnSamples.header] + ConnSamples.all).joined(separator: "\n") + "\n"

    func testTextListing() throws {
        let out = try run(ConnQuery(path: "t", filter: try ConnFilter.parse(protocols: ["udp"])), table)
        XCTAssertEqual(out.result, ConnQuery.Result(entries: 14, matched: 3, malformed: 0, outputClosed: false))
        XCTAssertEqual(out.result.status, .success)
        let lines = out.output.split(separator: "\n")
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(String(lines[0]) + "\n", ConnListing.header)
        XCTAssertTrue(lines[1].hasPrefix("UDP  UDP"))
    }

    func testJSONLines() throws {
        let out = try run(ConnQuery(path: "t", json: true), table)
        let lines = out.output.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 15)  // 14 objects and the empty string after the last newline
        XCTAssertEqual(lines.last, "")
        let expected = ConnSamples.all.compactMap { ConnSamples.entry($0).map { String(ConnListing.row($0, json: true).dropLast()) } }
        XCTAssertEqual(lines.dropLast().map(String.init), expected)
    }

    func testCount() throws {
        let filter = try ConnFilter.parse(templates: true)
        XCTAssertEqual(try run(ConnQuery(path: "t", filter: filter, mode: .count), table).output, "5\n")
        XCTAssertEqual(try run(ConnQuery(path: "t", filter: filter, mode: .count, json: true), table).output, #"{"count":5}"# + "\n")
        XCTAssertEqual(try run(ConnQuery(path: "t", mode: .count), "").output, "0\n")
    }

    func testSummary() throws {
        let out = try run(ConnQuery(path: "t", mode: .summary, json: true), table + "junk\n")
        XCTAssertTrue(out.output.hasPrefix(#"{"entries":14,"connections":9,"templates":5,"invalidated":1,"malformed":1,"#), out.output)
        XCTAssertTrue(out.output.hasSuffix("}\n"))
        let text = try run(ConnQuery(path: "t", mode: .summary), table).output
        XCTAssertTrue(text.hasPrefix("entries              14\n"), text)
    }

    func testSortedListing() throws {
        let out = try run(ConnQuery(path: "t", filter: try ConnFilter.parse(protocols: ["tcp"]), sort: .expire), table)
        let expiries = out.output.split(separator: "\n").dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true)[2] }
        XCTAssertEqual(expiries, ["0:42", "0:59", "5:59", "14:59", "14:59", "14:59", "15:00", "1:59:59", "wrapped"])
    }

    func testMalformedLinesAreWarnedAndMakeADataError() throws {
        let bad = (1...13).map { "bad \($0)" }
        let out = try run(ConnQuery(path: "/proc/net/ip_vs_conn", mode: .count),
                          ([ConnSamples.header, ConnSamples.tcp] + bad).joined(separator: "\n"))
        XCTAssertEqual(out.output, "1\n")
        XCTAssertEqual(out.result.malformed, 13)
        XCTAssertEqual(out.result.status, .dataError)
        XCTAssertEqual(out.warnings.count, ConnQuery.warningLimit + 1)
        XCTAssertEqual(out.warnings.first, "/proc/net/ip_vs_conn: line 3: client address '1' has 1 hex digits: an IPv4 address has 8")
        XCTAssertEqual(out.warnings.last, "/proc/net/ip_vs_conn: 3 more malformed lines not shown")
    }

    func testStandardInputIsNamedInWarnings() throws {
        let out = try run(ConnQuery(path: "-", mode: .count), "x\n")
        XCTAssertTrue(out.warnings.first?.hasPrefix("standard input: line 1:") ?? false)
    }

    /// `conns | head`: once the output is gone, reading stops instead of walking the table.
    func testClosedOutputStopsReading() throws {
        let many = ([ConnSamples.header] + Array(repeating: ConnSamples.tcp, count: 5000)).joined(separator: "\n")
        let out = try run(ConnQuery(path: "t"), many, acceptWrites: 1)
        XCTAssertTrue(out.result.outputClosed)
        XCTAssertLessThan(out.result.entries, 5000)
    }

    func testBadCombinations() {
        XCTAssertThrowsError(try ConnQuery.mode(count: true, summary: true)) {
            XCTAssertEqual(($0 as? Failure)?.status, .usage)
        }
        XCTAssertEqual(try ConnQuery.mode(count: false, summary: true), .summary)
        XCTAssertThrowsError(try run(ConnQuery(path: "t", mode: .count, sort: .client), "")) {
            XCTAssertEqual(($0 as? Failure)?.message, "--sort orders the listing; it has no meaning with --count or --summary")
        }
    }

    /// A seeded random table of every row shape: the streamed run in each mode against the
    /// listing, summary and a plainly written sort over the entries the reader gives, read in
    /// odd-sized chunks.
    func testRandomTableInEveryMode() throws {
        var generator = SeededRandom.forTest()
        var lines = [ConnSamples.header]
        let states = ["ESTABLISHED", "NONE", "UDP", "SHUTDOWN_RECEIVED", "A", "TIME_WAIT", "ÉTAT", "CLOSE_WAIT"]
        let protos = ["TCP", "UDP", "IP", "SCTP", "IP_50", "ICMPV6", "T\u{212A}P"]
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16, uppercase: Bool.random(using: &generator))
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        for index in 0..<3000 {
            let v6 = index % 5 == 0
            func address(_ value: UInt32) -> String {
                v6 ? "2001:0db8:0000:0000:0000:0000:\(hex(UInt64(value >> 16), 4)):\(hex(UInt64(value & 0xFFFF), 4))" : hex(UInt64(value), 8)
            }
            let template = index % 7 == 0
            let state = states.randomElement(using: &generator)!
            let expiry = [UInt64.random(in: 0...8000, using: &generator), 18_446_744_073_709_551, 2_147_483_648,
                          UInt64.random(in: 0...99_999_999, using: &generator)].randomElement(using: &generator)!
            var line = "\(protos.randomElement(using: &generator)!) \(address(UInt32.random(in: 0...UInt32.max, using: &generator))) "
                + "\(template ? "0000" : hex(UInt64.random(in: 1...0xFFFF, using: &generator), 4)) "
                + "\(address(0xC0A8_0A01 + UInt32.random(in: 0..<3, using: &generator))) \(hex([80, 443, 0xFFFF].randomElement(using: &generator)!, 4)) "
                + "\(address(0x0A00_0001 + UInt32.random(in: 0..<5, using: &generator))) \(hex([80, 443, 0xFFFF].randomElement(using: &generator)!, 4)) "
                + state + String(repeating: " ", count: max(0, 11 - state.count)) + " " + String(expiry).rightAligned(to: 7)
            if index % 97 == 0 { line += " sip call-\(index)\u{01}x  " }
            if index % 101 == 0 { line = "TCP broken \(index)" }
            if index % 103 == 0 { line += "\r" }
            lines.append(line)
        }
        let text = lines.joined(separator: "\n") + "\n"
        let records = try ConnSamples.read(text)
        let entries = records.compactMap { if case .entry(let entry) = $0 { entry } else { nil } }
        let malformed = records.count - entries.count
        XCTAssertGreaterThan(malformed, 3000 / 101, "broken rows and ÉTAT states; seed \(generator.seed)")
        func run(_ query: ConnQuery) throws -> String {
            var output = ""
            _ = try query.run(reader: ConnReader(bytes: Array(text.utf8), readSize: 4093, bufferSize: 8191),
                                   write: { output += $0; return true }, warn: { _ in })
            return output
        }
        XCTAssertEqual(try run(ConnQuery(path: "t")), ConnListing.header + entries.map { ConnListing.row($0) }.joined())
        XCTAssertEqual(try run(ConnQuery(path: "t", json: true)), entries.map { ConnListing.row($0, json: true) }.joined())
        var table = TableCount()
        for entry in entries { table.add(entry) }
        table.malformed = malformed
        XCTAssertEqual(try run(ConnQuery(path: "t", mode: .summary)), table.summary.rendered(.text))
        XCTAssertEqual(try run(ConnQuery(path: "t", mode: .summary, json: true)), table.summary.rendered(.json))
        let filter = try ConnFilter.parse(states: ["established,none"], protocols: ["tcp", "ip"])
        XCTAssertEqual(try run(ConnQuery(path: "t", filter: filter, mode: .count)), "\(entries.filter(filter.matches).count)\n")
        for key in ConnSortKey.allCases {
            let expected = plainlySorted(entries, key)
            XCTAssertEqual(key.sorted(entries), expected, "\(key), seed \(generator.seed)")
            XCTAssertEqual(try run(ConnQuery(path: "t", sort: key)), ConnListing.header + expected.map { ConnListing.row($0) }.joined())
        }
    }

    /// The sort as it first was: tuples of the entries' own values, ties by position.
    private func plainlySorted(_ entries: [ConnEntry], _ key: ConnSortKey) -> [ConnEntry] {
        func order<Key>(_ keys: [Key], _ less: (Key, Key) -> Bool) -> [ConnEntry] {
            keys.indices.sorted { a, b in less(keys[a], keys[b]) || (!less(keys[b], keys[a]) && a < b) }.map { entries[$0] }
        }
        switch key {
        case .expire: return order(entries.map { ($0.expires, $0.client) }, <)
        case .client: return order(entries.map { ($0.client, $0.expires) }, <)
        case .state: return order(entries.map { ($0.state, $0.expires) }, <)
        }
    }
}

