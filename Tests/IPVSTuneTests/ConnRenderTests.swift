import XCTest
@testable import IPVSTune
import IPVSTuneTestSupport

final class ConnRenderTests: XCTestCase {
    private func entry(_ line: String) throws -> ConnEntry { try XCTUnwrap(ConnSamples.entry(line)) }

    func testExpiryFormat() {
        XCTAssertEqual(expiry(0), "0:00")
        XCTAssertEqual(expiry(59), "0:59")
        XCTAssertEqual(expiry(899), "14:59")
        XCTAssertEqual(expiry(3599), "59:59")
        XCTAssertEqual(expiry(3600), "1:00:00")
        XCTAssertEqual(expiry(7205), "2:00:05")
        XCTAssertEqual(expiry(8_589_934), "2386:05:34")
        XCTAssertEqual(expiry(nil), "wrapped")
    }

    func testTextRows() throws {
        XCTAssertEqual(ConnListing.header,
                       "PRO  STATE        EXPIRES  CLIENT                VIRTUAL               DEST                  FLAGS\n")
        XCTAssertEqual(ConnListing.row(try entry(ConnSamples.tcp)),
                       "TCP  ESTABLISHED    14:59  192.168.0.100:54321   192.168.1.10:80       10.1.0.5:80\n")
        XCTAssertEqual(ConnListing.row(try entry(ConnSamples.templateAssured)),
                       "TCP  ASSURED      1:59:59  192.168.0.100:0       192.168.1.10:443      10.1.0.5:443          template\n")
        XCTAssertEqual(ConnListing.row(try entry(ConnSamples.fwmarkTemplate)),
                       "IP   ASSURED         4:59  192.168.0.100:0       fwmark:100            10.1.0.5:0            template\n")
        XCTAssertEqual(ConnListing.row(try entry(ConnSamples.invalidated)),
                       "TCP  NONE            0:42  192.168.0.100:0       192.168.1.10:65535    10.1.0.5:65535        template invalidated\n")
        XCTAssertEqual(ConnListing.row(try entry(ConnSamples.sip)),
                       "UDP  NONE            2:59  192.168.0.100:0       192.168.1.10:5060     10.1.0.5:5060         template sip=3c26f4b1a9d2@192.168.0.100\n")
        XCTAssertEqual(ConnListing.row(try entry(ConnSamples.wrapped)),
                       "TCP  CLOSE        wrapped  192.168.0.100:54321   192.168.1.10:80       10.1.0.5:80\n")
        XCTAssertEqual(ConnListing.row(try entry(ConnSamples.syncOrigin)),
                       "TCP  ESTABLISHED    14:59  192.168.0.100:54321   192.168.1.10:80       10.1.0.5:80           sync\n")
        XCTAssertEqual(ConnListing.row(try entry(ConnSamples.ipv6)),
                       "TCP  ESTABLISHED    15:00  [2001:db8::64]:50000  [2001:db8::a]:443     [2001:db8:1::5]:443\n")
        XCTAssertEqual(ConnListing.row(try entry(ConnSamples.sctp)),
                       "SCTP COOKIE_ECHOED     0:03  192.168.0.100:32768   192.168.1.10:2905     10.1.0.5:2905\n")
    }

    func testTextRowHidesControlCharacters() throws {
        var sip = try entry(ConnSamples.sip)
        sip.peData = "a\tb\u{1B}[31m"
        XCTAssertTrue(ConnListing.row(sip).hasSuffix("template sip=a?b?[31m\n"))
    }

    private func expiry(_ seconds: UInt64?) -> String {
        var out = OutputBuffer()
        out.append(expiry: seconds, width: 0)
        return out.string
    }

    private func json(_ entry: ConnEntry) -> String { String(ConnListing.row(entry, json: true).dropLast()) }

    func testJSON() throws {
        XCTAssertEqual(json(try entry(ConnSamples.tcp)),
                       #"{"proto":"TCP","state":"ESTABLISHED","expires":899,"expires_wrapped":false,"#
                       + #""client":"192.168.0.100:54321","virtual":"192.168.1.10:80","dest":"10.1.0.5:80","#
                       + #""template":false,"invalidated":false,"fwmark":null,"pe_name":null,"pe_data":null,"origin":null}"#)
        XCTAssertEqual(json(try entry(ConnSamples.fwmarkTemplate)),
                       #"{"proto":"IP","state":"ASSURED","expires":299,"expires_wrapped":false,"#
                       + #""client":"192.168.0.100:0","virtual":"fwmark:100","dest":"10.1.0.5:0","#
                       + #""template":true,"invalidated":false,"fwmark":100,"pe_name":null,"pe_data":null,"origin":null}"#)
        let wrapped = json(try entry(ConnSamples.wrapped))
        XCTAssertTrue(wrapped.contains(#""expires":18446744073709551,"expires_wrapped":true"#), wrapped)
        XCTAssertTrue(json(try entry(ConnSamples.syncOrigin)).hasSuffix(#""origin":"SYNC"}"#))
        XCTAssertTrue(json(try entry(ConnSamples.ipv6)).contains(#""client":"[2001:db8::64]:50000""#))
        XCTAssertTrue(ConnListing.row(try entry(ConnSamples.tcp), json: true).hasSuffix("}\n"))
    }

    /// The listing escapes with the project's one JSON escaper, byte for byte as the JSON value.
    func testJSONEscapesNamesAndPEData() throws {
        var sip = try entry(ConnSamples.sip)
        sip.peData = "a\"b\\c\u{01}\n\té\u{7F}"
        sip.protoName = ConnName("U\u{1F}P")
        XCTAssertTrue(json(sip).hasSuffix(#""pe_name":"sip","pe_data":"a\"b\\c\u0001\n\té"# + "\u{7F}\",\"origin\":null}"), json(sip))
        XCTAssertTrue(json(sip).hasPrefix(#"{"proto":"U\u001fP","#), json(sip))
        for text in [sip.peData ?? "", sip.proto, "", "\u{0}\u{1F} \"\\/é€😀"] {
            var buffer = OutputBuffer()
            buffer.appendJSONString(utf8: text.utf8)
            var printer = Printer(.json)
            printer.write(.string(text))
            XCTAssertEqual(buffer.string, printer.out.string, text)
        }
    }

    /// Text and JSON come from one list of fields: each JSON line holds the text row's values.
    func testTextAndJSONShowTheSameValues() throws {
        for line in ConnSamples.all {
            let entry = try entry(line)
            let row = ConnListing.row(entry)
            let object = json(entry)
            XCTAssertTrue(JSONCheck.isValid(Array(object.utf8)), object)
            for value in [entry.client.description, entry.virtualText, entry.dest.description, entry.proto, entry.state] {
                XCTAssertTrue(row.contains(value), "\(value) in \(row)")
                XCTAssertTrue(object.contains("\"\(value)\""), "\(value) in \(object)")
            }
            XCTAssertEqual(row.contains("template"), object.contains(#""template":true"#), line)
            XCTAssertEqual(row.contains("invalidated"), object.contains(#""invalidated":true"#), line)
            XCTAssertEqual(row.hasSuffix("sync\n"), object.contains(#""origin":"SYNC""#), line)
        }
    }

    func testNumberAndColumnWriters() {
        for value: UInt64 in [0, 9, 10, 99, 100, 65535, 99_999_999, 100_000_000, 4_294_967_296, UInt64.max] {
            var out = OutputBuffer()
            out.append(decimal: value)
            XCTAssertEqual(out.string, String(value))
        }
        var padded = OutputBuffer()
        padded.append(decimal: 7, minimumDigits: 3)
        XCTAssertEqual(padded.string, "007")
        for group in UInt16.min...UInt16.max {
            var out = OutputBuffer()
            out.append(hex: group)
            XCTAssertEqual(out.string, String(group, radix: 16))
        }
        for port in UInt16.min...UInt16.max {
            var out = OutputBuffer()
            let (high, low) = (UInt32(port >> 8), UInt32(port & 0xFF))
            out.append(dottedQuad: high << 24 | low << 16 | low << 8 | high, port: port)
            XCTAssertEqual(out.string, "\(high).\(low).\(low).\(high):\(port)")
        }
        var columns = OutputBuffer(capacity: 1)  // grows as it goes
        columns.append("TCP", paddedTo: 5)
        columns.append("ESTABLISHED_LONGER", paddedTo: 12)
        columns.append(dottedQuad: 0x0A00_0001, port: nil, paddedTo: 10)
        columns.append(UInt8(ascii: "x"), count: 0)
        columns.append("end  ")
        columns.trimSpaces(downTo: columns.count - 4)
        XCTAssertEqual(columns.string, "TCP  ESTABLISHED_LONGER 10.0.0.1  end")
        XCTAssertEqual(Array(columns.bytes), Array(columns.string.utf8))
    }

    /// RFC 5952 for every set of zero groups, against the rules written out plainly.
    func testIPv6ZeroRuns() {
        func plain(_ groups: [UInt16]) -> String {
            var best = (start: -1, length: 1)
            var index = 0
            while index < 8 {
                var end = index
                while end < 8 && groups[end] == 0 { end += 1 }
                if end - index > best.length { best = (index, end - index) }
                index = max(end, index + 1)
            }
            let text = groups.map { String($0, radix: 16) }
            guard best.start >= 0 else { return text.joined(separator: ":") }
            return text[..<best.start].joined(separator: ":") + "::" + text[(best.start + best.length)...].joined(separator: ":")
        }
        var generator = SeededRandom.forTest()
        for mask in 0..<256 {
            for _ in 0..<20 {
                let groups = (0..<8).map { mask & (1 << $0) != 0 ? 0 : UInt16.random(in: 1...UInt16.max, using: &generator) }
                let high = groups[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
                let low = groups[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
                if high == 0 && low >> 32 == 0xFFFF { continue }
                XCTAssertEqual(IPAddress.v6(high: high, low: low).description, plain(groups), "\(groups) seed \(generator.seed)")
            }
        }
    }
}
