import XCTest
@testable import IPVSTune

final class ConnSortTests: XCTestCase {
    private let entries = [ConnSamples.tcp, ConnSamples.wrapped, ConnSamples.ipv6, ConnSamples.udp,
                           ConnSamples.templateNone, ConnSamples.sctp].compactMap { ConnSamples.entry($0) }

    func testByExpire() {
        XCTAssertEqual(ConnSortKey.expire.sorted(entries).map(\.expires), [3, 299, 359, 899, 900, 18_446_744_073_709_551])
    }

    func testByClient() {
        XCTAssertEqual(ConnSortKey.client.sorted(entries).map(\.client.description),
                       ["10.0.0.2:41394", "192.168.0.100:0", "192.168.0.100:32768", "192.168.0.100:54321",
                        "192.168.0.100:54321", "[2001:db8::64]:50000"])
        // Equal clients: soonest to expire first.
        XCTAssertEqual(ConnSortKey.client.sorted(entries)[3].state, "ESTABLISHED")
    }

    func testByState() {
        XCTAssertEqual(ConnSortKey.state.sorted(entries).map(\.state),
                       ["CLOSE", "COOKIE_ECHOED", "ESTABLISHED", "ESTABLISHED", "NONE", "UDP"])
    }

    func testStableForEqualKeys() throws {
        var first = try XCTUnwrap(ConnSamples.entry(ConnSamples.tcp))
        var second = first
        first.peName = "a"
        second.peName = "b"
        XCTAssertEqual(ConnSortKey.expire.sorted([first, second]).map(\.peName), ["a", "b"])
        XCTAssertEqual(ConnSortKey.expire.sorted([second, first]).map(\.peName), ["b", "a"])
        XCTAssertEqual(ConnSortKey.state.order([]), [])
    }

    func testArgumentNames() {
        XCTAssertEqual(ConnSortKey.allCases.map(\.rawValue), ["expire", "client", "state"])
    }
}
