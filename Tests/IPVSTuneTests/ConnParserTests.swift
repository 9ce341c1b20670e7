import XCTest
@testable import IPVSTune
import IPVSTuneTestSupport

final class ConnParserTests: XCTestCase {
    func testIPv4TCPEstablished() throws {
        let entry = try XCTUnwrap(ConnSamples.entry(ConnSamples.tcp))
        XCTAssertEqual(entry.proto, "TCP")
        XCTAssertEqual(entry.client, Endpoint(.v4(0xC0A8_0064), 54321))
        XCTAssertEqual(entry.client.description, "192.168.0.100:54321")
        XCTAssertEqual(entry.virtual.description, "192.168.1.10:80")
        XCTAssertEqual(entry.dest.description, "10.1.0.5:80")
        XCTAssertEqual(entry.state, "ESTABLISHED")
        XCTAssertEqual(entry.expires, 899)
        XCTAssertEqual(entry.expiresIn, 899)
        XCTAssertFalse(entry.isTemplate)
        XCTAssertFalse(entry.isInvalidated)
        XCTAssertNil(entry.firewallMark)
        XCTAssertNil(entry.peName)
        XCTAssertNil(entry.peData)
        XCTAssertNil(entry.origin)
    }

    func testUDP() throws {
        let entry = try XCTUnwrap(ConnSamples.entry(ConnSamples.udp))
        XCTAssertEqual(entry.proto, "UDP")
        XCTAssertEqual(entry.state, "UDP")
        XCTAssertEqual(entry.client.description, "10.0.0.2:41394")
        XCTAssertEqual(entry.virtual.description, "10.0.0.10:53")
        XCTAssertEqual(entry.expires, 299)
    }

    func testIPv6() throws {
        let entry = try XCTUnwrap(ConnSamples.entry(ConnSamples.ipv6))
        XCTAssertEqual(entry.client.address, ConnSamples.v6("2001:db8::64"))
        XCTAssertEqual(entry.client.description, "[2001:db8::64]:50000")
        XCTAssertEqual(entry.virtual.description, "[2001:db8::a]:443")
        XCTAssertEqual(entry.dest.description, "[2001:db8:1::5]:443")
        XCTAssertEqual(entry.expires, 900)
    }

    func testIPv6ClientWithIPv4Destination() throws {
        let entry = try XCTUnwrap(ConnSamples.entry(ConnSamples.ipv6ToIPv4))
        XCTAssertTrue(entry.client.address.isIPv6)
        XCTAssertTrue(entry.virtual.address.isIPv6)
        XCTAssertEqual(entry.dest.description, "10.1.0.5:80")
        XCTAssertEqual(entry.state, "SYN_RECV")
    }

    func testIPv4ClientWithIPv6Destination() throws {
        let entry = try XCTUnwrap(ConnSamples.entry(ConnSamples.ipv4ToIPv6))
        XCTAssertEqual(entry.client.description, "192.168.0.100:54322")
        XCTAssertEqual(entry.dest.description, "[2001:db8:1::5]:80")
    }

    func testSCTP() throws {
        let entry = try XCTUnwrap(ConnSamples.entry(ConnSamples.sctp))
        XCTAssertEqual(entry.proto, "SCTP")
        XCTAssertEqual(entry.state, "COOKIE_ECHOED")
        XCTAssertEqual(entry.virtual.port, 2905)
        XCTAssertEqual(entry.expires, 3)
    }

    func testPersistenceTemplates() throws {
        let none = try XCTUnwrap(ConnSamples.entry(ConnSamples.templateNone))
        XCTAssertTrue(none.isTemplate)
        XCTAssertFalse(none.isInvalidated)
        XCTAssertEqual(none.state, "NONE")
        XCTAssertEqual(none.client.port, 0)
        let assured = try XCTUnwrap(ConnSamples.entry(ConnSamples.templateAssured))
        XCTAssertTrue(assured.isTemplate)
        XCTAssertEqual(assured.state, "ASSURED")
        XCTAssertEqual(assured.expires, 7199)
    }

    func testFirewallMarkTemplate() throws {
        let entry = try XCTUnwrap(ConnSamples.entry(ConnSamples.fwmarkTemplate))
        XCTAssertEqual(entry.proto, "IP")
        XCTAssertTrue(entry.isTemplate)
        XCTAssertEqual(entry.firewallMark, 100)
        XCTAssertEqual(entry.virtualText, "fwmark:100")
        XCTAssertEqual(entry.dest.description, "10.1.0.5:0")
    }

    func testIPv6FirewallMarkTakesTheFirstFourBytes() throws {
        let line = "IP  2001:0db8:0000:0000:0000:0000:0000:0064 0000 0000:0064:0000:0000:0000:0000:0000:0000 0000 "
            + "2001:0db8:0001:0000:0000:0000:0000:0005 0000 NONE            299"
        let entry = try XCTUnwrap(ConnSamples.entry(line))
        XCTAssertEqual(entry.firewallMark, 100)
        XCTAssertEqual(entry.virtualText, "fwmark:100")
    }

    func testInvalidatedTemplate() throws {
        let entry = try XCTUnwrap(ConnSamples.entry(ConnSamples.invalidated))
        XCTAssertTrue(entry.isTemplate)
        XCTAssertTrue(entry.isInvalidated)
        XCTAssertEqual(entry.virtual.port, 0xFFFF)
        XCTAssertEqual(entry.dest.port, 0xFFFF)
    }

    func testPersistenceEngineData() throws {
        let entry = try XCTUnwrap(ConnSamples.entry(ConnSamples.sip))
        XCTAssertEqual(entry.peName, "sip")
        XCTAssertEqual(entry.peData, "3c26f4b1a9d2@192.168.0.100")
        XCTAssertTrue(entry.isTemplate)
    }

    func testPEDataKeepsInnerSpacesAndOddBytes() throws {
        let line = "UDP C0A80064 0000 C0A8010A 13C4 0A010005 13C4 NONE 179 sip a \"b\"\\c"
        let entry = try XCTUnwrap(ConnSamples.entry(line))
        XCTAssertEqual(entry.peData, "a \"b\"\\c")
        var bytes = Array("UDP C0A80064 0000 C0A8010A 13C4 0A010005 13C4 NONE 1 sip x".utf8)
        bytes.append(0xFF)  // not UTF-8: replaced, never a crash
        let record = bytes.withUnsafeBufferPointer { ConnRowParser.parse($0, number: 1) }
        guard case .entry(let odd) = record else { return XCTFail("\(String(describing: record))") }
        XCTAssertEqual(odd.peData, "x\u{FFFD}")
    }

    func testPENameWithoutData() throws {
        let entry = try XCTUnwrap(ConnSamples.entry("UDP C0A80064 0000 C0A8010A 13C4 0A010005 13C4 NONE 179 sip"))
        XCTAssertEqual(entry.peName, "sip")
        XCTAssertEqual(entry.peData, "")
    }

    func testWrappedExpiry() throws {
        let entry = try XCTUnwrap(ConnSamples.entry(ConnSamples.wrapped))
        XCTAssertEqual(entry.expires, 18_446_744_073_709_551)
        XCTAssertTrue(entry.isExpiryWrapped)
        XCTAssertNil(entry.expiresIn)
        let near32 = try XCTUnwrap(ConnSamples.entry("TCP C0A80064 D431 C0A8010A 0050 0A010005 0050 CLOSE 4294967290"))
        XCTAssertTrue(near32.isExpiryWrapped)
        let beyond = try XCTUnwrap(ConnSamples.entry("TCP C0A80064 D431 C0A8010A 0050 0A010005 0050 CLOSE 99999999999999999999999999"))
        XCTAssertEqual(beyond.expires, UInt64.max)
        let longest = try XCTUnwrap(ConnSamples.entry("TCP C0A80064 D431 C0A8010A 0050 0A010005 0050 CLOSE 8589934"))
        XCTAssertEqual(longest.expiresIn, 8_589_934)
    }

    func testSyncOrigin() throws {
        let sync = try XCTUnwrap(ConnSamples.entry(ConnSamples.syncOrigin))
        XCTAssertEqual(sync.origin, .sync)
        XCTAssertEqual(sync.expires, 899)
        XCTAssertEqual(sync.state, "ESTABLISHED")
        let local = try XCTUnwrap(ConnSamples.entry(ConnSamples.localOrigin))
        XCTAssertEqual(local.origin, .local)
        XCTAssertEqual(local.expires, 299)
        XCTAssertNil(local.peName)
    }

    func testHeadersAndBlankLinesAreSkipped() {
        XCTAssertNil(ConnRowParser.parse(ConnSamples.header))
        XCTAssertNil(ConnRowParser.parse(ConnSamples.syncHeader))
        XCTAssertNil(ConnRowParser.parse(""))
        XCTAssertNil(ConnRowParser.parse("   \r"))
    }

    func testCRLFIsTolerated() throws {
        let entry = try XCTUnwrap(ConnSamples.entry(ConnSamples.tcp + "\r"))
        XCTAssertEqual(entry.expires, 899)
        let sip = try XCTUnwrap(ConnSamples.entry(ConnSamples.sip + "\r"))
        XCTAssertEqual(sip.peData, "3c26f4b1a9d2@192.168.0.100")
    }

    func testLowerCaseHexIsAccepted() throws {
        let entry = try XCTUnwrap(ConnSamples.entry("TCP c0a80064 d431 c0a8010a 0050 0a010005 0050 ESTABLISHED 1"))
        XCTAssertEqual(entry.client.description, "192.168.0.100:54321")
    }

    func testTooFewFields() {
        XCTAssertEqual(ConnSamples.reason("TCP C0A80064 D431 C0A8010A 0050"),
                       "only 5 fields, destination address is missing (a row is: Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires)")
        XCTAssertEqual(ConnSamples.reason("TCP C0A80064 D431 C0A8010A 0050 0A010005 0050 ESTABLISHED"),
                       "only 8 fields, Expires is missing (a row is: Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires)")
        XCTAssertEqual(ConnSamples.reason("garbage"),
                       "only 1 fields, client address is missing (a row is: Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires)")
    }

    func testTooManyFieldsInASyncRow() {
        XCTAssertEqual(ConnSamples.reason(ConnSamples.syncOrigin + " extra"),
                       "unexpected 'extra' after Expires in a row with an Origin column")
        XCTAssertEqual(ConnSamples.reason("TCP C0A80064 D431 C0A8010A 0050 0A010005 0050 ESTABLISHED SYNC"),
                       "only 9 fields, Expires is missing (a row is: Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires)")
    }

    func testBadHex() {
        XCTAssertEqual(ConnSamples.reason("TCP C0A8006Z D431 C0A8010A 0050 0A010005 0050 ESTABLISHED 899"),
                       "client address 'C0A8006Z' is not hexadecimal")
        XCTAssertEqual(ConnSamples.reason("TCP C0A80064 D43G C0A8010A 0050 0A010005 0050 ESTABLISHED 899"),
                       "client port 'D43G' is not 4 hex digits")
        XCTAssertEqual(ConnSamples.reason("TCP C0A80064 D431 C0A8010A 00500 0A010005 0050 ESTABLISHED 899"),
                       "virtual port '00500' is not 4 hex digits")
    }

    func testBadAddressLength() {
        XCTAssertEqual(ConnSamples.reason("TCP C0A80064 D431 C0A801 0050 0A010005 0050 ESTABLISHED 899"),
                       "virtual address 'C0A801' has 6 hex digits: an IPv4 address has 8")
        XCTAssertEqual(ConnSamples.reason("TCP C0A80064 D431 C0A8010A 0050 0A0100050 0050 ESTABLISHED 899"),
                       "destination address '0A0100050' has 9 hex digits: an IPv4 address has 8")
        XCTAssertEqual(ConnSamples.reason("TCP C0A80064 D431 C0A8010A 0050 0A0100050A0100050A 0050 ESTABLISHED 899"),
                       "destination address '0A0100050A0100050A' has 18 hex digits: an IPv4 address has 8")
        XCTAssertEqual(ConnSamples.reason("TCP 2001:db8::1 D431 C0A8010A 0050 0A010005 0050 ESTABLISHED 899"),
                       "client address '2001:db8::1' is not a full IPv6 address (8 groups of 4 hex digits)")
        XCTAssertEqual(ConnSamples.reason("TCP 2001:0db8:0000:0000:0000:0000:0000:0000:0001 D431 C0A8010A 0050 0A010005 0050 X 1"),
                       "client address '2001:0db8:0000:0000:0000:0000:0000:0000:0001' is not a full IPv6 address (8 groups of 4 hex digits)")
        XCTAssertEqual(ConnSamples.reason("TCP 2001:0db8:0000:0000:0000:0000:0000:00001 D431 C0A8010A 0050 0A010005 0050 X 1"),
                       "client address '2001:0db8:0000:0000:0000:0000:0000:00001' is not a full IPv6 address (8 groups of 4 hex digits)")
    }

    func testBadExpiresAndOrigin() {
        XCTAssertEqual(ConnSamples.reason("TCP C0A80064 D431 C0A8010A 0050 0A010005 0050 ESTABLISHED soon"),
                       "expected Expires seconds (or Origin LOCAL/SYNC) after the state, found 'soon'")
        XCTAssertEqual(ConnSamples.reason("TCP C0A80064 D431 C0A8010A 0050 0A010005 0050 ESTABLISHED SYNC -1"),
                       "Expires '-1' is not a number of seconds")
    }

    func testLongGarbageIsQuotedShort() throws {
        let long = String(repeating: "Z", count: 500)
        let reason = try XCTUnwrap(ConnSamples.reason("TCP \(long) D431 C0A8010A 0050 0A010005 0050 ESTABLISHED 1"))
        XCTAssertEqual(reason, "client address '\(String(repeating: "Z", count: 48))...' is not hexadecimal")
    }

    /// No input may trap: feed every prefix of every sample and random bytes.
    func testNeverTrapsOnTruncatedOrRandomInput() {
        for line in ConnSamples.all {
            let bytes = Array(line.utf8)
            for cut in 0...bytes.count {
                _ = Array(bytes[..<cut]).withUnsafeBufferPointer { ConnRowParser.parse($0, number: 1) }
            }
        }
        var generator = SeededRandom.forTest()
        let alphabet = Array("0123456789ABCDEFabcdef: \t\rTCPUDPSYNC".utf8) + [0, 0xFF, 0x80]
        for _ in 0..<2000 {
            let count = Int.random(in: 0..<160, using: &generator)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &generator) ?? 32 }
            _ = bytes.withUnsafeBufferPointer { ConnRowParser.parse($0, number: 1) }
        }
    }

    /// The state and expiry columns at every width and spacing around the kernel's `%-11s %7lu`:
    /// what is an entry and what is an error does not depend on the layout.
    func testStateAndExpiryColumnsAtEveryWidth() {
        let prefix = "TCP 0A64C59B 0B05 C0A80A01 01BB 0A000001 01BB "
        for state in ["A", "NONE", "ESTABLISHED", "SHUTDOWN_ACK", "É"] {
            for expiry in ["0", "1693", "9999999", "12345678", "-1", "x1"] {
                for gap in [" ", "  ", "\t", "           "] {
                    let record = ConnRowParser.parse(prefix + state + gap + expiry)
                    switch (state, expiry) {
                    case ("É", _):
                        XCTAssertEqual(record, .malformed(ConnParseError(line: 1, reason: "state 'É' is not a state name: the kernel writes ASCII names")))
                    case (_, "-1"), (_, "x1"):
                        guard case .malformed? = record else { return XCTFail("\(state) \(expiry): \(String(describing: record))") }
                    default:
                        guard case .entry(let entry)? = record else { return XCTFail("\(state) \(expiry): \(String(describing: record))") }
                        XCTAssertEqual(entry.state, state)
                        XCTAssertEqual(entry.expires, UInt64(expiry))
                    }
                }
            }
        }
    }

    /// Every change of one byte of a kernel row gives an entry or an error, never a trap, and
    /// an entry only when the changed row still has the row's shape.
    func testOneByteChangesOfKernelRows() {
        let replacements = Array("0Ffg: \t\r\n\"".utf8) + [0, 0x80, 0xFF]
        for row in ConnSamples.all {
            let bytes = Array(row.utf8)
            for index in bytes.indices {
                for replacement in replacements {
                    var changed = bytes
                    changed[index] = replacement
                    let record = changed.withUnsafeBufferPointer { ConnRowParser.parse($0, number: 3) }
                    if case .malformed(let error)? = record { XCTAssertEqual(error.line, 3) }
                }
            }
        }
    }
}
