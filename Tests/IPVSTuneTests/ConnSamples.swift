import XCTest
@testable import IPVSTune
import IPVSTuneTestSupport

/// Rows as the kernel's ip_vs_conn_seq_show / ip_vs_conn_sync_seq_show print them, one per row
/// shape, from Tests/Data/conn-samples.txt (which says what each one is).
enum ConnSamples {
    static let rows = TestData.namedLines("conn-samples.txt")

    static func sample(_ name: String) -> String {
        guard let sample = rows.first(where: { $0.name == name }) else { fatalError("no sample \(name) in conn-samples.txt") }
        return sample.text
    }

    static let header = sample("header")
    static let syncHeader = sample("syncHeader")
    static let tcp = sample("tcp")
    static let udp = sample("udp")
    static let ipv6 = sample("ipv6")
    static let ipv6ToIPv4 = sample("ipv6ToIPv4")
    static let ipv4ToIPv6 = sample("ipv4ToIPv6")
    static let sctp = sample("sctp")
    static let templateNone = sample("templateNone")
    static let templateAssured = sample("templateAssured")
    static let fwmarkTemplate = sample("fwmarkTemplate")
    static let invalidated = sample("invalidated")
    static let sip = sample("sip")
    static let wrapped = sample("wrapped")
    static let syncOrigin = sample("syncOrigin")
    static let localOrigin = sample("localOrigin")

    /// Every row, headers aside, in file order.
    static let all = rows.filter { !$0.text.hasPrefix("Pro ") }.map(\.text)

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
