import XCTest
@testable import IPVSTune

final class ConnRenderTests: XCTestCase {
    private func entry(_ line: String) throws -> ConnEntry { try XCTUnwrap(ConnSamples.entry(line)) }

    func testExpiryFormat() {
        XCTAssertEqual(ConnTextRow.expiry(0), "0:00")
        XCTAssertEqual(ConnTextRow.expiry(59), "0:59")
        XCTAssertEqual(ConnTextRow.expiry(899), "14:59")
        XCTAssertEqual(ConnTextRow.expiry(3599), "59:59")
        XCTAssertEqual(ConnTextRow.expiry(3600), "1:00:00")
        XCTAssertEqual(ConnTextRow.expiry(7205), "2:00:05")
        XCTAssertEqual(ConnTextRow.expiry(8_589_934), "2386:05:34")
        XCTAssertEqual(ConnTextRow.expiry(nil), "wrapped")
    }

    func testTextRows() throws {
        XCTAssertEqual(ConnTextRow.header,
                       "PRO  STATE        EXPIRES  CLIENT                VIRTUAL               DEST                  FLAGS\n")
        XCTAssertEqual(ConnTextRow.row(try entry(ConnSamples.tcp)),
                       "TCP  ESTABLISHED    14:59  192.168.0.100:54321   192.168.1.10:80       10.1.0.5:80\n")
        XCTAssertEqual(ConnTextRow.row(try entry(ConnSamples.templateAssured)),
                       "TCP  ASSURED      1:59:59  192.168.0.100:0       192.168.1.10:443      10.1.0.5:443          template\n")
        XCTAssertEqual(ConnTextRow.row(try entry(ConnSamples.fwmarkTemplate)),
                       "IP   ASSURED         4:59  192.168.0.100:0       fwmark:100            10.1.0.5:0            template\n")
        XCTAssertEqual(ConnTextRow.row(try entry(ConnSamples.invalidated)),
                       "TCP  NONE            0:42  192.168.0.100:0       192.168.1.10:65535    10.1.0.5:65535        template invalidated\n")
        XCTAssertEqual(ConnTextRow.row(try entry(ConnSamples.sip)),
                       "UDP  NONE            2:59  192.168.0.100:0       192.168.1.10:5060     10.1.0.5:5060         template sip=3c26f4b1a9d2@192.168.0.100\n")
        XCTAssertEqual(ConnTextRow.row(try entry(ConnSamples.wrapped)),
                       "TCP  CLOSE        wrapped  192.168.0.100:54321   192.168.1.10:80       10.1.0.5:80\n")
        XCTAssertEqual(ConnTextRow.row(try entry(ConnSamples.syncOrigin)),
                       "TCP  ESTABLISHED    14:59  192.168.0.100:54321   192.168.1.10:80       10.1.0.5:80           sync\n")
        XCTAssertEqual(ConnTextRow.row(try entry(ConnSamples.ipv6)),
                       "TCP  ESTABLISHED    15:00  [2001:db8::64]:50000  [2001:db8::a]:443     [2001:db8:1::5]:443\n")
        XCTAssertEqual(ConnTextRow.row(try entry(ConnSamples.sctp)),
                       "SCTP COOKIE_ECHOED     0:03  192.168.0.100:32768   192.168.1.10:2905     10.1.0.5:2905\n")
    }

    func testTextRowHidesControlCharacters() throws {
        var sip = try entry(ConnSamples.sip)
        sip.peData = "a\tb\u{1B}[31m"
        XCTAssertTrue(ConnTextRow.row(sip).hasSuffix("template sip=a?b?[31m\n"))
    }

    func testJSON() throws {
        XCTAssertEqual(try entry(ConnSamples.tcp).json.rendered,
                       #"{"proto":"TCP","state":"ESTABLISHED","expires":899,"expires_wrapped":false,"#
                       + #""client":"192.168.0.100:54321","virtual":"192.168.1.10:80","dest":"10.1.0.5:80","#
                       + #""template":false,"invalidated":false,"fwmark":null,"pe_name":null,"pe_data":null,"origin":null}"#)
        XCTAssertEqual(try entry(ConnSamples.fwmarkTemplate).json.rendered,
                       #"{"proto":"IP","state":"ASSURED","expires":299,"expires_wrapped":false,"#
                       + #""client":"192.168.0.100:0","virtual":"fwmark:100","dest":"10.1.0.5:0","#
                       + #""template":true,"invalidated":false,"fwmark":100,"pe_name":null,"pe_data":null,"origin":null}"#)
        let wrapped = try entry(ConnSamples.wrapped).json.rendered
        XCTAssertTrue(wrapped.contains(#""expires":18446744073709551,"expires_wrapped":true"#), wrapped)
        XCTAssertTrue(try entry(ConnSamples.syncOrigin).json.rendered.hasSuffix(#""origin":"SYNC"}"#))
        XCTAssertTrue(try entry(ConnSamples.ipv6).json.rendered.contains(#""client":"[2001:db8::64]:50000""#))
    }

    func testJSONEscapesPEData() throws {
        var sip = try entry(ConnSamples.sip)
        sip.peData = "a\"b\\c\u{01}\n\té"
        XCTAssertTrue(sip.json.rendered.hasSuffix(#""pe_name":"sip","pe_data":"a\"b\\c\u0001\n\té","origin":null}"#),
                      sip.json.rendered)
        var writer = ConnByteWriter()
        sip.writeJSON(to: &writer)
        XCTAssertEqual(writer.string, sip.json.rendered)
    }

    /// The streaming writer and the JSON value must never drift apart.
    func testFastJSONWriterEqualsTheJSONValue() throws {
        for line in ConnSamples.all {
            let entry = try entry(line)
            var writer = ConnByteWriter()
            entry.writeJSON(to: &writer)
            XCTAssertEqual(writer.string, entry.json.rendered, line)
        }
    }

    func testDecimalWriter() {
        for value: UInt64 in [0, 9, 10, 99, 100, 65535, 4_294_967_296, UInt64.max] {
            var writer = ConnByteWriter()
            writer.append(decimal: value)
            XCTAssertEqual(writer.string, String(value))
        }
    }
}
