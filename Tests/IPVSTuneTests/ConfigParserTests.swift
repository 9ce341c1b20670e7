@testable import IPVSTune
import XCTest

final class ConfigParserTests: XCTestCase {
    func testPlainSeconds() {
        let file = parseConfig("tcp = 7200\ntcpfin = 120\nudp = 300\n")
        XCTAssertEqual(file.problems, [])
        XCTAssertEqual(configUpdate("tcp = 7200\ntcpfin = 120\nudp = 300\n"), TimeoutUpdate(tcp: 7200, tcpfin: 120, udp: 300))
        XCTAssertEqual(file.entries.map(\.line), [1, 2, 3])
    }

    func testDurations() {
        XCTAssertEqual(configUpdate("tcp = 2h\ntcpfin = 90s\nudp = 15m\n"), TimeoutUpdate(tcp: 7200, tcpfin: 90, udp: 900))
        XCTAssertEqual(configUpdate("tcp = 1h30m"), TimeoutUpdate(tcp: 5400))
        XCTAssertEqual(configUpdate("tcp = 1d"), TimeoutUpdate(tcp: 86_400))
        XCTAssertEqual(configUpdate("tcp = 31d"), TimeoutUpdate(tcp: 2_678_400))
        XCTAssertEqual(configUpdate("udp = 1"), TimeoutUpdate(udp: 1))
    }

    func testSpacingVariants() {
        for text in ["tcp=7200", "tcp =7200", "tcp= 7200", "  tcp  =  7200  ", "\ttcp\t=\t7200\t", "tcp = 7200\r\n"] {
            XCTAssertEqual(parseConfig(text).problems, [], text)
            XCTAssertEqual(configUpdate(text), TimeoutUpdate(tcp: 7200), text)
        }
    }

    func testCommentsAndBlankLines() {
        let text = "# hash comment\n; semicolon comment\n\n   \n\t# indented\ntcp = 7200\n#tcp = 1\n;udp = 2\n"
        XCTAssertEqual(parseConfig(text).problems, [])
        XCTAssertEqual(configUpdate(text), TimeoutUpdate(tcp: 7200))
        XCTAssertEqual(parseConfig(text).entries.map(\.line), [6])
    }

    func testEmptyAndCommentOnlyFilesGiveNoValues() {
        for text in ["", "\n", "# nothing here\n", "\r\n\r\n", "; x"] {
            let file = parseConfig(text)
            XCTAssertEqual(file.problems, [], text)
            XCTAssertEqual(file.entries, [], text)
        }
    }

    func testNoFinalNewlineAndCRLF() {
        XCTAssertEqual(configUpdate("tcp = 7200\r\nudp = 300"), TimeoutUpdate(tcp: 7200, udp: 300))
    }

    func testByteOrderMarkIsIgnored() {
        let file = ConfigParser.parse([0xEF, 0xBB, 0xBF] + Array("tcp = 60\n".utf8), path: "x")
        XCTAssertEqual(file.problems, [])
        XCTAssertTrue(file.byteOrderMark)
        XCTAssertEqual(ConfigLoader.merge([file]).update, TimeoutUpdate(tcp: 60))
    }

    func testNetnsRepeatsAndKeepsOrder() {
        let text = "netns = /run/netns/blue\nnetns = /var/run/docker/netns/*\nnetns=/run/netns/a#b\n"
        let config = ConfigLoader.merge([parseConfig(text)])
        XCTAssertEqual(config.netns.map(\.value), ["/run/netns/blue", "/var/run/docker/netns/*", "/run/netns/a#b"])
        XCTAssertEqual(config.netns.map(\.location.line), [1, 2, 3])
    }

    func testEmptyNetnsClearsTheList() {
        let config = ConfigLoader.merge([parseConfig("netns = /a\nnetns =\nnetns = /b\n")])
        XCTAssertEqual(config.netns.map(\.value), ["/b"])
    }

    func testValueWithEqualsSignStaysInTheValue() {
        let config = ConfigLoader.merge([parseConfig("netns = /run/netns/x=y\n")])
        XCTAssertEqual(config.netns.map(\.value), ["/run/netns/x=y"])
    }

    // MARK: errors, each with file:line

    func testUnknownKeyListsTheKeys() {
        XCTAssertEqual(configProblems("\nfoo = 1\n"),
                       ["/etc/ipvstune.conf:2: unknown key 'foo': the keys are tcp, tcpfin, udp and netns"])
    }

    func testWrongCaseSuggestsTheKey() {
        XCTAssertEqual(configProblems("TCP = 1\n"),
                       ["/etc/ipvstune.conf:1: unknown key 'TCP': keys are case-sensitive; did you mean 'tcp'?"])
        XCTAssertEqual(configProblems("Udp = 1\n"),
                       ["/etc/ipvstune.conf:1: unknown key 'Udp': keys are case-sensitive; did you mean 'udp'?"])
    }

    func testNearMissesSuggestTheKey() {
        XCTAssertEqual(configProblems("tcp_fin = 1\n"),
                       ["/etc/ipvstune.conf:1: unknown key 'tcp_fin': did you mean 'tcpfin'? (the keys are tcp, tcpfin, udp and netns)"])
        XCTAssertEqual(configProblems("tcp_timeout = 1\n").first?.contains("did you mean 'tcp'?"), true)
        XCTAssertEqual(configProblems("namespace = /x\n").first?.contains("did you mean 'netns'?"), true)
        XCTAssertEqual(configProblems("-tcp = 1\n").first?.contains("did you mean 'tcp'?"), true)
    }

    func testMissingEquals() {
        XCTAssertEqual(configProblems("# c\ntcp 7200\n"),
                       ["/etc/ipvstune.conf:2: 'tcp 7200' has no '=': write KEY = VALUE, such as 'tcp = 7200'; the keys are tcp, tcpfin, udp and netns"])
    }

    func testMissingKey() {
        XCTAssertEqual(configProblems(" = 7200\n"),
                       ["/etc/ipvstune.conf:1: '= 7200' has no key before '=': write KEY = VALUE; the keys are tcp, tcpfin, udp and netns"])
    }

    func testEmptyValue() {
        XCTAssertEqual(configProblems("udp =\n"),
                       ["/etc/ipvstune.conf:1: udp has no value: give seconds or a duration such as 2h, or remove the line to keep the kernel's value"])
    }

    func testZeroIsAnError() {
        XCTAssertEqual(configProblems("tcp = 0\n"),
                       ["/etc/ipvstune.conf:1: tcp = 0 is not a timeout: give 1 second or more, or remove the line to keep the kernel's value"])
        XCTAssertEqual(configProblems("tcp = 0s\n").count, 1)
        XCTAssertEqual(configProblems("tcp = 0h0m\n").count, 1)
    }

    func testNegative() {
        XCTAssertEqual(configProblems("tcpfin = -5\n"),
                       ["/etc/ipvstune.conf:1: tcpfin = -5 is negative: give 1 second or more, or remove the line to keep the kernel's value"])
    }

    func testFractional() {
        XCTAssertEqual(configProblems("tcp = 1.5\n"),
                       ["/etc/ipvstune.conf:1: tcp: '1.5' is not a whole number of seconds: give whole seconds or units such as 90s, 15m, 2h"])
        XCTAssertEqual(configProblems("tcp = 1.5h\n").count, 1)
    }

    func testAbove31Days() {
        XCTAssertEqual(configProblems("udp = 2678401\n"),
                       ["/etc/ipvstune.conf:1: udp: '2678401' is above 31 days (2678400 s), the largest timeout ipvsadm and keepalived accept"])
        XCTAssertEqual(configProblems("udp = 32d\n").count, 1)
        XCTAssertEqual(configProblems("udp = 99999999999999999999\n").count, 1)
    }

    func testMalformedValues() {
        for value in ["abc", "2 h", "\"7200\"", "1h30", "7200#x", "30m1h", "0x10"] {
            let problems = configProblems("tcp = \(value)\n")
            XCTAssertEqual(problems.count, 1, value)
            XCTAssertTrue(problems.first?.hasPrefix("/etc/ipvstune.conf:1: tcp: '") == true, "\(value): \(problems)")
        }
    }

    func testTrailingCommentIsAnError() {
        XCTAssertEqual(configProblems("tcp = 7200 # two hours\n"),
                       ["/etc/ipvstune.conf:1: '7200 # two hours' has a comment after the value: put comments on a line of their own, starting with # or ;"])
        XCTAssertEqual(configProblems("udp = 300\t; dns\n").count, 1)
        XCTAssertEqual(configProblems("netns = /run/netns/a # blue\n"),
                       ["/etc/ipvstune.conf:1: '/run/netns/a # blue' has a comment after the value: put comments on a line of their own, starting with # or ;"])
    }

    func testDuplicateKeyInOneFile() {
        XCTAssertEqual(configProblems("tcp = 1\nudp = 2\n\ntcp = 3\n"),
                       ["/etc/ipvstune.conf:4: tcp is already set on line 1 of this file: remove one of the two lines (to override the main file, use a drop-in)"])
    }

    func testEveryProblemIsCollected() {
        let problems = configProblems("tcp = x\nfoo = 1\nudp\ntcpfin = 0\nudp = 5\n")
        XCTAssertEqual(problems.map { $0.split(separator: ":")[1] }, ["1", "2", "3", "4"])
    }

    func testNulByteStopsTheFile() {
        let file = ConfigParser.parse(Array("tcp = 1\nudp = 2\0\nfoo\n".utf8), path: "/etc/ipvstune.conf")
        XCTAssertEqual(file.problems.map(\.description),
                       ["/etc/ipvstune.conf:2: contains a NUL byte: this looks like a binary file, not KEY = VALUE lines; move it away"])
    }

    func testInvalidUTF8() {
        let file = ConfigParser.parse(Array("# ok\n".utf8) + [0x74, 0xFF, 0x0A], path: "/etc/ipvstune.conf")
        XCTAssertEqual(file.problems.map(\.description),
                       ["/etc/ipvstune.conf:2: is not valid UTF-8 text: save the file as UTF-8, or move it away if it is not a config file"])
    }

    func testValidUTF8InCommentsIsFine() {
        XCTAssertEqual(configProblems("# Zeitüberschreitung für TCP — 2 h\ntcp = 2h\n"), [])
    }

    func testBinaryFile() {
        // The start of an ELF file: NUL bytes on the first line.
        let bytes: [UInt8] = [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x0A, 0x00]
        let file = ConfigParser.parse(bytes, path: "/etc/ipvstune.d/x.conf")
        XCTAssertEqual(file.problems.count, 1)
        XCTAssertTrue(file.problems[0].description.hasPrefix("/etc/ipvstune.d/x.conf:1: contains a NUL byte"))
    }

    func testVeryLongLine() {
        let long = "# " + String(repeating: "x", count: 9000)
        XCTAssertEqual(configProblems("tcp = 1\n\(long)\nudp = 2\n"),
                       ["/etc/ipvstune.conf:2: line is 9002 bytes long, more than 8192: shorten it"])
    }

    func testControlCharacters() {
        XCTAssertEqual(configProblems("tcp = 72\u{07}00\n"),
                       ["/etc/ipvstune.conf:1: contains the control character U+0007: remove it; only spaces and tabs may separate words"])
        // An old Mac line end in the middle of a line is a stray CR.
        XCTAssertEqual(configProblems("tcp = 1\rudp = 2\n").first?.contains("U+000D"), true)
    }

    func testLongValuesAreShortenedInMessages() {
        let problems = configProblems("tcp = " + String(repeating: "9", count: 200) + "x\n")
        XCTAssertEqual(problems.count, 1)
        XCTAssertLessThan(problems[0].count, 200)
    }

    func testFailureCountsTheRest() {
        let problems = parseConfig("foo = 1\nbar = 2\nbaz = 3\n").problems
        let failure = Failure.config(problems)
        XCTAssertEqual(failure.status, .config)
        XCTAssertEqual(failure.message, "/etc/ipvstune.conf:1: unknown key 'foo': the keys are tcp, tcpfin, udp and netns (and 2 more problems)")
        XCTAssertEqual(Failure.config(Array(problems.prefix(2))).message.hasSuffix("(and 1 more problem)"), true)
    }
}
