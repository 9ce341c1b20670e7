import XCTest
@testable import IPVSTune
import IPVSTuneTestSupport

final class ConnReaderTests: XCTestCase {
    private func entries(_ records: [ConnRecord]) -> [ConnEntry] {
        records.compactMap { if case .entry(let entry) = $0 { entry } else { nil } }
    }

    private func errors(_ records: [ConnRecord]) -> [ConnParseError] {
        records.compactMap { if case .malformed(let error) = $0 { error } else { nil } }
    }

    func testEmptyInput() throws {
        XCTAssertEqual(try ConnSamples.read(""), [])
    }

    func testHeaderOnly() throws {
        XCTAssertEqual(try ConnSamples.read(ConnSamples.header + "\n"), [])
        XCTAssertEqual(try ConnSamples.read(ConnSamples.header), [])
    }

    func testWholeTable() throws {
        let text = ([ConnSamples.header] + ConnSamples.all).joined(separator: "\n") + "\n"
        let records = try ConnSamples.read(text)
        XCTAssertEqual(entries(records).count, ConnSamples.all.count)
        XCTAssertEqual(errors(records), [])
    }

    func testNoTrailingNewline() throws {
        let records = try ConnSamples.read(ConnSamples.header + "\n" + ConnSamples.tcp + "\n" + ConnSamples.udp)
        XCTAssertEqual(entries(records).map(\.proto), ["TCP", "UDP"])
    }

    func testCRLFFile() throws {
        let records = try ConnSamples.read(ConnSamples.header + "\r\n" + ConnSamples.tcp + "\r\n" + ConnSamples.sip + "\r\n")
        XCTAssertEqual(entries(records).map(\.expires), [899, 179])
        XCTAssertEqual(entries(records).last?.peData, "3c26f4b1a9d2@192.168.0.100")
    }

    /// /proc hands out a page or less per read(): lines split across reads must come out whole.
    func testShortReadsGiveTheSameResult() throws {
        let text = ([ConnSamples.header] + ConnSamples.all + ["bad line here"]).joined(separator: "\n") + "\n"
        let whole = try ConnSamples.read(text)
        for readSize in [1, 2, 7, 64, 100, 4096] {
            XCTAssertEqual(try ConnSamples.read(text, readSize: readSize), whole, "read size \(readSize)")
        }
        XCTAssertEqual(try ConnSamples.read(text, readSize: 3, bufferSize: 200), whole)
    }

    func testMalformedLinesCarryTheirLineNumberAndReadingGoesOn() throws {
        let text = [ConnSamples.header, ConnSamples.tcp, "TCP C0A80064 D431", ConnSamples.udp, "", "TCP XYZ"].joined(separator: "\n")
        let records = try ConnSamples.read(text)
        XCTAssertEqual(entries(records).count, 2)
        XCTAssertEqual(errors(records).map(\.line), [3, 6])
        XCTAssertEqual(errors(records).first?.description,
                       "line 3: only 3 fields, virtual address is missing (a row is: Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires)")
    }

    func testOverlongLineIsReportedOnceAndSkipped() throws {
        let long = "TCP " + String(repeating: "A", count: 1000)
        let text = [ConnSamples.tcp, long, ConnSamples.udp, long].joined(separator: "\n")
        let records = try ConnSamples.read(text, readSize: 50, bufferSize: 128)
        XCTAssertEqual(entries(records).map(\.proto), ["TCP", "UDP"])
        XCTAssertEqual(errors(records), [ConnParseError(line: 2, reason: "line longer than 128 bytes"),
                                         ConnParseError(line: 4, reason: "line longer than 128 bytes")])
    }

    /// Random bytes with newlines, in small buffers and short reads: never a trap or a hang.
    func testRandomStreamsNeverTrap() throws {
        var generator = SeededRandom.forTest()
        let alphabet = Array("0123456789ABCDEF: \n\rTCPSYNCPro".utf8) + [0, 0xFF]
        for _ in 0..<200 {
            let bytes = (0..<Int.random(in: 0..<3000, using: &generator)).map { _ in
                alphabet.randomElement(using: &generator) ?? 10
            }
            let reader = ConnReader(bytes: bytes, readSize: Int.random(in: 1...300, using: &generator),
                                    bufferSize: Int.random(in: 1...400, using: &generator))
            let count = try reader.records().count
            XCTAssertLessThanOrEqual(count, bytes.count + 1)
        }
    }

    func testReadsAFileDescriptor() throws {
        var template = Array("/tmp/ipvstune-conn-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        XCTAssertGreaterThanOrEqual(fd, 0)
        let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(path) }
        let text = ConnSamples.header + "\n" + ConnSamples.tcp + "\n"
        XCTAssertTrue(Output.write(text, to: fd))
        close(fd)
        let reader = try ConnSource.open(path)
        let records = try reader.records()
        XCTAssertEqual(entries(records).count, 1)
        XCTAssertEqual(reader.lineNumber, 2)
    }

    func testOpenFailures() {
        XCTAssertThrowsError(try ConnSource.open("/nonexistent/conn")) { error in
            XCTAssertEqual((error as? Failure)?.status, .noInput)
            XCTAssertEqual((error as? Failure)?.message, "/nonexistent/conn: no such file")
        }
        let missingTable = ConnSource.failure(opening: ConnSource.table, errno: ENOENT)
        XCTAssertEqual(missingTable.status, .unavailable)
        XCTAssertEqual(missingTable.message,
                       "/proc/net/ip_vs_conn does not exist: IPVS is not loaded in this network namespace (modprobe ip_vs)")
        XCTAssertEqual(ConnSource.failure(opening: "/x", errno: EACCES).status, .osError)
    }

    func testReadErrorIsAFailure() {
        let reader = ConnSource.open(fdForTest: -1)
        XCTAssertThrowsError(try reader.records()) { error in
            XCTAssertEqual((error as? Failure)?.status, .osError)
            XCTAssertEqual((error as? Failure)?.errno, EBADF)
        }
    }
}

private extension ConnSource {
    static func open(fdForTest fd: Int32) -> ConnReader { ConnReader(fd: fd, name: "test") }
}
