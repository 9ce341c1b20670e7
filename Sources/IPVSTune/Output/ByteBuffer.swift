/// Output text built as bytes: a growable `[UInt8]` with append methods for what reports
/// write (constant text, numbers, padding). Every write goes through the Array's own safe
/// interfaces, bounds-checked, and it grows as needed: no writer can store past its text.
///
/// Speed (a listing writes a hundred bytes per entry, a million entries): each method makes
/// one call into the Array for all its bytes, through `append(addingCapacity:)`, whose
/// `OutputSpan` checks every byte against the room asked for; the room is counted here, in
/// the same method, never by a caller.
struct ByteBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    mutating func append(contentsOf other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }

    /// `byte` `count` times; nothing for a count of 0 or less.
    mutating func append(_ byte: UInt8, count: Int) {
        guard count > 0 else { return }
        bytes.append(addingCapacity: count) { room in
            for _ in 0..<count { room.append(byte) }
        }
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
        let digits = max(ByteBuffer.decimalDigits(value), minimumDigits)
        bytes.append(addingCapacity: digits) { room in ByteBuffer.decimal(value, digits: digits, to: &room) }
    }

    /// The four numbers of a dotted quad such as 192.0.2.1, `value` in host order.
    mutating func append(dottedQuad value: UInt32) {
        let octets = (UInt64(value >> 24), UInt64(value >> 16 & 0xFF), UInt64(value >> 8 & 0xFF), UInt64(value & 0xFF))
        let digits = (ByteBuffer.decimalDigits(octets.0), ByteBuffer.decimalDigits(octets.1),
                      ByteBuffer.decimalDigits(octets.2), ByteBuffer.decimalDigits(octets.3))
        bytes.append(addingCapacity: digits.0 + digits.1 + digits.2 + digits.3 + 3) { room in
            ByteBuffer.decimal(octets.0, digits: digits.0, to: &room)
            room.append(UInt8(ascii: "."))
            ByteBuffer.decimal(octets.1, digits: digits.1, to: &room)
            room.append(UInt8(ascii: "."))
            ByteBuffer.decimal(octets.2, digits: digits.2, to: &room)
            room.append(UInt8(ascii: "."))
            ByteBuffer.decimal(octets.3, digits: digits.3, to: &room)
        }
    }

    private static func decimal(_ value: UInt64, digits: Int, to room: inout OutputSpan<UInt8>) {
        var divisor: UInt64 = 1
        for _ in 1..<max(digits, 1) { divisor &*= 10 }
        while divisor > 0 {
            room.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value / divisor % 10))
            divisor /= 10
        }
    }

    /// Lower-case hex without leading zeros.
    mutating func append(hex value: UInt16) {
        let digits = max(1, (16 - value.leadingZeroBitCount + 3) / 4)
        bytes.append(addingCapacity: digits) { room in
            for index in (0..<digits).reversed() {
                let nibble = UInt8(truncatingIfNeeded: value >> UInt16(4 * index)) & 15
                room.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
            }
        }
    }

    /// Spaces that end a column started at `start`: up to `width` bytes, or one space when
    /// the column's text is that wide already.
    mutating func pad(from start: Int, to width: Int) {
        let used = bytes.count - start
        append(UInt8(ascii: " "), count: used >= width ? 1 : width - used)
    }

    /// Drops the spaces at the end, back to `start` at most.
    mutating func trimSpaces(downTo start: Int) {
        while bytes.count > start && bytes[bytes.count - 1] == UInt8(ascii: " ") { bytes.removeLast() }
    }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// Writes every byte to `fd`; false when the descriptor fails (a closed pipe, a full disk).
    func write(to fd: Int32) -> Bool {
        bytes.withUnsafeBytes { raw in
            if case .failure = POSIX.writeAll(fd, raw) { return false }
            return true
        }
    }
}
