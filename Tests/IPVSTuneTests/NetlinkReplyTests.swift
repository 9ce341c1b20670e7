import CIPVS
import XCTest
@testable import IPVSTune
import IPVSTuneTestSupport

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
        var generator = SeededRandom.forTest()
        for _ in 0..<2000 {
            var bytes = message(command: setConfig, attribute(tcp, 900) + attribute(udp, 300))
            for _ in 0..<3 {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = parse(bytes)
        }
    }

    // MARK: dumps of services, real servers and daemons

    func attr(_ type: UInt16, _ payload: [UInt8]) -> [UInt8] {
        let padded = payload + [UInt8](repeating: 0, count: (4 - payload.count % 4) % 4)
        return le16(UInt16(4 + payload.count)) + le16(type) + padded
    }

    func nested(_ type: UInt16, _ attributes: [UInt8]) -> [UInt8] {
        attr(type | 0x8000, attributes)  // NLA_F_NESTED, as the kernel sets it
    }

    func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xff)] }

    func testRecordedServiceReply() {
        // IPVS_CMD_NEW_SERVICE (1) with IPVS_CMD_ATTR_SERVICE (1): TCP 10.1.0.100:80 rr, persistent 300.
        let service = nested(1, attr(1, le16(2)) + attr(2, le16(6)) + attr(3, [10, 1, 0, 100] + [UInt8](repeating: 0, count: 12))
                             + attr(4, be16(80)) + attr(6, Array("rr".utf8) + [0]) + attr(7, le32(1) + le32(0xffff_ffff))
                             + attr(8, le32(300)) + attr(9, le32(0xffff_ffff)))
        var out = cipvs_service()
        let bytes = message(command: 1, service)
        let result = bytes.withUnsafeBytes { cipvs_parse_service_reply($0.baseAddress, $0.count, &out) }
        XCTAssertEqual(result, 0)
        XCTAssertEqual(out.af, 2)
        XCTAssertEqual(out.protocol, 6)
        XCTAssertEqual(out.port, 80)
        XCTAssertEqual(out.timeout, 300)
        XCTAssertEqual(out.flags & 1, 1)
        let parsed = IPVSTune.VirtualService(out)
        XCTAssertEqual(parsed.name, "TCP 10.1.0.100:80")
        XCTAssertEqual(parsed.scheduler, "rr")
        XCTAssertEqual(parsed.persistenceTimeout, 300)
    }

    func testFirewallMarkServiceAndIPv6Dest() {
        let service = nested(1, attr(1, le16(10)) + attr(5, le32(7)) + attr(6, Array("sh".utf8) + [0]))
        var svc = cipvs_service()
        XCTAssertEqual(message(command: 1, service).withUnsafeBytes { cipvs_parse_service_reply($0.baseAddress, $0.count, &svc) }, 0)
        XCTAssertEqual(IPVSTune.VirtualService(svc).name, "FWM 7")

        let v6: [UInt8] = [0xfd, 0x02] + [UInt8](repeating: 0, count: 13) + [2]
        let dest = nested(2, attr(1, v6) + attr(2, be16(8080)) + attr(3, le32(0)) + attr(4, le32(3))
                          + attr(7, le32(5)) + attr(8, le32(2)) + attr(9, le32(1)) + attr(11, le16(10)))
        var out = cipvs_dest()
        XCTAssertEqual(message(command: 5, dest).withUnsafeBytes { cipvs_parse_dest_reply($0.baseAddress, $0.count, &out) }, 0)
        let server = IPVSTune.RealServer(out)
        XCTAssertEqual(server.endpoint, "[fd02::2]:8080")
        XCTAssertEqual([server.weight, server.active, server.inactive, server.persistent], [3, 5, 2, 1])
        XCTAssertEqual(server.forward, "masq")
    }

    func testRecordedDaemonReply() {
        let daemon = nested(3, attr(1, le32(2)) + attr(2, Array("eth1".utf8) + [0]) + attr(3, le32(6))
                            + attr(4, le16(1472)) + attr(5, [224, 0, 0, 81]) + attr(7, le16(8848)) + attr(8, [1]))
        var out = cipvs_daemon()
        XCTAssertEqual(message(command: 9, daemon).withUnsafeBytes { cipvs_parse_daemon_reply($0.baseAddress, $0.count, &out) }, 0)
        let parsed = IPVSTune.SyncDaemon(out)
        XCTAssertEqual(parsed?.rendered(.text), "backup on eth1, syncid 6, group 224.0.0.81:8848")
    }

    func testDumpRepliesRejectMissingAndShortAttributes() {
        var svc = cipvs_service()
        // No family.
        let noFamily = message(command: 1, nested(1, attr(5, le32(7))))
        XCTAssertEqual(noFamily.withUnsafeBytes { cipvs_parse_service_reply($0.baseAddress, $0.count, &svc) }, -EBADMSG)
        // An IPv6 service whose address is 4 bytes.
        let shortAddress = message(command: 1, nested(1, attr(1, le16(10)) + attr(2, le16(6)) + attr(3, [1, 2, 3, 4]) + attr(4, be16(80))))
        XCTAssertEqual(shortAddress.withUnsafeBytes { cipvs_parse_service_reply($0.baseAddress, $0.count, &svc) }, -EBADMSG)
        var daemon = cipvs_daemon()
        let noSyncID = message(command: 9, nested(3, attr(1, le32(1))))
        XCTAssertEqual(noSyncID.withUnsafeBytes { cipvs_parse_daemon_reply($0.baseAddress, $0.count, &daemon) }, -EBADMSG)
    }

    func testRandomDumpRepliesNeverCrash() {
        let service = message(command: 1, nested(1, attr(1, le16(2)) + attr(2, le16(6)) + attr(3, [10, 1, 0, 100]) + attr(4, be16(80))))
        var generator = SeededRandom.forTest()
        for _ in 0..<2000 {
            var bytes = service
            for _ in 0..<3 { bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            var svc = cipvs_service(), dest = cipvs_dest(), daemon = cipvs_daemon()
            bytes.withUnsafeBytes { raw in
                _ = cipvs_parse_service_reply(raw.baseAddress, raw.count, &svc)
                _ = cipvs_parse_dest_reply(raw.baseAddress, raw.count, &dest)
                _ = cipvs_parse_daemon_reply(raw.baseAddress, raw.count, &daemon)
            }
        }
    }

    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }
}
