import XCTest
@testable import IPVSTune

/// The fast paths of `conns` against the plain ones they stand in for: the fast parser
/// against `ConnLineParser`, the word-at-a-time digit and address code against the obvious
/// loops, the streamed run against the entry renderers and `ConnSummary.add`.
final class ConnPerfTests: XCTestCase {
    /// Rows in the kernel's exact layouts (the fixed-layout IPv4 path and the IPv6 one).
    static let kernelRows = [
        "TCP 0A64C59B 0B05 C0A80A01 01BB 0A000001 01BB ESTABLISHED    1693",
        "UDP 0A640002 A1B2 C0A80A02 0035 0A000002 0035 UDP             299",
        "IP  0A640001 0000 00000007 0000 0A020002 0000 ASSURED         116",
        "TCP 0A640001 0000 C0A80A01 FFFF 0A000001 FFFF NONE              0",
        "TCP 0A640001 D431 C0A80A01 0050 0A000001 0050 CLOSE       9999999",
        "SCTP 0A640001 D431 C0A80A01 0B59 0A000001 0B59 COOKIE_ECHOED       3",
        "TCP 2001:0db8:0000:0000:0000:0000:0000:0064 C350 2001:0db8:0000:0000:0000:0000:0000:000a 01BB "
            + "2001:0db8:0001:0000:0000:0000:0000:0005 01BB ESTABLISHED     900",
        "TCP c0a80064 d431 c0a8010a 0050 0a010005 0050 SYN_RECV         59",
    ]

    /// What the fast parser makes of `line`, as `ConnLineParser.parse` would say it. A row's
    /// bytes must be exactly its entry's (UTF-8, nothing replaced), and it must be written as
    /// the entry is.
    private func fast(_ bytes: [UInt8], file: StaticString = #filePath, line number: UInt = #line) -> ConnRecord?? {
        bytes.withUnsafeBufferPointer { line -> ConnRecord?? in
            var row = ConnRow.unset
            switch ConnFastParser.parse(line, into: &row) {
            case .row:
                let entry = row.entry
                XCTAssertEqual(Array(row.proto), Array(entry.proto.utf8), file: file, line: number)
                XCTAssertEqual(Array(row.state), Array(entry.state.utf8), file: file, line: number)
                XCTAssertEqual(row.peName.map(Array.init), entry.peName.map { Array($0.utf8) }, file: file, line: number)
                XCTAssertEqual(row.peData.map(Array.init), entry.peData.map { Array($0.utf8) }, file: file, line: number)
                var text = ConnByteWriter()
                text.write(maxBytes: ConnTextRow.maxBytes(&row)) { ConnTextRow.write(&row, at: $0, ConnFormat.shared) }
                XCTAssertEqual(text.string, ConnTextRow.row(entry), file: file, line: number)
                var json = ConnByteWriter()
                json.write(maxBytes: ConnJSONRow.maxBytes(&row)) { ConnJSONRow.write(&row, at: $0, ConnFormat.shared) }
                XCTAssertEqual(json.string, entry.json.rendered, file: file, line: number)
                return .some(.entry(entry))
            case .skip: return .some(nil)
            case .other: return nil
            }
        }
    }

    private func check(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) {
        guard let fast = fast(bytes, file: file, line: line) else { return }  // left to ConnLineParser: nothing to compare
        let slow = bytes.withUnsafeBufferPointer { ConnLineParser.parse($0, number: 1) }
        XCTAssertEqual(fast, slow, "\(String(decoding: bytes, as: UTF8.self).debugDescription)", file: file, line: line)
    }

    func testFastParserAgreesOnKernelRows() {
        for row in Self.kernelRows + ConnSamples.all + [ConnSamples.header, ConnSamples.syncHeader, "", "  ", "\r"] {
            check(Array(row.utf8))
            check(Array((row + "\r").utf8))
        }
        // The kernel's rows never reach the general parser.
        for row in Self.kernelRows {
            XCTAssertNotNil(fast(Array(row.utf8)) as ConnRecord??, row)
        }
    }

    /// Every change of one or two bytes of a kernel row, and random rows near that shape:
    /// whatever the fast parser reads, it reads as ConnLineParser does.
    func testFastParserAgreesOnMutatedRows() {
        let alphabet = Array("0123456789ABCDEFabcdefgZ:. \t\r\n_-!?\"\\".utf8) + [0, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]
        let replacements = Array("0Ffg: \t\r\n\"".utf8) + [0, 0x80, 0xFF]
        var generator = SystemRandomNumberGenerator()
        for row in Self.kernelRows + ConnSamples.all {
            let bytes = Array(row.utf8)
            for index in bytes.indices {
                for replacement in replacements {
                    var changed = bytes
                    changed[index] = replacement
                    check(changed)
                }
                var shorter = bytes
                shorter.remove(at: index)
                check(shorter)
                var longer = bytes
                longer.insert(UInt8(ascii: " "), at: index)
                check(longer)
                longer[index] = UInt8(ascii: "\t")
                check(longer)
            }
            for _ in 0..<800 {
                var changed = bytes
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let index = Int.random(in: 0..<changed.count, using: &generator)
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0: changed[index] = alphabet.randomElement(using: &generator) ?? 32
                    case 1: changed.remove(at: index)
                    default: changed.insert(alphabet.randomElement(using: &generator) ?? 32, at: index)
                    }
                    if changed.isEmpty { break }
                }
                check(changed)
            }
        }
    }

    /// The state and expiry columns at every width around the fixed layout's 11 and 7.
    func testFixedLayoutEdges() {
        let prefix = "TCP 0A64C59B 0B05 C0A80A01 01BB 0A000001 01BB "
        let states = ["", "A", "NONE", "ESTABLISHED", "SHUTDOWN_ACK", "NO NE", "NO\tNE", "NONE\t", "\tNONE", "É"]
        let expiries = ["", "0", "1693", "9999999", "12345678", "1 2", "-1", "1\t", "\t1", "x1"]
        for state in states {
            for expiry in expiries {
                for gap in ["", " ", "  ", "\t", "          ", "           "] {
                    for pad in ["", " ", "      "] {
                        check(Array((prefix + state + gap + pad + expiry).utf8))
                    }
                }
            }
        }
    }

    func testHexWords() {
        func scalar(_ bytes: [UInt8]) -> UInt64? {
            var value: UInt64 = 0
            for byte in bytes {
                guard let digit = Int(String(UnicodeScalar(byte)), radix: 16), byte < 0x80 else { return nil }
                value = value << 4 | UInt64(digit)
            }
            return value
        }
        func word(_ bytes: [UInt8]) -> UInt64 { bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) } }
        for position in 0..<8 {
            for byte in UInt8.min...UInt8.max {
                var bytes = Array("0a1B2c3D".utf8)
                bytes[position] = byte
                XCTAssertEqual(ConnFastParser.hex8(word(bytes)).map(UInt64.init), scalar(bytes), "\(bytes)")
                if position < 4 {
                    let four = Array(bytes[0..<4])
                    XCTAssertEqual(ConnFastParser.hex4(UInt32(truncatingIfNeeded: word(four))).map(UInt64.init), scalar(four), "\(four)")
                }
            }
        }
        var generator = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdefABCDEF".utf8)
        for _ in 0..<100_000 {
            let bytes = (0..<8).map { _ in
                Bool.random(using: &generator) ? digits.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            XCTAssertEqual(ConnFastParser.hex8(word(bytes)).map(UInt64.init), scalar(bytes))
        }
    }

    func testNumberWriters() {
        let format = ConnFormat.shared
        var buffer = [UInt8](repeating: 0, count: 128)
        func text(_ body: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>) -> String {
            buffer.withUnsafeMutableBufferPointer { buffer in
                let start = buffer.baseAddress!
                return String(decoding: UnsafeBufferPointer(start: start, count: body(start) - start), as: UTF8.self)
            }
        }
        for port in UInt16.min...UInt16.max {
            XCTAssertEqual(text { format.port(port, at: $0) }, String(port))
        }
        for octet in UInt32(0)...255 {
            let address = octet << 24 | (255 - octet) << 16 | (octet / 3) << 8 | octet
            XCTAssertEqual(text { format.ipv4(address, at: $0) }, "\(octet).\(255 - octet).\(octet / 3).\(octet)")
        }
        var value: UInt64 = 1
        for _ in 0..<64 {
            for candidate in [value &- 1, value, value &+ 1, value &* 10 &- 1, UInt64.max] {
                XCTAssertEqual(text { format.decimal(candidate, at: $0) }, String(candidate))
            }
            value = value &* 2
        }
        for group in UInt16.min...UInt16.max {
            XCTAssertEqual(text { ConnFormat.hexGroup(group, at: $0) }, String(group, radix: 16))
        }
    }

    /// Every set of zero groups, against the RFC 5952 rules written out plainly.
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
        var generator = SystemRandomNumberGenerator()
        for mask in 0..<256 {
            for _ in 0..<20 {
                let groups = (0..<8).map { mask & (1 << $0) != 0 ? 0 : UInt16.random(in: 1...UInt16.max, using: &generator) }
                let high = groups[0..<4].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
                let low = groups[4..<8].reduce(UInt64(0)) { $0 << 16 | UInt64($1) }
                if high == 0 && low >> 32 == 0xFFFF { continue }
                XCTAssertEqual(ConnAddress.v6(high: high, low: low).description, plain(groups), "\(groups)")
            }
        }
    }

    /// A whole run, streamed, against the entry renderers and ConnSummary.add over what
    /// ConnLineParser reads, on rows of every shape with repeated services (the endpoint
    /// cache) and names of every length.
    func testRunMatchesTheEntryRenderers() throws {
        var lines = [ConnSamples.header]
        var generator = SystemRandomNumberGenerator()
        let states = ["ESTABLISHED", "NONE", "UDP", "SHUTDOWN_RECEIVED", "A", "TIME_WAIT", "ÉTAT", "K", "\u{212A}", "CLOSE_WAIT"]
        let protos = ["TCP", "UDP", "IP", "SCTP", "IP_50", "ICMPV6"]
        for index in 0..<6000 {
            let v6 = index % 5 == 0
            func address(_ value: UInt32) -> String {
                if !v6 { return String(value, radix: 16, uppercase: true).zeroPadded(to: 8) }
                return "2001:0db8:0000:0000:0000:0000:\(String(value >> 16, radix: 16).zeroPadded(to: 4)):"
                    + String(value & 0xFFFF, radix: 16).zeroPadded(to: 4)
            }
            func port(_ value: UInt16) -> String { String(value, radix: 16, uppercase: true).zeroPadded(to: 4) }
            let client = address(UInt32.random(in: 0...UInt32.max, using: &generator))
            let virtual = address(0xC0A8_0A01 + UInt32.random(in: 0..<3, using: &generator))
            let dest = address(0x0A00_0001 + UInt32.random(in: 0..<5, using: &generator))
            let template = index % 7 == 0
            let state = states.randomElement(using: &generator)!
            let expiry = [UInt64.random(in: 0...8000, using: &generator), 18_446_744_073_709_551, 2_147_483_648,
                          UInt64.random(in: 0...99_999_999, using: &generator)].randomElement(using: &generator)!
            var line = "\(protos.randomElement(using: &generator)!) \(client) \(template ? "0000" : port(UInt16.random(in: 1...UInt16.max, using: &generator))) "
                + "\(virtual) \(port([80, 443, 0xFFFF].randomElement(using: &generator)!)) \(dest) \(port([80, 443, 0xFFFF].randomElement(using: &generator)!)) "
                + state + String(repeating: " ", count: max(0, 11 - state.count)) + " "
                + String(expiry).leftPadded(to: 7)
            if index % 97 == 0 { line += " sip call-\(index)\u{01}x  " }
            if index % 101 == 0 { line = "TCP broken \(index)" }
            lines.append(line)
        }
        let text = lines.joined(separator: "\n") + "\n"
        let entries = try ConnSamples.read(text).compactMap { record -> ConnEntry? in
            if case .entry(let entry) = record { return entry }
            return nil
        }
        func run(_ query: ConnQuery) throws -> String {
            var output = ""
            _ = try ConnRunner.run(query, reader: ConnReader(bytes: Array(text.utf8), readSize: 4093), write: { output += $0; return true },
                                   warn: { _ in })
            return output
        }
        XCTAssertEqual(try run(ConnQuery(path: "t")), ConnTextRow.header + entries.map(ConnTextRow.row).joined())
        XCTAssertEqual(try run(ConnQuery(path: "t", json: true)), entries.map { $0.json.rendered + "\n" }.joined())
        var summary = ConnSummary()
        for entry in entries { summary.add(entry) }
        summary.malformed = lines.count - 1 - entries.count
        XCTAssertEqual(try run(ConnQuery(path: "t", mode: .summary)), summary.text)
        XCTAssertEqual(try run(ConnQuery(path: "t", mode: .summary, json: true)), summary.json.rendered + "\n")
        let filter = try ConnFilter.parse(states: ["established,none"], protocols: ["tcp", "ip"])
        XCTAssertEqual(try run(ConnQuery(path: "t", filter: filter, mode: .count)), "\(entries.filter(filter.matches).count)\n")
        // Sorted: kept compactly, ordered by words; states beyond ASCII (the Kelvin sign)
        // take the Strings' own comparisons, ASCII ones their ranks.
        let ascii = try ConnFilter.parse(states: ["established,none,udp,time_wait,close_wait"])
        for key in ConnSortKey.allCases {
            XCTAssertEqual(try run(ConnQuery(path: "t", sort: key)), ConnTextRow.header + sorted(entries, key).map(ConnTextRow.row).joined(),
                           "\(key)")
            XCTAssertEqual(key.sorted(entries), sorted(entries, key))
            let some = entries.filter(ascii.matches)
            XCTAssertEqual(try run(ConnQuery(path: "t", filter: ascii, json: true, sort: key)),
                           sorted(some, key).map { $0.json.rendered + "\n" }.joined(), "\(key)")
            XCTAssertEqual(key.sorted(some), sorted(some, key))
        }
    }

    /// The sort as it first was: tuples of the entries' own values, ties by position.
    private func sorted(_ entries: [ConnEntry], _ key: ConnSortKey) -> [ConnEntry] {
        func order<Key>(_ keys: [Key], _ less: (Key, Key) -> Bool) -> [ConnEntry] {
            keys.indices.sorted { a, b in less(keys[a], keys[b]) || (!less(keys[b], keys[a]) && a < b) }.map { entries[$0] }
        }
        switch key {
        case .expire: return order(entries.map { ($0.expires, $0.client) }, <)
        case .client: return order(entries.map { ($0.client, $0.expires) }, <)
        case .state: return order(entries.map { ($0.state, $0.expires) }, <)
        }
    }
}

extension ConnPerfTests {
    /// The run reads the kernel's IPv4 rows straight from its buffer, ending them without a
    /// search: any byte changed in them (a newline, a tab, a header's name) must give what
    /// reading line by line gives, line numbers and warnings included.
    func testRowsReadInPlaceMatchLineByLine() throws {
        let rows = ["TCP 0A64C59B 0B05 C0A80A01 01BB 0A000001 01BB ESTABLISHED    1693",
                    "IP  0A640001 0000 00000007 0000 0A020002 0000 ASSURED         116",
                    "UD  0A640002 A1B2 C0A80A02 0035 0A000002 0035 UDP             299",
                    "TCP 2001:0db8:0000:0000:0000:0000:0000:0064 C350 C0A80A01 01BB 2001:0db8:0001:0000:0000:0000:0000:0005 01BB NONE          7"]
        let bytes = Array("\n\t\r PZ0\u{7F}".utf8) + [0x80, 0xFF, 0]
        for row in rows {
            let original = Array(row.utf8)
            for index in 0...original.count {
                for byte in bytes {
                    var changed = original
                    if index < original.count { changed[index] = byte } else { changed.append(byte) }
                    // The first line is read before the buffer holds any: the changed one comes second.
                    try compareRun(original + [10] + changed + [10] + original + [10] + Array("Pro x".utf8) + [10] + original)
                }
            }
            try compareRun(original + [10] + Array("Pro".utf8) + Array(original.dropFirst(3)) + [10] + original + [10])
        }
    }

    private func compareRun(_ text: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws {
        var records: [ConnRecord] = []
        try ConnReader(bytes: text).forEach { records.append($0); return true }
        let entries = records.compactMap { record -> ConnEntry? in
            if case .entry(let entry) = record { return entry }
            return nil
        }
        let errors = records.compactMap { record -> ConnParseError? in
            if case .malformed(let error) = record { return error }
            return nil
        }
        for json in [false, true] {
            var output = ""
            var warnings: [String] = []
            let result = try ConnRunner.run(ConnQuery(path: "t", json: json), reader: ConnReader(bytes: text),
                                            write: { output += $0; return true }, warn: { warnings.append($0) })
            let expected = json ? entries.map { $0.json.rendered + "\n" }.joined()
                : ConnTextRow.header + entries.map(ConnTextRow.row).joined()
            let shown = String(decoding: text, as: UTF8.self).debugDescription
            XCTAssertEqual(output, expected, shown, file: file, line: line)
            XCTAssertEqual(warnings, errors.map { "t: \($0)" }, shown, file: file, line: line)
            XCTAssertEqual(result, ConnRunResult(entries: entries.count, matched: entries.count, malformed: errors.count),
                           shown, file: file, line: line)
        }
    }
}

private extension String {
    func zeroPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
