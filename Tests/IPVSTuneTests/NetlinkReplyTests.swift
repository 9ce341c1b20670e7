import CIPVS
import XCTest

/// The shim's GET_CONFIG reply parser, fed recorded and broken replies.
final class NetlinkReplyTests: XCTestCase {
    // Attribute numbers and the reply command from <linux/ip_vs.h>.
    let tcp: UInt16 = 4, tcpFin: UInt16 = 5, udp: UInt16 = 6
    let setConfig: UInt8 = 12  // IPVS_CMD_SET_CONFIG: the kernel answers GET_CONFIG (13) with it

    func attribute(_ type: UInt16, _ value: UInt32) -> [UInt8] {
        le16(8) + le16(type) + le32(value)
    }

    func message(command: UInt8, _ attributes: [UInt8], family: UInt16 = 30) -> [UInt8] {
        let length = 16 + 4 + attributes.count
        return le32(UInt32(length)) + le16(family) + le16(0) + le32(1) + le32(4242)
            + [command, 1, 0, 0] + attributes
    }

    func parse(_ bytes: [UInt8]) -> (Int32, cipvs_timeouts) {
        var out = cipvs_timeouts()
        let result = bytes.withUnsafeBytes { cipvs_parse_config_reply($0.baseAddress, $0.count, &out) }
        return (result, out)
    }

    func testRecordedReply() {
        let (result, out) = parse(message(command: setConfig,
                                          attribute(tcp, 900) + attribute(tcpFin, 120) + attribute(udp, 300)))
        XCTAssertEqual(result, 0)
        XCTAssertEqual([out.tcp, out.tcp_fin, out.udp], [900, 120, 300])
    }

    func testMissingAttributesReadAsZero() {
        let (result, out) = parse(message(command: setConfig, attribute(udp, 60)))
        XCTAssertEqual(result, 0)
        XCTAssertEqual([out.tcp, out.tcp_fin, out.udp], [0, 0, 60])
    }

    func testRejectsShortAttributes() {
        let short = le16(6) + le16(tcp) + [1, 2, 0, 0]  // a u16 where a u32 belongs
        XCTAssertEqual(parse(message(command: setConfig, short)).0, -EBADMSG)
    }

    func testRejectsTruncatedAndForeignMessages() {
        let good = message(command: setConfig, attribute(tcp, 900))
        XCTAssertEqual(parse(Array(good.prefix(10))).0, -EBADMSG)
        XCTAssertEqual(parse(Array(good.prefix(good.count - 2))).0, -EBADMSG)
        XCTAssertEqual(parse(message(command: 13, attribute(tcp, 900))).0, -EBADMSG)
        XCTAssertEqual(parse([]).0, -EBADMSG)
    }

    func testRandomBytesNeverCrash() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var bytes = message(command: setConfig, attribute(tcp, 900) + attribute(udp, 300))
            for _ in 0..<3 {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = parse(bytes)
        }
    }

    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }
}
