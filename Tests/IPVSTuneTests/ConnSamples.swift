import XCTest
@testable import IPVSTune

/// Rows as the kernel's ip_vs_conn_seq_show / ip_vs_conn_sync_seq_show print them
/// (`%-3s %08X %04X %08X %04X %s %04X %-11s %7lu%s`), one per row shape.
enum ConnSamples {
    static let header = "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData"
    static let syncHeader = "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Origin Expires"

    /// 192.168.0.100:54321 -> 192.168.1.10:80 -> 10.1.0.5:80
    static let tcp = "TCP C0A80064 D431 C0A8010A 0050 0A010005 0050 ESTABLISHED     899"
    static let udp = "UDP 0A000002 A1B2 0A00000A 0035 0A010006 0035 UDP             299"
    static let ipv6 = "TCP 2001:0db8:0000:0000:0000:0000:0000:0064 C350 2001:0db8:0000:0000:0000:0000:0000:000a 01BB "
        + "2001:0db8:0001:0000:0000:0000:0000:0005 01BB ESTABLISHED     900"
    /// An IPv6 service with an IPv4 real server: the kernel prints DestIP in its own family.
    static let ipv6ToIPv4 = "TCP 2001:0db8:0000:0000:0000:0000:0000:0064 C351 2001:0db8:0000:0000:0000:0000:0000:000a 0050 "
        + "0A010005 0050 SYN_RECV         59"
    static let ipv4ToIPv6 = "TCP C0A80064 D432 C0A8010A 0050 2001:0db8:0001:0000:0000:0000:0000:0005 0050 ESTABLISHED     899"
    static let sctp = "SCTP C0A80064 8000 C0A8010A 0B59 0A010005 0B59 COOKIE_ECHOED       3"
    static let templateNone = "TCP C0A80064 0000 C0A8010A 0050 0A010005 0050 NONE            359"
    static let templateAssured = "TCP C0A80064 0000 C0A8010A 01BB 0A010005 01BB ASSURED        7199"
    /// Firewall mark 100 in the ToIP column, protocol IP, ports 0.
    static let fwmarkTemplate = "IP  C0A80064 0000 00000064 0000 0A010005 0000 ASSURED         299"
    static let invalidated = "TCP C0A80064 0000 C0A8010A FFFF 0A010005 FFFF NONE             42"
    static let sip = "UDP C0A80064 0000 C0A8010A 13C4 0A010005 13C4 NONE            179 sip 3c26f4b1a9d2@192.168.0.100"
    /// A timer already due: (expires - jiffies) / HZ wrapped around as an unsigned long.
    static let wrapped = "TCP C0A80064 D431 C0A8010A 0050 0A010005 0050 CLOSE       18446744073709551"
    static let syncOrigin = "TCP C0A80064 D431 C0A8010A 0050 0A010005 0050 ESTABLISHED SYNC       899"
    static let localOrigin = "UDP 0A000002 A1B2 0A00000A 0035 0A010006 0035 UDP         LOCAL      299"

    static let all = [tcp, udp, ipv6, ipv6ToIPv4, ipv4ToIPv6, sctp, templateNone, templateAssured,
                      fwmarkTemplate, invalidated, sip, wrapped, syncOrigin, localOrigin]

    static func entry(_ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) -> ConnEntry? {
        switch ConnRowParser.parse(line) {
        case .entry(let entry): return entry
        case .malformed(let error): XCTFail("malformed: \(error)", file: file, line: lineNumber)
        case nil: XCTFail("skipped", file: file, line: lineNumber)
        }
        return nil
    }

    static func reason(_ line: String, file: StaticString = #filePath, lineNumber: UInt = #line) -> String? {
        guard case .malformed(let error) = ConnRowParser.parse(line, number: 7) else {
            XCTFail("not malformed: \(line)", file: file, line: lineNumber)
            return nil
        }
        XCTAssertEqual(error.line, 7, file: file, line: lineNumber)
        return error.reason
    }

    /// Reads `text` through a ConnReader, as entries and errors.
    static func read(_ text: String, readSize: Int = .max, bufferSize: Int = ConnReader.defaultBufferSize) throws -> [ConnRecord] {
        let reader = ConnReader(bytes: Array(text.utf8), readSize: readSize, bufferSize: bufferSize)
        return try reader.records()
    }

    static func v4(_ text: String) -> IPAddress {
        guard let address = IPAddress(parsing: text), !address.isIPv6 else { fatalError("bad test address \(text)") }
        return address
    }

    static func v6(_ text: String) -> IPAddress {
        guard let address = IPAddress(parsing: text), address.isIPv6 else { fatalError("bad test address \(text)") }
        return address
    }
}
