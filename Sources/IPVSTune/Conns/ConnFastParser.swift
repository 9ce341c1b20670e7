/// Reads the rows the kernel prints, in one pass over the line's bytes, into a `ConnRow`.
///
/// It knows only the shapes `ip_vs_conn_seq_show` and `ip_vs_conn_sync_seq_show` produce: IPv4
/// addresses as 8 hex digits, IPv6 ones as 8 groups of 4, ports as 4 hex digits, ASCII names,
/// at most 19 digits of expiry. Whatever else a line holds (a short IPv6 group, a bad digit,
/// a byte above 0x7F, a missing field) it leaves to `ConnLineParser`, which accepts the same
/// rows and words every error. So a row read here is exactly the entry `ConnLineParser`
/// would give, and every message comes from one place.
///
/// Every index is checked against the line's end before it is read: the bytes come from a
/// file and may be anything.
enum ConnFastParser {
    enum Outcome {
        /// `row` holds the entry.
        case row
        /// The header or a blank line.
        case skip
        /// Not a shape read here: ask `ConnLineParser`.
        case other
    }

    @inline(__always)
    static func parse(_ line: UnsafeBufferPointer<UInt8>, into row: inout ConnRow) -> Outcome {
        guard let b = line.baseAddress else { return .skip }
        var end = line.count
        // Tolerate CRLF line ends: the kernel never writes them, a copied file may have them.
        if end > 0 && b[end - 1] == 13 { end -= 1 }
        // The kernel starts a row with its protocol, no space before.
        var i = end > 0 && !isSpace(b[0]) ? 0 : skipSpaces(b, 0, end)
        if i == end { return .skip }

        // Bits 7 of every byte of the names: any set one is not ASCII.
        var seen: UInt64 = 0
        let protoStart = i
        i = tokenEnd(b, i, end, &seen)
        if i - protoStart == 3 && b[protoStart] == 80 && b[protoStart + 1] == 114 && b[protoStart + 2] == 111 {
            return .skip  // "Pro": the header
        }
        guard seen & 0x8080_8080_8080_8080 == 0 else { return .other }
        row.proto = UnsafeBufferPointer(start: b + protoStart, count: i - protoStart)

        let fields = skipSpaces(b, i, end)
        if kernelRow(b + fields, end - fields, into: &row) == end - fields { return .row }

        guard let client = endpoint(b, &i, end), let virtual = endpoint(b, &i, end),
              let dest = endpoint(b, &i, end) else { return .other }
        row.client = client
        row.virtual = virtual
        row.dest = dest

        i = skipSpaces(b, i, end)
        let stateStart = i
        i = tokenEnd(b, i, end, &seen)
        guard i > stateStart, seen & 0x8080_8080_8080_8080 == 0 else { return .other }
        row.state = UnsafeBufferPointer(start: b + stateStart, count: i - stateStart)

        i = skipSpaces(b, i, end)
        // Most often the expiry ends the line: up to 8 digits read as one word.
        if let seconds = lastDigits(b, from: i, end) {
            row.expires = seconds
            row.origin = nil
            row.peName = nil
            row.peData = nil
            return .row
        }
        if let seconds = decimal(b, &i, end) {
            row.expires = seconds
            row.origin = nil
            i = skipSpaces(b, i, end)
            if i == end {
                row.peName = nil
                row.peData = nil
                return .row
            }
            // PEName, then the rest of the line after its one separating space as PEData.
            let nameStart = i
            var high: UInt8 = 0
            while i < end && !isSpace(b[i]) { high |= b[i]; i += 1 }
            row.peName = UnsafeBufferPointer(start: b + nameStart, count: i - nameStart)
            if i < end { i += 1 }
            let dataStart = i
            while i < end { high |= b[i]; i += 1 }
            guard high < 0x80 else { return .other }
            row.peData = UnsafeBufferPointer(start: b + dataStart, count: end - dataStart)
            return .row
        }
        // The sync table's shape: Origin, then Expires, then nothing.
        let originStart = i
        while i < end && !isSpace(b[i]) { i += 1 }
        switch i - originStart {
        case 4 where b[originStart] == 83 && b[originStart + 1] == 89 && b[originStart + 2] == 78 && b[originStart + 3] == 67:
            row.origin = .sync
        case 5 where b[originStart] == 76 && b[originStart + 1] == 79 && b[originStart + 2] == 67
            && b[originStart + 3] == 65 && b[originStart + 4] == 76:
            row.origin = .local
        default:
            return .other
        }
        i = skipSpaces(b, i, end)
        guard let seconds = decimal(b, &i, end) else { return .other }
        guard skipSpaces(b, i, end) == end else { return .other }
        row.expires = seconds
        row.peName = nil
        row.peData = nil
        return .row
    }

    /// Reads a whole line straight from the read buffer when it is a row as the kernel
    /// prints it (see `kernelRow`) with a protocol of 1 to 3 bytes (`%-3s `), followed by
    /// its newline. `available` bytes are readable at `s`. Returns the line's length (the
    /// newline not counted) when it is such a line, read into `row` exactly as `parse`
    /// reads those bytes: then the line needs no search for its end. Nothing before the
    /// newline may be one; nothing the layout checks can be, but the names, checked here.
    /// Transparent so that it is inlined into the reading loop whatever its size (see
    /// `ConnRunner.run`).
    @_transparent
    static func kernelLine(_ s: UnsafePointer<UInt8>, _ available: Int, into row: inout ConnRow) -> Int? {
        // The protocol column: a name, then spaces to byte 3; no tab, newline or byte above 0x7F.
        guard available > 4 + shortestRow else { return nil }
        let head = UInt64(load32(s))
        let spaces = blankFlags(head) & 0x8080_8080
        let length = spaces.trailingZeroBitCount >> 3
        guard length >= 1, length <= 3, isSuffix(spaces, lastByte: 3), head & 0x8080_8080 == 0,
              (byteFlags(head, 9) | byteFlags(head, 10)) & 0x8080_8080 == 0,
              length != 3 || head & 0xFF_FFFF != 0x6F_7250,  // "Pro": the header
              let rowLength = kernelRow(s + 4, available - 5, into: &row),
              s[4 + rowLength] == 10 else { return nil }
        // The state's bytes (from 19 before the row's end) hold no newline.
        let state = s + 4 + rowLength - 19
        guard (byteFlags(load64(state), 10) | byteFlags(load64(state + 4), 10)) == 0 else { return nil }
        row.proto = bytes(s, length)
        return 4 + rowLength
    }

    /// `UnsafeBufferPointer(start:count:)`, in a function small enough that the initializer
    /// (checks and all) is inlined into it: the listing's loop is too large for the optimizer
    /// to inline the initializer there, a call per field.
    @inline(__always)
    private static func bytes(_ start: UnsafePointer<UInt8>, _ count: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: start, count: count)
    }

    /// 0x80 in each byte of `x` equal to `byte`, 0 in every other.
    @inline(__always)
    private static func byteFlags(_ x: UInt64, _ byte: UInt8) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let same = x ^ (0x0101_0101_0101_0101 &* UInt64(byte))
        return ~(((same & low7) &+ low7) | same | low7)
    }

    /// The shortest `kernelRow`: three IPv4 endpoints.
    static let shortestRow = 3 * 14 + 19

    /// Reads a row laid out as the kernel prints it after the protocol, every field at its
    /// place: three endpoints, each an address (8 hex digits, or 8 groups of 4) and a port
    /// (4 hex digits) with single spaces after them; the state padded to 11 bytes
    /// (`%-11s`); a space; the expiry padded to 7 (`%7lu`). At most `available` bytes are
    /// read from `p`. Returns the row's length, or nil (and `row` in any state) when the
    /// bytes are laid out otherwise: the general path then reads them.
    /// Transparent so that it is inlined into the reading loop whatever its size (see
    /// `ConnRunner.run`).
    @_transparent
    private static func kernelRow(_ p: UnsafePointer<UInt8>, _ available: Int, into row: inout ConnRow) -> Int? {
        var q = p
        var left = available
        guard let client = fixedEndpoint(&q, &left), let virtual = fixedEndpoint(&q, &left),
              let dest = fixedEndpoint(&q, &left), left >= 19 else { return nil }
        // The state: bytes 0 to 10 hold a name then spaces or tabs up to byte 11, which is
        // one. Bit k of `spaces` says whether byte k is a space or a tab.
        let first = load64(q)
        let second = load64(q + 4)
        let firstSpaces = spaceFlags(first)
        let secondSpaces = spaceFlags(second)
        // Byte 0 a name's, byte 11 a space, and spaces from the first one on, in both words
        // (they overlap in bytes 4 to 7).
        let length = firstSpaces != 0 ? firstSpaces.trailingZeroBitCount >> 3 : 4 + secondSpaces.trailingZeroBitCount >> 3
        guard firstSpaces & 0x80 == 0, secondSpaces >> 63 == 1,
              isSuffix(firstSpaces, lastByte: 7), isSuffix(secondSpaces, lastByte: 7),
              (first | second) & 0x8080_8080_8080_8080 == 0 else { return nil }
        // The expiry: spaces from byte 11, then digits to byte 18 (a tab sends the row to
        // the general path): byte 0 a space, byte 7 not, spaces only before the digits.
        let word = load64(q + 11)
        let blanks = blankFlags(word)
        guard blanks & 0x80 != 0, blanks >> 63 == 0, blanks >> 8 & ~blanks == 0,
              let seconds = digits8(word &+ blanks >> 3) else { return nil }  // a space + 0x10 is "0"
        row.client = client
        row.virtual = virtual
        row.dest = dest
        row.state = bytes(q, length)
        row.expires = seconds
        row.origin = nil
        row.peName = nil
        row.peData = nil
        return q + 19 - p
    }

    /// An address, a space, a port, a space, at `q` with `left` bytes readable; moves past.
    @inline(__always)
    private static func fixedEndpoint(_ q: inout UnsafePointer<UInt8>, _ left: inout Int) -> ConnEndpoint? {
        if left >= 14 && q[8] == 32 {
            guard q[13] == 32, let address = hex8(load64(q)), let port = hex4(load32(q + 9)) else { return nil }
            q += 14
            left -= 14
            return ConnEndpoint(.v4(address), port)
        }
        guard left >= 45 && q[39] == 32 && q[44] == 32, let (high, low) = ipv6(q), let port = hex4(load32(q + 40)) else {
            return nil
        }
        q += 45
        left -= 45
        return ConnEndpoint(.v6(high: high, low: low), port)
    }

    /// Whether the bytes flagged (0x80) in `flags` are all those from the first flagged one
    /// up to byte `lastByte`, or none.
    @inline(__always)
    private static func isSuffix(_ flags: UInt64, lastByte: Int) -> Bool {
        let bytes = ~UInt64(0) >> UInt64(56 - 8 * lastByte)
        // None past `lastByte`, and each flagged byte before it followed by a flagged one.
        return flags & ~bytes == 0 && (flags << 8) & ~flags & bytes == 0
    }

    /// Eight decimal digits, the first in the low byte; nil when any byte is not a digit.
    @inline(__always)
    private static func digits8(_ word: UInt64) -> UInt64? {
        // Every byte 0x30 to 0x39: high nibble 3, and adding 6 leaves it 3.
        guard word & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030,
              (word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 == 0x3030_3030_3030_3030 else { return nil }
        // Pairs, then fours, then all eight.
        var x = word &- 0x3030_3030_3030_3030
        x = (x &* 10 &+ (x >> 8)) & 0x00FF_00FF_00FF_00FF
        x = (x &* 100 &+ (x >> 16)) & 0x0000_FFFF_0000_FFFF
        x = (x &* 10000 &+ (x >> 32)) & 0xFFFF_FFFF
        return x
    }

    /// 0x80 in each byte of `x` that is a space, 0 in every other (tabs included).
    @inline(__always)
    private static func blankFlags(_ x: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let space = x ^ 0x2020_2020_2020_2020
        return ~(((space & low7) &+ low7) | space | low7)
    }

    /// 0x80 in each byte of `x` that is a space or a tab, 0 in every other.
    @inline(__always)
    private static func spaceFlags(_ x: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        let space = x ^ 0x2020_2020_2020_2020
        let tab = x ^ 0x0909_0909_0909_0909
        // A byte is zero exactly when adding 0x7F to its low bits sets no top bit and its own
        // top bit is clear: no carry crosses bytes.
        return ~(((space & low7) &+ low7) | space | low7) | ~(((tab & low7) &+ low7) | tab | low7)
    }

    /// Where the field starting at `start` ends (a space, a tab or `end`), eight bytes at a
    /// time; its bytes are OR-ed into `seen`.
    @inline(__always)
    private static func tokenEnd(_ b: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ seen: inout UInt64) -> Int {
        var i = start
        while end - i >= 8 {
            let word = load64(b + i)
            let spaces = spaceFlags(word)
            if spaces != 0 {
                let count = spaces.trailingZeroBitCount >> 3
                seen |= word & ((1 << UInt64(8 * count)) &- 1)
                return i + count
            }
            seen |= word
            i += 8
        }
        while i < end && !isSpace(b[i]) { seen |= UInt64(b[i]); i += 1 }
        return i
    }

    /// The first index from `start` that is not a space or a tab, or `end`.
    @inline(__always)
    private static func skipSpaces(_ b: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var i = start
        while end - i >= 8 {
            let others = ~spaceFlags(load64(b + i)) & 0x8080_8080_8080_8080
            if others != 0 { return i + others.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < end && isSpace(b[i]) { i += 1 }
        return i
    }

    /// The value of bytes `start..<end` when they are 1 to 8 decimal digits, read as one
    /// word (the line's last 8 bytes, those before `start` taken as leading zeros).
    @inline(__always)
    private static func lastDigits(_ b: UnsafePointer<UInt8>, from start: Int, _ end: Int) -> UInt64? {
        let count = end - start
        guard count > 0, count <= 8, end >= 8 else { return nil }
        let keep = ~UInt64(0) << UInt64(8 * (8 - count))
        return digits8((load64(b + end - 8) & keep) | (0x3030_3030_3030_3030 & ~keep))
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 }

    /// Spaces, an address, spaces, a port; the port must be followed by a space, since the
    /// state always comes after it.
    @inline(__always)
    private static func endpoint(_ b: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) -> ConnEndpoint? {
        while i < end && isSpace(b[i]) { i += 1 }
        let address: ConnAddress
        if end - i > 8 && isSpace(b[i + 8]) {
            guard let value = hex8(load64(b + i)) else { return nil }
            address = .v4(value)
            i += 8
        } else if end - i > 39 && isSpace(b[i + 39]) {
            guard let (high, low) = ipv6(b + i) else { return nil }
            address = .v6(high: high, low: low)
            i += 39
        } else {
            return nil
        }
        while i < end && isSpace(b[i]) { i += 1 }
        guard end - i > 4 && isSpace(b[i + 4]), let port = hex4(load32(b + i)) else { return nil }
        i += 4
        return ConnEndpoint(address, port)
    }

    /// 1 to 19 digits (never overflowing) ending the field; nil, with `i` unmoved, otherwise.
    @inline(__always)
    private static func decimal(_ b: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) -> UInt64? {
        var j = i
        var value: UInt64 = 0
        while j < end {
            let digit = b[j] &- 48
            if digit >= 10 { break }
            value = value &* 10 &+ UInt64(digit)
            j += 1
        }
        let count = j - i
        guard count > 0, count <= 19, j == end || isSpace(b[j]) else { return nil }
        i = j
        return value
    }

    /// `xxxx:` seven times and `xxxx`, as the kernel's %pI6 prints every address: two
    /// groups at a time go through `hex8`.
    @inline(__always)
    private static func ipv6(_ p: UnsafePointer<UInt8>) -> (UInt64, UInt64)? {
        // The colons: bytes 0 and 5 of the words at 4, 14 and 24, and byte 34.
        let colons: UInt64 = 0x0000_FF00_0000_00FF
        guard load64(p + 4) & colons == 0x0000_3A00_0000_003A, load64(p + 14) & colons == 0x0000_3A00_0000_003A,
              load64(p + 24) & colons == 0x0000_3A00_0000_003A, p[34] == 58,
              let g01 = hex8(UInt64(load32(p)) | UInt64(load32(p + 5)) << 32),
              let g23 = hex8(UInt64(load32(p + 10)) | UInt64(load32(p + 15)) << 32),
              let g45 = hex8(UInt64(load32(p + 20)) | UInt64(load32(p + 25)) << 32),
              let g67 = hex8(UInt64(load32(p + 30)) | UInt64(load32(p + 35)) << 32) else { return nil }
        return (UInt64(g01) << 32 | UInt64(g23), UInt64(g45) << 32 | UInt64(g67))
    }

    @inline(__always)
    private static func load64(_ p: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    }

    @inline(__always)
    private static func load32(_ p: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
    }

    /// Eight hex digits of either case (first digit in the low byte), checked and converted
    /// a word at a time; nil when any byte is not a hex digit.
    @inline(__always)
    static func hex8(_ x: UInt64) -> UInt32? {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        guard x & high == 0 else { return nil }
        // With every byte below 0x80, adding 0x80 - c sets a byte's top bit exactly when it is >= c.
        let lower = x | 0x2020_2020_2020_2020
        let digit = (x &+ ones &* 0x50) & ~(x &+ ones &* 0x46)
        let letter = (lower &+ ones &* 0x1F) & ~(lower &+ ones &* 0x19)
        guard (digit | letter) & high == high else { return nil }
        // 0-9 keep their low nibble; A-F and a-f (bit 6 set) add 9 to theirs.
        let nibbles = (x & 0x0F0F_0F0F_0F0F_0F0F) &+ ((x >> 6) & ones) &* 9
        var v = ((nibbles << 4) | (nibbles >> 8)) & 0x00FF_00FF_00FF_00FF
        v = (v | (v >> 8)) & 0x0000_FFFF_0000_FFFF
        v = (v | (v >> 16)) & 0xFFFF_FFFF
        return UInt32(truncatingIfNeeded: v).byteSwapped
    }

    /// Four hex digits, as `hex8`.
    @inline(__always)
    static func hex4(_ x: UInt32) -> UInt16? {
        let ones: UInt32 = 0x0101_0101
        let high: UInt32 = 0x8080_8080
        guard x & high == 0 else { return nil }
        let lower = x | 0x2020_2020
        let digit = (x &+ ones &* 0x50) & ~(x &+ ones &* 0x46)
        let letter = (lower &+ ones &* 0x1F) & ~(lower &+ ones &* 0x19)
        guard (digit | letter) & high == high else { return nil }
        let nibbles = (x & 0x0F0F_0F0F) &+ ((x >> 6) & ones) &* 9
        let v = ((nibbles << 4) | (nibbles >> 8)) & 0x00FF_00FF
        return UInt16(truncatingIfNeeded: (v & 0xFF) << 8 | v >> 16)
    }
}
