import XCTest
@testable import IPVSTune

final class ConnRunnerTests: XCTestCase {
    private struct Run {
        var result: ConnRunResult
        var output: String
        var warnings: [String]
    }

    private func run(_ query: ConnQuery, _ text: String, acceptWrites: Int = .max) throws -> Run {
        let reader = ConnReader(bytes: Array(text.utf8))
        final class Sink: @unchecked Sendable { var text = ""; var writes = 0 }
        let sink = Sink()
        var warnings: [String] = []
        let result = try ConnRunner.run(query, reader: reader, write: { chunk in
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
        XCTAssertEqual(out.result, ConnRunResult(entries: 14, matched: 3, malformed: 0, outputClosed: false))
        XCTAssertEqual(out.result.status, .success)
        let lines = out.output.split(separator: "\n")
        XCTAssertEqual(lines.count, 4)
        XCTAssertEqual(String(lines[0]) + "\n", ConnTextRow.header)
        XCTAssertTrue(lines[1].hasPrefix("UDP  UDP"))
    }

    func testJSONLines() throws {
        let out = try run(ConnQuery(path: "t", json: true), table)
        let lines = out.output.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 15)  // 14 objects and the empty string after the last newline
        XCTAssertEqual(lines.last, "")
        let expected = ConnSamples.all.compactMap { ConnSamples.entry($0)?.json.rendered }
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
        XCTAssertEqual(out.warnings.count, ConnRunner.warningLimit + 1)
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
}
