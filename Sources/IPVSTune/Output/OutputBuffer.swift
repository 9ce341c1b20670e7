/// Output text built as bytes: a growable `[UInt8]` with append methods for what reports
/// write (constant text, numbers, padding). The text is the first `count` bytes of the
/// array; every method first makes room for exactly what it appends (growing the array when
/// needed) and writes only there, through the array's bounds-checked `MutableSpan`. No
/// writer can store past the array, and no caller counts bytes for it.
///
/// Speed: a listing writes a hundred bytes per entry, a million entries. Writing through a
/// span checks each byte against the array's end but not, as `Array.append` does, whether
/// the array is shared: that is checked once per method.
struct OutputBuffer {
    private var storage: [UInt8]
    private(set) var count = 0

    init(capacity: Int = 256) {
        storage = [UInt8](repeating: 0, count: max(capacity, 16))
    }

    /// The text.
    var bytes: ArraySlice<UInt8> { storage[..<count] }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Grows the array so that `more` bytes fit after the text; returns where they go.
    private mutating func room(_ more: Int) -> Int {
        let start = count
        if storage.count - start < more {
            storage.append(contentsOf: repeatElement(0, count: max(more, storage.count)))
        }
        count = start + more
        return start
    }

    mutating func append(_ byte: UInt8) {
        let at = room(1)
        storage[at] = byte
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    mutating func append(contentsOf other: UnsafeBufferPointer<UInt8>) {
        let at = room(other.count)
        var span = storage.mutableSpan
        for index in other.indices { span[at + index] = other[index] }
    }

    /// `count` bytes, byte `i` being `byte(i)`: room is made once.
    mutating func append(count: Int, _ byte: (Int) -> UInt8) {
        let at = room(count)
        var span = storage.mutableSpan
        for index in 0..<count { span[at + index] = byte(index) }
    }

    mutating func append(contentsOf other: [UInt8]) {
        other.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    mutating func append(contentsOf other: some Sequence<UInt8>) {
        for byte in other { append(byte) }
    }

    /// `byte` `count` times; nothing for a count of 0 or less.
    mutating func append(_ byte: UInt8, count: Int) {
        guard count > 0 else { return }
        let at = room(count)
        var span = storage.mutableSpan
        for index in at..<at + count { span[index] = byte }
    }

    static func decimalDigits(_ value: UInt64) -> Int {
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20 && value >= limit {
            digits += 1
            limit &*= 10
        }
        return digits
    }

    /// `value` in decimal, at least `minimumDigits` of them (leading zeros).
    mutating func append(decimal value: UInt64, minimumDigits: Int = 1) {
        let digits = max(OutputBuffer.decimalDigits(value), minimumDigits)
        let at = room(digits)
        var span = storage.mutableSpan
        OutputBuffer.put(value, digits: digits, at: at, in: &span)
    }

    /// A dotted quad such as 192.0.2.1 (`value` in host order), then `:` and the port if
    /// any, then spaces up to `width` bytes (at least one) if a width is given.
    mutating func append(dottedQuad value: UInt32, port: UInt16? = nil, paddedTo width: Int = 0) {
        let portDigits = port.map { OutputBuffer.decimalDigits(UInt64($0)) } ?? 0
        let length = OutputBuffer.octetDigits(value >> 24) + OutputBuffer.octetDigits(value >> 16 & 0xFF)
            + OutputBuffer.octetDigits(value >> 8 & 0xFF) + OutputBuffer.octetDigits(value & 0xFF) + 3 + (port == nil ? 0 : 1 + portDigits)
        let spaces = width == 0 ? 0 : length >= width ? 1 : width - length
        var at = room(length + spaces)
        var span = storage.mutableSpan
        var shift: UInt32 = 32
        while shift > 0 {
            shift -= 8
            let octet = value >> shift & 0xFF
            if octet >= 100 {
                span[at] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: octet / 100)
                at += 1
            }
            if octet >= 10 {
                span[at] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: octet / 10 % 10)
                at += 1
            }
            span[at] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: octet % 10)
            at += 1
            if shift > 0 {
                span[at] = UInt8(ascii: ".")
                at += 1
            }
        }
        if let port {
            span[at] = UInt8(ascii: ":")
            OutputBuffer.put(UInt64(port), digits: portDigits, at: at + 1, in: &span)
            at += 1 + portDigits
        }
        for index in at..<at + spaces { span[index] = UInt8(ascii: " ") }
    }

    /// `text`, then spaces up to `width` bytes, or one space when it is that long already.
    mutating func append(_ text: String, paddedTo width: Int) {
        var text = text
        text.withUTF8 { text in
            let spaces = text.count >= width ? 1 : width - text.count
            let at = room(text.count + spaces)
            var span = storage.mutableSpan
            for index in text.indices { span[at + index] = text[index] }
            for index in at + text.count..<at + text.count + spaces { span[index] = UInt8(ascii: " ") }
        }
    }

    private static func octetDigits(_ octet: UInt32) -> Int { octet >= 100 ? 3 : octet >= 10 ? 2 : 1 }

    /// `value` in `digits` digits at `at`, from the last digit back: a division by the
    /// constant 10 each.
    private static func put(_ value: UInt64, digits: Int, at: Int, in span: inout MutableSpan<UInt8>) {
        var rest = value
        var index = at + digits
        while index > at {
            index -= 1
            span[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        }
    }

    /// Lower-case hex without leading zeros.
    mutating func append(hex value: UInt16) {
        let digits = max(1, (16 - value.leadingZeroBitCount + 3) / 4)
        let at = room(digits)
        var span = storage.mutableSpan
        for index in 0..<digits {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt16(4 * (digits - 1 - index))) & 15
            span[at + index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
        }
    }

    /// Spaces that end a column started at `start`: up to `width` bytes, or one space when
    /// the column's text is that wide already.
    mutating func pad(from start: Int, to width: Int) {
        let used = count - start
        append(UInt8(ascii: " "), count: used >= width ? 1 : width - used)
    }

    /// The same, counting characters as `String.count` does (the text tables of reports):
    /// bytes, unless the column holds a byte of a multi-byte character.
    mutating func padCharacters(from start: Int, to width: Int) {
        // Measured through a borrowed view, so the array stays uniquely held for the append.
        let used = storage.withUnsafeBufferPointer { bytes in
            let column = UnsafeBufferPointer(rebasing: bytes[start..<count])
            return column.contains { $0 >= 0x80 } ? String(decoding: column, as: UTF8.self).count : column.count
        }
        append(UInt8(ascii: " "), count: used >= width ? 1 : width - used)
    }

    /// Drops the spaces at the end, back to `start` at most.
    mutating func trimSpaces(downTo start: Int) {
        while count > start && storage[count - 1] == UInt8(ascii: " ") { count -= 1 }
    }

    mutating func removeAll() { count = 0 }

    /// Drops the last `k` bytes.
    mutating func removeLast(_ k: Int) { count -= min(max(k, 0), count) }

    /// Writes the text to `fd`; false when the descriptor fails (a closed pipe, a full disk).
    func write(to fd: Int32) -> Bool {
        storage.withUnsafeBytes { raw in
            if case .failure = POSIX.writeAll(fd, UnsafeRawBufferPointer(rebasing: raw[..<count])) { return false }
            return true
        }
    }
}
