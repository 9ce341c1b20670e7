/// Walks the space-separated fields of one line in place. Every reading returns nil
/// rather than trapping: the bytes come from a file and may be anything.
struct ConnCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0
    /// How many fields `token()` has returned, for "missing field" messages.
    private(set) var fieldsSeen = 0
    private let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // Tolerate CRLF line ends: the kernel never writes them, a copied file may have them.
        var end = bytes.count
        if end > 0 && bytes[end - 1] == 13 { end -= 1 }
        self.end = end
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 }

    /// The next run of non-space bytes.
    mutating func token() -> Range<Int>? {
        while position < end && ConnCursor.isSpace(bytes[position]) { position += 1 }
        guard position < end else { return nil }
        let start = position
        while position < end && !ConnCursor.isSpace(bytes[position]) { position += 1 }
        fieldsSeen += 1
        return start..<position
    }

    mutating func require(_ name: @autoclosure () -> String) throws(ConnFieldError) -> Range<Int> {
        if let field = token() { return field }
        throw ConnFieldError("only \(fieldsSeen) fields, \(name()) is missing"
            + " (a row is: Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires)")
    }

    /// The PEData after the PEName: the rest of the line after its one separating space,
    /// kept whole because a SIP Call-ID is copied from the packet as it came.
    mutating func restAfterOneSpace() -> String {
        if position < end && ConnCursor.isSpace(bytes[position]) { position += 1 }
        let rest = position..<end
        position = end
        return text(rest)
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A field quoted in an error message, cut short so a garbage line stays one line.
    func shown(_ range: Range<Int>) -> String {
        let limit = 48
        guard range.count > limit else { return text(range) }
        return text(range.lowerBound..<(range.lowerBound + limit)) + "..."
    }

    func isASCII(_ range: Range<Int>) -> Bool {
        bytes[range].allSatisfy { $0 < 0x80 }
    }

    func contains(_ byte: UInt8, in range: Range<Int>) -> Bool {
        for index in range where bytes[index] == byte { return true }
        return false
    }

    /// Hex digits of either case, up to 16 of them; nil for anything else.
    func hex(_ range: Range<Int>) -> UInt64? {
        guard !range.isEmpty, range.count <= 16 else { return nil }
        var value: UInt64 = 0
        for index in range {
            guard let digit = ConnCursor.hexDigit(bytes[index]) else { return nil }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    func isHex(_ range: Range<Int>) -> Bool {
        !range.isEmpty && range.allSatisfy { ConnCursor.hexDigit(bytes[$0]) != nil }
    }

    /// Decimal digits; a value past UInt64 saturates, since it can only be a wrapped expiry.
    func decimal(_ range: Range<Int>) -> UInt64? {
        guard !range.isEmpty else { return nil }
        var value: UInt64 = 0
        for index in range {
            let digit = bytes[index] &- 48
            guard digit < 10 else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            value = overflow1 || overflow2 ? UInt64.max : sum
        }
        return value
    }

    /// Exactly 8 colon-separated groups of 1 to 4 hex digits: the kernel's %pI6 prints
    /// every group in full and never compresses.
    func ipv6(_ range: Range<Int>) -> (UInt64, UInt64)? {
        if range.count == 39, let full = fullIPv6(at: range.lowerBound) { return full }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var groups = 0
        var group: UInt64 = 0
        var digits = 0
        for index in range {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") {
                guard digits > 0, groups < 7 else { return nil }
                ConnCursor.shiftIn(group, groups, &high, &low)
                groups += 1
                group = 0
                digits = 0
            } else {
                guard let digit = ConnCursor.hexDigit(byte), digits < 4 else { return nil }
                group = group << 4 | UInt64(digit)
                digits += 1
            }
        }
        guard digits > 0, groups == 7 else { return nil }
        ConnCursor.shiftIn(group, groups, &high, &low)
        return (high, low)
    }

    /// The kernel's exact shape, `xxxx:` seven times and `xxxx`: the common case, read
    /// without the general loop's bookkeeping.
    private func fullIPv6(at start: Int) -> (UInt64, UInt64)? {
        var halves: (UInt64, UInt64) = (0, 0)
        for group in 0..<8 {
            let base = start + group * 5
            if group < 7 && bytes[base + 4] != UInt8(ascii: ":") { return nil }
            guard let a = ConnCursor.hexDigit(bytes[base]), let b = ConnCursor.hexDigit(bytes[base + 1]),
                  let c = ConnCursor.hexDigit(bytes[base + 2]), let d = ConnCursor.hexDigit(bytes[base + 3]) else { return nil }
            let value = UInt64(a) << 12 | UInt64(b) << 8 | UInt64(c) << 4 | UInt64(d)
            if group < 4 { halves.0 = halves.0 << 16 | value } else { halves.1 = halves.1 << 16 | value }
        }
        return halves
    }

    private static func shiftIn(_ group: UInt64, _ index: Int, _ high: inout UInt64, _ low: inout UInt64) {
        if index < 4 { high = high << 16 | group } else { low = low << 16 | group }
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        let digit = byte &- 48
        if digit < 10 { return digit }
        let letter = (byte | 0x20) &- 97  // folds A-F onto a-f
        return letter < 6 ? letter + 10 : nil
    }
}
