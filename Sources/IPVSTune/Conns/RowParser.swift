/// Reads one row of /proc/net/ip_vs_conn or /proc/net/ip_vs_conn_sync into an entry.
///
/// Row shapes (net/netfilter/ipvs/ip_vs_conn.c):
///   ip_vs_conn:      Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires [PEName PEData]
///   ip_vs_conn_sync: Pro FromIP FPrt ToIP TPrt DestIP DPrt State Origin Expires
/// Columns are separated by runs of spaces or tabs (`%-11s` pads the state, `%7lu` the
/// expiry). The shape is recognised per line, so both files need no mode switch. Every
/// reading is checked against the line's end: the bytes come from a file and may be anything.
enum ConnRowParser {
    /// What a line is: an entry (now in the `entry` given), the header or a blank line, or
    /// a malformed row.
    enum Outcome {
        case entry
        case skip
        case malformed(ConnParseError)
    }

    /// Reads `line` (without its newline) into `entry`, which the caller reuses from row to
    /// row: an entry is too large to pass around by value a million times.
    static func parse(_ line: UnsafeBufferPointer<UInt8>, number: Int, into entry: inout ConnEntry) -> Outcome {
        var fields = Fields(line)
        guard let first = fields.next() else { return .skip }
        if first.count == 3 && line[first.lowerBound] == UInt8(ascii: "P") && line[first.lowerBound + 1] == UInt8(ascii: "r")
            && line[first.lowerBound + 2] == UInt8(ascii: "o") { return .skip }
        do {
            try read(proto: first, &fields, into: &entry)
            return .entry
        } catch {
            return .malformed(ConnParseError(line: number, reason: error.reason))
        }
    }

    /// The same as a record: nil for the header and blank lines.
    static func parse(_ line: UnsafeBufferPointer<UInt8>, number: Int) -> ConnRecord? {
        var entry = ConnEntry.empty
        switch parse(line, number: number, into: &entry) {
        case .entry: return .entry(entry)
        case .skip: return nil
        case .malformed(let error): return .malformed(error)
        }
    }

    /// The same for a String, for tests and small inputs.
    static func parse(_ line: String, number: Int = 1) -> ConnRecord? {
        var line = line
        return line.withUTF8 { parse($0, number: number) }
    }

    private static func read(proto: Range<Int>, _ fields: inout Fields, into entry: inout ConnEntry) throws(FieldError) {
        entry.protoName = ConnName(fields.bytes, proto)
        entry.client = try endpoint(&fields, .client)
        entry.virtual = try endpoint(&fields, .virtual)
        entry.dest = try endpoint(&fields, .destination)
        let state = try fields.require("State")
        guard fields.isASCII(state) else {
            throw FieldError("state '\(fields.shown(state))' is not a state name: the kernel writes ASCII names")
        }
        entry.stateName = ConnName(fields.bytes, state)
        entry.peName = nil
        entry.peData = nil
        entry.origin = nil
        let expires = try fields.require("Expires")
        if let seconds = fields.decimal(expires) {
            entry.expires = seconds
            if let name = fields.next() {
                entry.peName = fields.text(name)
                entry.peData = fields.text(fields.restAfterOneBlank())
            }
            return
        }
        guard let origin = ConnOrigin(rawValue: fields.text(expires)) else {
            throw FieldError("expected Expires seconds (or Origin LOCAL/SYNC) after the state, found '\(fields.shown(expires))'")
        }
        entry.origin = origin
        let seconds = try fields.require("Expires")
        guard let value = fields.decimal(seconds) else {
            throw FieldError("Expires '\(fields.shown(seconds))' is not a number of seconds")
        }
        entry.expires = value
        if let extra = fields.next() {
            throw FieldError("unexpected '\(fields.shown(extra))' after Expires in a row with an Origin column")
        }
    }

    private static func endpoint(_ fields: inout Fields, _ role: Role) throws(FieldError) -> ConnEndpoint {
        let address = try self.address(&fields, role)
        let (port, value) = try fields.requireHex("\(role.rawValue) port")
        guard port.count <= 4, let value else {
            throw FieldError("\(role.rawValue) port '\(fields.shown(port))' is not 4 hex digits")
        }
        return ConnEndpoint(address, UInt16(truncatingIfNeeded: value))
    }

    /// `0A000001` (IPv4, host order) or `2001:0db8:0000:0000:0000:0000:0000:0001` (IPv6:
    /// the kernel's %pI6 prints 8 groups of 4 digits and never compresses; 1 to 4 are read).
    private static func address(_ fields: inout Fields, _ role: Role) throws(FieldError) -> ConnAddress {
        let (field, value) = try fields.requireHex("\(role.rawValue) address")
        if field.count == 8, let value { return .v4(UInt32(truncatingIfNeeded: value)) }
        if fields.contains(UInt8(ascii: ":"), in: field) {
            var halves: (high: UInt64, low: UInt64) = (0, 0)
            var groups = 0
            var start = field.lowerBound
            while groups < 8 {
                let end = fields.firstIndex(of: UInt8(ascii: ":"), in: start..<field.upperBound) ?? field.upperBound
                guard end - start <= 4, let value = fields.hex(start..<end) else { break }
                if groups < 4 { halves.high = halves.high << 16 | value } else { halves.low = halves.low << 16 | value }
                groups += 1
                start = end + 1
                if end == field.upperBound { break }
            }
            guard groups == 8, start > field.upperBound else {
                throw FieldError("\(role.rawValue) address '\(fields.shown(field))' is not a full IPv6 address (8 groups of 4 hex digits)")
            }
            return .v6(high: halves.high, low: halves.low)
        }
        guard fields.isHex(field) else {
            throw FieldError("\(role.rawValue) address '\(fields.shown(field))' is not hexadecimal")
        }
        throw FieldError("\(role.rawValue) address '\(fields.shown(field))' has \(field.count) hex digits: an IPv4 address has 8")
    }

    /// Which endpoint of a row is read, as error messages name it.
    private enum Role: String {
        case client, virtual, destination
    }

    /// Why a row was rejected; typed so that throwing needs no existential box.
    struct FieldError: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

/// The blank-separated fields of one line, read in turn.
private struct Fields {
    let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0
    private let end: Int
    /// How many fields `next()` has returned, for "missing field" messages.
    private var seen = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // Tolerate CRLF line ends: the kernel never writes them, a copied file may have them.
        end = bytes.count > 0 && bytes[bytes.count - 1] == UInt8(ascii: "\r") ? bytes.count - 1 : bytes.count
    }

    mutating func next() -> Range<Int>? {
        var index = position
        while index < end && bytes[index].isBlank { index += 1 }
        guard index < end else {
            position = index
            return nil
        }
        let start = index
        // Most bytes of a field are above the space: one comparison each.
        while index < end && (bytes[index] > 0x20 || !bytes[index].isBlank) { index += 1 }
        position = index
        seen += 1
        return start..<index
    }

    mutating func require(_ name: @autoclosure () -> String) throws(ConnRowParser.FieldError) -> Range<Int> {
        if let field = next() { return field }
        throw ConnRowParser.FieldError("only \(seen) fields, \(name()) is missing"
            + " (a row is: Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires)")
    }

    /// The next field and, when it is 1 to 16 hex digits, its value: addresses and ports
    /// are read in one pass.
    mutating func requireHex(_ name: @autoclosure () -> String) throws(ConnRowParser.FieldError) -> (Range<Int>, UInt64?) {
        var index = position
        while index < end && bytes[index].isBlank { index += 1 }
        let start = index
        var value: UInt64 = 0
        var isHex = true
        while index < end {
            let byte = bytes[index]
            if let digit = Fields.hexDigit(byte) {
                value = value &<< 4 | UInt64(digit)
            } else if byte.isBlank {
                break
            } else {
                isHex = false
            }
            index += 1
        }
        position = index
        guard index > start else { return (try require(name()), nil) }
        seen += 1
        return (start..<index, isHex && index - start <= 16 ? value : nil)
    }

    /// The PEData after the PEName: the rest of the line after its one separating blank,
    /// kept whole because a SIP Call-ID is copied from the packet as it came.
    mutating func restAfterOneBlank() -> Range<Int> {
        if position < end && bytes[position].isBlank { position += 1 }
        defer { position = end }
        return position..<end
    }

    /// Bad UTF-8 is replaced, as String always does.
    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A field quoted in an error message, cut short so a garbage line stays one line.
    func shown(_ range: Range<Int>) -> String {
        range.count > 48 ? text(range.lowerBound..<range.lowerBound + 48) + "..." : text(range)
    }

    /// 1 to 16 hex digits of either case; nil for anything else.
    func hex(_ range: Range<Int>) -> UInt64? {
        guard !range.isEmpty, range.count <= 16 else { return nil }
        var value: UInt64 = 0
        for index in range {
            guard let digit = Fields.hexDigit(bytes[index]) else { return nil }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    func isHex(_ range: Range<Int>) -> Bool {
        for index in range where Fields.hexDigit(bytes[index]) == nil { return false }
        return true
    }

    func isASCII(_ range: Range<Int>) -> Bool {
        for index in range where bytes[index] >= 0x80 { return false }
        return true
    }

    func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        for index in range where bytes[index] == byte { return index }
        return nil
    }

    func contains(_ byte: UInt8, in range: Range<Int>) -> Bool { firstIndex(of: byte, in: range) != nil }

    static func hexDigit(_ byte: UInt8) -> UInt8? {
        let digit = byte &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        let letter = (byte | 0x20) &- UInt8(ascii: "a")  // A-F folded onto a-f
        return letter < 6 ? letter + 10 : nil
    }

    /// Decimal digits; a value past UInt64 saturates, since it can only be a wrapped expiry.
    func decimal(_ range: Range<Int>) -> UInt64? {
        var value: UInt64 = 0
        for index in range {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            value = overflow || carry ? .max : sum
        }
        return range.isEmpty ? nil : value
    }
}
