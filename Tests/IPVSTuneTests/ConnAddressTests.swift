import XCTest
@testable import IPVSTune
import IPVSTuneTestSupport

final class ConnAddressTests: XCTestCase {
    func testIPv4IsDotted() {
        XCTAssertEqual(IPAddress.v4(0x0A00_0001).description, "10.0.0.1")
        XCTAssertEqual(IPAddress.v4(0).description, "0.0.0.0")
        XCTAssertEqual(IPAddress.v4(0xFFFF_FFFF).description, "255.255.255.255")
    }

    /// RFC 5952: lower case, no leading zeros, the first longest run of 2+ zero groups as ::.
    func testIPv6IsRFC5952() {
        let cases: [(UInt64, UInt64, String)] = [
            (0x2001_0db8_0000_0000, 0x0000_0000_0000_0001, "2001:db8::1"),
            (0, 0, "::"),
            (0, 1, "::1"),
            (0xfe80_0000_0000_0000, 0, "fe80::"),
            (0x2001_0db8_0000_0001, 0x0001_0001_0001_0001, "2001:db8:0:1:1:1:1:1"),
            (0x2001_0000_0000_0001, 0x0000_0000_0000_0001, "2001:0:0:1::1"),
            (0x2001_0db8_0000_0000, 0x0001_0000_0000_0001, "2001:db8::1:0:0:1"),
            (0x2001_0DB8_ABCD_EF01, 0x2345_6789_ABCD_EF01, "2001:db8:abcd:ef01:2345:6789:abcd:ef01"),
            (0, 0x0000_FFFF_C000_0201, "::ffff:192.0.2.1"),
        ]
        for (high, low, text) in cases {
            XCTAssertEqual(IPAddress.v6(high: high, low: low).description, text)
        }
    }

    /// The C library's inet_ntop follows RFC 5952 too; it only differs for the deprecated
    /// IPv4-compatible form (::a.b.c.d), which is left out here.
    func testIPv6AgreesWithInetNtop() {
        var generator = SeededRandom.forTest()
        for _ in 0..<5000 {
            var bytes = [UInt8](repeating: 0, count: 16)
            for group in 0..<8 where Bool.random(using: &generator) {
                bytes[2 * group] = Bool.random(using: &generator) ? 0 : UInt8.random(in: 0...255, using: &generator)
                bytes[2 * group + 1] = UInt8.random(in: 0...255, using: &generator)
            }
            let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            if high == 0 && low >> 32 == 0 { continue }
            var text = [CChar](repeating: 0, count: 64)
            _ = bytes.withUnsafeBytes { inet_ntop(AF_INET6, $0.baseAddress, &text, 64) }
            let expected = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            XCTAssertEqual(IPAddress.v6(high: high, low: low).description, expected)
        }
    }

    func testEndpointsBracketIPv6() {
        XCTAssertEqual(Endpoint(ConnSamples.v4("1.2.3.4"), 80).description, "1.2.3.4:80")
        XCTAssertEqual(Endpoint(ConnSamples.v6("2001:db8::1"), 80).description, "[2001:db8::1]:80")
    }

    func testParsingWhatOperatorsType() {
        XCTAssertEqual(IPAddress(parsing: "10.0.0.1"), .v4(0x0A00_0001))
        XCTAssertEqual(IPAddress(parsing: "2001:db8::1"), .v6(high: 0x2001_0db8_0000_0000, low: 1))
        XCTAssertEqual(IPAddress(parsing: "::ffff:192.0.2.1"), .v6(high: 0, low: 0x0000_FFFF_C000_0201))
        XCTAssertNil(IPAddress(parsing: "10.0.0"))
        XCTAssertNil(IPAddress(parsing: "10.0.0.256"))
        XCTAssertNil(IPAddress(parsing: "2001:db8:::1"))
        XCTAssertNil(IPAddress(parsing: ""))
        XCTAssertNil(IPAddress(parsing: "example.com"))
    }

    func testNetworks() {
        let net8 = ConnNetwork(ConnSamples.v4("10.0.0.0"), prefix: 8)
        XCTAssertTrue(net8.contains(ConnSamples.v4("10.255.1.2")))
        XCTAssertFalse(net8.contains(ConnSamples.v4("11.0.0.1")))
        XCTAssertTrue(ConnNetwork(ConnSamples.v4("1.2.3.4"), prefix: 0).contains(ConnSamples.v4("200.1.1.1")))
        XCTAssertTrue(ConnNetwork(ConnSamples.v4("1.2.3.4"), prefix: 32).contains(ConnSamples.v4("1.2.3.4")))
        XCTAssertFalse(ConnNetwork(ConnSamples.v4("1.2.3.4"), prefix: 32).contains(ConnSamples.v4("1.2.3.5")))
        let v6 = ConnNetwork(ConnSamples.v6("2001:db8::"), prefix: 32)
        XCTAssertTrue(v6.contains(ConnSamples.v6("2001:db8:ffff::1")))
        XCTAssertFalse(v6.contains(ConnSamples.v6("2001:db9::1")))
        XCTAssertTrue(ConnNetwork(ConnSamples.v6("2001:db8::1:0"), prefix: 112).contains(ConnSamples.v6("2001:db8::1:ffff")))
        XCTAssertFalse(ConnNetwork(ConnSamples.v6("2001:db8::1:0"), prefix: 112).contains(ConnSamples.v6("2001:db8::2:0")))
        // Families never mix.
        XCTAssertFalse(ConnNetwork(ConnSamples.v4("0.0.0.0"), prefix: 0).contains(ConnSamples.v6("::")))
    }

    func testOrderPutsIPv4First() {
        XCTAssertLessThan(ConnSamples.v4("9.0.0.0"), ConnSamples.v4("10.0.0.0"))
        XCTAssertLessThan(ConnSamples.v4("255.255.255.255"), ConnSamples.v6("::"))
        XCTAssertLessThan(ConnSamples.v6("::1"), ConnSamples.v6("1::"))
    }
}
