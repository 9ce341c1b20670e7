import XCTest
@testable import IPVSTune

final class ReportTests: XCTestCase {
    func testGetJSONIsStable() {
        XCTAssertEqual(TimeoutReport(.kernelDefaults).rendered(.json), #"{"tcp":900,"tcpfin":120,"udp":300}"# + "\n")
    }

    func testGetTextHasOneLinePerTimeoutWithSecondsAndDuration() {
        let lines = TimeoutReport(Timeouts(tcp: 7200, tcpfin: 120, udp: 300)).rendered(.text).split(separator: "\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertEqual(lines.map { $0.split(separator: " ")[0] }, ["tcp", "tcpfin", "udp"])
        XCTAssertEqual(lines.map { $0.split(separator: " ")[1] }, ["7200", "120", "300"])
        XCTAssertTrue(lines[0].contains("(2h)"))
    }

    func testSingleValueIsJustTheNumber() {
        XCTAssertEqual(TimeoutReport(.kernelDefaults, only: .tcpfin).rendered(.text), "120\n")
    }

    func testJSONEscapesStrings() {
        var printer = Printer(.json)
        printer.write(.string("a\"b\\c\n\u{1}é"))
        XCTAssertEqual(printer.out.string, #""a\"b\\c\n\u0001é""#)
    }

    func testNamespaceArguments() throws {
        XCTAssertEqual(try NetworkNamespace("blue").path, "/run/netns/blue")
        XCTAssertEqual(try NetworkNamespace("/var/run/docker/netns/ingress_sbox").path, "/var/run/docker/netns/ingress_sbox")
        XCTAssertThrowsError(try NetworkNamespace(""))
        XCTAssertThrowsError(try NetworkNamespace(".."))
    }

    func testMissingNamespaceIsNoInput() {
        XCTAssertThrowsError(try NetworkNamespace("ipvstune-no-such-namespace").enter()) { error in
            XCTAssertEqual((error as? Failure)?.status, .noInput)
        }
    }
}
