/// Reads one row of /proc/net/ip_vs_conn or /proc/net/ip_vs_conn_sync into an entry.
///
/// Row shapes (net/netfilter/ipvs/ip_vs_conn.c):
///   ip_vs_conn:      Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires [PEName PEData]
///   ip_vs_conn_sync: Pro FromIP FPrt ToIP TPrt DestIP DPrt State Origin Expires
/// Columns are separated by runs of spaces or tabs (`%-11s` pads the state, `%7lu` the
/// expiry). The shape is recognised per line, so both files need no mode switch. The line is
/// a `Span`, so every byte read is checked against its end: the bytes come from a file and
/// may be anything.
enum ConnRowParser {
    /// Reads `line` (without its newline) into `entry`, which the caller reuses from row to
    /// row: an entry is too large to pass around by value a million times. False for the
    /// header and blank lines, which hold no entry.
    static func parse(_ line: Span<UInt8>, number: Int, into entry: inout ConnEntry) throws(ConnParseError) -> Bool {
        var fields = Fields(line)
        do {
            return try read(line, &fields, into: &entry)
        } catch {
            throw ConnParseError(line: number, reason: error.reason)
        }
    }

    /// The columns every row has, in one pass and one function (a listing reads a million
    /// rows; under emulation each call costs as much as a dozen instructions): Pro, the
    /// address and port of the client, the virtual service and the destination, State and
    /// Expires. Each is checked as it is read, so a row's first fault is the one reported.
    /// Then the rare rest: PEName and PEData, or the sync table's Origin. False for the
    /// header and blank lines.
    private static func read(_ line: Span<UInt8>, _ fields: inout Fields, into entry: inout ConnEntry) throws(FieldError) -> Bool {
        var address = IPAddress.v4(0)
        for column in 0..<9 {
            var index = fields.position
            while index < fields.end && line[index].isBlank { index += 1 }
            guard index < fields.end else {
                fields.finish(at: index, counted: false)
                if column == 0 { return false }
                throw fields.missing(column == 7 ? "State" : column == 8 ? "Expires"
                                     : "\(Role(endpoint: (column - 1) / 2).rawValue) \(column % 2 == 1 ? "address" : "port")")
            }
            let start = index
            switch column {
            case 0, 7:
                // Pro or State: a name.
                while index < fields.end && !line[index].isBlank { index += 1 }
                fields.finish(at: index)
                let name = ConnName(line, start..<index)
                if column == 0 {
                    if name == .header { return false }
                    entry.protoName = name
                } else {
                    // The kernel writes ASCII state names.
                    if case .long = name, Fields.firstIndex(where: { $0 >= 0x80 }, in: line, start..<index) != nil {
                        throw FieldError("state '\(Fields.shown(line, start..<index))' is not a state name: the kernel writes ASCII names")
                    }
                    entry.stateName = name
                }
            case 8:
                // Expires, or the sync table's Origin before it.
                while index < fields.end && !line[index].isBlank { index += 1 }
                fields.finish(at: index)
                if entry.peName != nil || entry.peData != nil { (entry.peName, entry.peData) = (nil, nil) }
                guard let seconds = Fields.decimal(line, start..<index) else {
                    try readOrigin(line, start..<index, &fields, into: &entry)
                    return true
                }
                entry.origin = nil
                entry.expires = seconds
            default:
                // An address or a port: its value when it is 1 to 16 hex digits of either case.
                var (value, isHex) = (UInt64(0), true)
                while index < fields.end {
                    let byte = line[index]
                    if let digit = Fields.hexDigit(byte) {
                        value = value &<< 4 | UInt64(digit)
                    } else if byte.isBlank {
                        break
                    } else {
                        isHex = false
                    }
                    index += 1
                }
                fields.finish(at: index)
                let field = start..<index
                let role = Role(endpoint: (column - 1) / 2)
                if column % 2 == 1 {
                    // An address of 8 hex digits is IPv4, in host order (`0A000001`).
                    address = field.count == 8 && isHex ? .v4(UInt32(truncatingIfNeeded: value)) : try otherAddress(line, field, role)
                    continue
                }
                guard field.count <= 4, isHex else {
                    throw FieldError("\(role.rawValue) port '\(Fields.shown(line, field))' is not 4 hex digits")
                }
                let endpoint = Endpoint(address, UInt16(truncatingIfNeeded: value))
                switch role {
                case .client: entry.client = endpoint
                case .virtual: entry.virtual = endpoint
                case .destination: entry.dest = endpoint
                }
            }
        }
        // A persistence template's engine (`sip`) and its data, the rest of the line.
        if let name = fields.next(in: line) {
            entry.peName = Fields.text(line, name)
            entry.peData = Fields.text(line, fields.restAfterOneBlank(in: line))
        }
        return true
    }

    /// The sync table's `Origin Expires` after the state, and nothing after them.
    private static func readOrigin(_ line: Span<UInt8>, _ field: Range<Int>, _ fields: inout Fields,
                                   into entry: inout ConnEntry) throws(FieldError) {
        guard let origin = ConnOrigin(rawValue: Fields.text(line, field)) else {
            throw FieldError("expected Expires seconds (or Origin LOCAL/SYNC) after the state, found '\(Fields.shown(line, field))'")
        }
        entry.origin = origin
        guard let seconds = fields.next(in: line) else { throw fields.missing("Expires") }
        guard let value = Fields.decimal(line, seconds) else {
            throw FieldError("Expires '\(Fields.shown(line, seconds))' is not a number of seconds")
        }
        entry.expires = value
        if let extra = fields.next(in: line) {
            throw FieldError("unexpected '\(Fields.shown(line, extra))' after Expires in a row with an Origin column")
        }
    }

    /// `2001:0db8:0000:0000:0000:0000:0000:0001` (IPv6: the kernel's %pI6 prints 8 groups
    /// of 4 digits and never compresses; 1 to 4 are read), or why the field is no address.
    private static func otherAddress(_ line: Span<UInt8>, _ field: Range<Int>, _ role: Role) throws(FieldError) -> IPAddress {
        if Fields.firstIndex(of: UInt8(ascii: ":"), in: line, field) != nil {
            var halves: (high: UInt64, low: UInt64) = (0, 0)
            var groups = 0
            var start = field.lowerBound
            while groups < 8 {
                let end = Fields.firstIndex(of: UInt8(ascii: ":"), in: line, start..<field.upperBound) ?? field.upperBound
                guard end - start <= 4, let value = Fields.hex(line, start..<end) else { break }
                if groups < 4 { halves.high = halves.high << 16 | value } else { halves.low = halves.low << 16 | value }
                groups += 1
                start = end + 1
                if end == field.upperBound { break }
            }
            guard groups == 8, start > field.upperBound else {
                throw FieldError("\(role.rawValue) address '\(Fields.shown(line, field))' is not a full IPv6 address (8 groups of 4 hex digits)")
            }
            return .v6(high: halves.high, low: halves.low)
        }
        guard Fields.isHex(line, field) else {
            throw FieldError("\(role.rawValue) address '\(Fields.shown(line, field))' is not hexadecimal")
        }
        throw FieldError("\(role.rawValue) address '\(Fields.shown(line, field))' has \(field.count) hex digits: an IPv4 address has 8")
    }

    /// Which endpoint of a row is read, as error messages name it.
    private enum Role: String {
        case client, virtual, destination

        /// The first, second or third endpoint of a row.
        init(endpoint index: Int) {
            self = index == 0 ? .client : index == 1 ? .virtual : .destination
        }
    }

    /// Why a row was rejected; typed so that throwing needs no existential box.
    struct FieldError: Error {
        var reason: String
        init(_ reason: String) { self.reason = reason }
    }
}

extension ConnRowParser {
/// Where the reading of one line is: the blank-separated fields are read in turn. The line
/// itself is passed to each call (a `Span` cannot be kept in a stored property).
struct Fields {
    /// Where the next field is looked for; `ConnRowParser.read` reads the usual columns itself.
    fileprivate var position = 0
    fileprivate let end: Int
    /// How many fields have been read, for "missing field" messages.
    private var seen = 0

    init(_ line: Span<UInt8>) {
        // Tolerate CRLF line ends: the kernel never writes them, a copied file may have them.
        end = line.count > 0 && line[line.count - 1] == UInt8(ascii: "\r") ? line.count - 1 : line.count
    }

    /// The next field; nil at the end of the line.
    mutating func next(in line: Span<UInt8>) -> Range<Int>? {
        var index = position
        while index < end && line[index].isBlank { index += 1 }
        guard index < end else {
            position = index
            return nil
        }
        let start = index
        // Most bytes of a field are above the space: one comparison each.
        while index < end && (line[index] > 0x20 || !line[index].isBlank) { index += 1 }
        position = index
        seen += 1
        return start..<index
    }

    /// Ends a field the caller read at `index`; `counted: false` when no field was there.
    mutating func finish(at index: Int, counted: Bool = true) {
        position = index
        if counted { seen += 1 }
    }

    /// The error for a row that ends before `name`.
    func missing(_ name: String) -> ConnRowParser.FieldError {
        ConnRowParser.FieldError("only \(seen) fields, \(name) is missing"
            + " (a row is: Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires)")
    }

    /// The PEData after the PEName: the rest of the line after its one separating blank,
    /// kept whole because a SIP Call-ID is copied from the packet as it came.
    mutating func restAfterOneBlank(in line: Span<UInt8>) -> Range<Int> {
        if position < end && line[position].isBlank { position += 1 }
        defer { position = end }
        return position..<end
    }

    /// Bad UTF-8 is replaced, as String always does.
    static func text(_ line: Span<UInt8>, _ range: Range<Int>) -> String {
        let field = line.extracting(range)
        return field.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) }
    }

    /// A field quoted in an error message, cut short so a garbage line stays one line.
    static func shown(_ line: Span<UInt8>, _ range: Range<Int>) -> String {
        range.count > 48 ? text(line, range.lowerBound..<range.lowerBound + 48) + "..." : text(line, range)
    }

    /// 1 to 16 hex digits of either case; nil for anything else.
    static func hex(_ line: Span<UInt8>, _ range: Range<Int>) -> UInt64? {
        guard !range.isEmpty, range.count <= 16 else { return nil }
        var value: UInt64 = 0
        for index in range {
            guard let digit = hexDigit(line[index]) else { return nil }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    static func isHex(_ line: Span<UInt8>, _ range: Range<Int>) -> Bool {
        for index in range where hexDigit(line[index]) == nil { return false }
        return true
    }

    static func firstIndex(of byte: UInt8, in line: Span<UInt8>, _ range: Range<Int>) -> Int? {
        firstIndex(where: { $0 == byte }, in: line, range)
    }

    static func firstIndex(where test: (UInt8) -> Bool, in line: Span<UInt8>, _ range: Range<Int>) -> Int? {
        for index in range where test(line[index]) { return index }
        return nil
    }

    static func hexDigit(_ byte: UInt8) -> UInt8? {
        let digit = byte &- UInt8(ascii: "0")
        if digit < 10 { return digit }
        let letter = (byte | 0x20) &- UInt8(ascii: "a")  // A-F folded onto a-f
        return letter < 6 ? letter + 10 : nil
    }

    /// Decimal digits; a value past UInt64 saturates, since it can only be a wrapped expiry.
    static func decimal(_ line: Span<UInt8>, _ range: Range<Int>) -> UInt64? {
        guard !range.isEmpty else { return nil }
        var value: UInt64 = 0
        var overflow = false
        for index in range {
            let digit = line[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times10, over) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = times10.addingReportingOverflow(UInt64(digit))
            overflow = overflow || over || carry
            value = sum
        }
        return overflow ? .max : value
    }
}
}
