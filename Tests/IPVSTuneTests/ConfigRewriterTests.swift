@testable import IPVSTune
import IPVSTuneTestSupport
import XCTest

final class ConfigRewriterTests: XCTestCase {
    let path = "/etc/ipvstune.conf"

    func rewrite(_ text: String, _ timeouts: Timeouts) throws -> ConfigRewrite {
        try ConfigRewriter.rewrite(text, path: path, to: timeouts)
    }

    func testOnlyValuesChange() throws {
        let text = """
            # IPVS timeouts for the director
            ; keep tcp above the psql idle time

              tcp   =   7200
            tcpfin=120
            netns = /run/netns/blue
            udp	=	300

            # end
            """
        let result = try rewrite(text, Timeouts(tcp: 3600, tcpfin: 120, udp: 60))
        XCTAssertTrue(result.changed)
        XCTAssertEqual(result.text, """
            # IPVS timeouts for the director
            ; keep tcp above the psql idle time

              tcp   =   3600
            tcpfin=120
            netns = /run/netns/blue
            udp	=	60

            # end
            """)
    }

    func testDurationsStayDurations() throws {
        let result = try rewrite("tcp = 2h\ntcpfin = 2m\nudp = 300\n", Timeouts(tcp: 5400, tcpfin: 45, udp: 7200))
        XCTAssertEqual(result.text, "tcp = 1h30m\ntcpfin = 45s\nudp = 7200\n")
    }

    func testEqualValueKeepsItsSpelling() throws {
        let text = "tcp = 90m\ntcpfin = 0120\nudp = 5m\n"
        let result = try rewrite(text, Timeouts(tcp: 5400, tcpfin: 120, udp: 300))
        XCTAssertFalse(result.changed)
        XCTAssertEqual(result.text, text)
    }

    func testMissingKeysAreAppendedInOrder() throws {
        XCTAssertEqual(try rewrite("udp = 300\n", Timeouts(tcp: 7200, tcpfin: 120, udp: 300)).text,
                       "udp = 300\ntcp = 7200\ntcpfin = 120\n")
    }

    func testAppendAfterACommentLeavesABlankLine() throws {
        XCTAssertEqual(try rewrite("# ipvstune\n", Timeouts(tcp: 1, tcpfin: 2, udp: 3)).text,
                       "# ipvstune\n\ntcp = 1\ntcpfin = 2\nudp = 3\n")
    }

    func testAppendAfterABlankLineAddsNoOther() throws {
        XCTAssertEqual(try rewrite("# ipvstune\n\n", Timeouts(tcp: 1, tcpfin: 2, udp: 3)).text,
                       "# ipvstune\n\ntcp = 1\ntcpfin = 2\nudp = 3\n")
    }

    func testAppendToFileWithoutFinalNewline() throws {
        XCTAssertEqual(try rewrite("tcp = 1", Timeouts(tcp: 5, tcpfin: 2, udp: 3)).text,
                       "tcp = 5\ntcpfin = 2\nudp = 3\n")
    }

    func testEmptyText() throws {
        let result = try rewrite("", Timeouts(tcp: 1, tcpfin: 2, udp: 3))
        XCTAssertTrue(result.changed)
        XCTAssertEqual(result.text, "tcp = 1\ntcpfin = 2\nudp = 3\n")
    }

    func testCRLFLinesStayCRLFAndAppendedLinesFollow() throws {
        XCTAssertEqual(try rewrite("# x\r\ntcp = 1\r\n", Timeouts(tcp: 2, tcpfin: 3, udp: 4)).text,
                       "# x\r\ntcp = 2\r\ntcpfin = 3\r\nudp = 4\r\n")
    }

    func testByteOrderMarkSurvives() throws {
        let result = try rewrite("\u{FEFF}tcp = 1\n", Timeouts(tcp: 2, tcpfin: 3, udp: 4))
        XCTAssertEqual(result.text, "\u{FEFF}tcp = 2\ntcpfin = 3\nudp = 4\n")
    }

    func testPartialUpdateLeavesOtherValues() throws {
        let result = try ConfigRewriter.rewrite("tcp = 1\nudp = 3\n", path: path, to: TimeoutUpdate(udp: 30))
        XCTAssertEqual(result.text, "tcp = 1\nudp = 30\n")
        let none = try ConfigRewriter.rewrite("tcp = 1\n", path: path, to: TimeoutUpdate())
        XCTAssertFalse(none.changed)
    }

    func testUnchangedDetection() throws {
        let text = "tcp = 7200\ntcpfin = 120\nudp = 300\n"
        XCTAssertFalse(try rewrite(text, Timeouts(tcp: 7200, tcpfin: 120, udp: 300)).changed)
        XCTAssertTrue(try rewrite(text, Timeouts(tcp: 7200, tcpfin: 120, udp: 301)).changed)
    }

    func testRefusesAFileWithProblems() {
        XCTAssertThrowsError(try rewrite("tcp = 1\nbogus = 2\n", .kernelDefaults)) { error in
            let failure = error as? Failure
            XCTAssertEqual(failure?.status, .config)
            XCTAssertEqual(failure?.message, "cannot save into a config file with problems; fix it first: /etc/ipvstune.conf:2: unknown key 'bogus': the keys are tcp, tcpfin, udp and netns")
        }
    }

    func testRefusesValuesTheFileCannotHold() {
        XCTAssertThrowsError(try rewrite("", Timeouts(tcp: 3_456_000, tcpfin: 120, udp: 300))) { error in
            XCTAssertEqual((error as? Failure)?.status, .dataError)
            XCTAssertEqual((error as? Failure)?.message, "cannot save tcp = 3456000: the config file takes 1 second to 31 days (2678400 s); set a value in that range first")
        }
        XCTAssertThrowsError(try ConfigRewriter.rewrite("", path: path, to: TimeoutUpdate(udp: 0)))
        XCTAssertNoThrow(try rewrite("", Timeouts(tcp: 2_678_400, tcpfin: 1, udp: 1)))
    }

    // MARK: round trip

    func testRoundTripOnManyInputs() throws {
        var random = SeededRandom.forTest()
        let values: [Timeouts] = [.kernelDefaults, Timeouts(tcp: 7200, tcpfin: 120, udp: 300),
                                  Timeouts(tcp: 1, tcpfin: 1, udp: 1), Timeouts(tcp: 2_678_400, tcpfin: 86_400, udp: 5400)]
        for _ in 0..<500 {
            let text = randomConfig(&random)
            let target = values[Int(random.next() % UInt64(values.count))]
            let result = try rewrite(text, target)
            let reparsed = parseConfig(result.text)
            XCTAssertEqual(reparsed.problems, [], result.text)
            XCTAssertEqual(ConfigLoader.merge([reparsed]).update, TimeoutUpdate(tcp: target.tcp, tcpfin: target.tcpfin, udp: target.udp), text)
            XCTAssertEqual(commentLines(result.text), commentLines(text), text)
            XCTAssertEqual(ConfigLoader.merge([reparsed]).netns.map(\.value), ConfigLoader.merge([parseConfig(text)]).netns.map(\.value))
            assertOtherLinesUntouched(text, result.text)
            let again = try rewrite(result.text, target)
            XCTAssertFalse(again.changed, result.text)
            XCTAssertEqual(result.changed, result.text != text)
        }
    }

    /// Every line that sets no timeout is still there, byte for byte, at the same line number.
    private func assertOtherLinesUntouched(_ before: String, _ after: String, line: UInt = #line) {
        let old = before.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        let new = after.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, text) in old.enumerated() where !TimeoutName.allCases.contains(where: { text.drop { $0 == " " || $0 == "\t" }.hasPrefix($0.rawValue) }) {
            guard index < new.count else { return XCTFail("line \(index + 1) lost", line: line) }
            if index == old.count - 1 && text.isEmpty { continue }
            XCTAssertEqual(new[index], text, "line \(index + 1) of \(before)", line: line)
        }
    }

    private func commentLines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).filter {
            let trimmed = $0.drop { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" }
            return trimmed.hasPrefix("#") || trimmed.hasPrefix(";")
        }
    }

    private func randomConfig(_ random: inout SeededRandom) -> String {
        let pieces = ["# comment", "; other comment", "", "   ", "\t# tabbed comment", "netns = /run/netns/n\(random.next() % 9)",
                      "#tcp = 900", "# udp = 5m  ; old"]
        let values = ["7200", "2h", "1h30m", "90s", "15m", "1d", "300", "120", "1", "31d"]
        let spacing = [" = ", "=", " =", "= ", "\t=\t", "  =  "]
        var lines: [String] = []
        var keys = TimeoutName.allCases.filter { _ in random.next() % 3 != 0 }
        keys.shuffle(using: &random)
        for _ in 0..<Int(random.next() % 6) { lines.append(pieces[Int(random.next() % UInt64(pieces.count))]) }
        for key in keys {
            let indent = random.next() % 4 == 0 ? "  " : ""
            let trailing = random.next() % 4 == 0 ? " \t" : ""
            lines.append(indent + key.rawValue + spacing[Int(random.next() % UInt64(spacing.count))] + values[Int(random.next() % UInt64(values.count))] + trailing)
            for _ in 0..<Int(random.next() % 3) { lines.append(pieces[Int(random.next() % UInt64(pieces.count))]) }
        }
        let newline = random.next() % 5 == 0 ? "\r\n" : "\n"
        var text = lines.joined(separator: newline)
        if !lines.isEmpty && random.next() % 4 != 0 { text += newline }
        return text
    }
}
