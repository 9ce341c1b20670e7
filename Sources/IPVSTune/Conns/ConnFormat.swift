/// Number and address text written straight through a pointer, for the hot output paths: a
/// listing of a million rows spends its time here, so nothing goes through an Array or a
/// String. Every function writes at `p` and returns the position after its text.
///
/// Callers guarantee room: a function may store up to `ConnFormat.slack` bytes past the end of
/// what it reports as written (whole words are cheaper than single bytes), so a buffer must
/// have the text's bound plus `slack` free. The bounds (`ConnFormat.maxEndpoint` and friends)
/// are exact upper limits of the text, never input-dependent except where a caller adds the
/// lengths of the fields it copies.
struct ConnFormat: @unchecked Sendable {
    /// Bytes a writer may store beyond the end of its text.
    static let slack = 32
    /// `[` + 39 + `]:` + 5 digits: the longest endpoint (an IPv4-mapped one is shorter).
    static let maxEndpoint = 47
    /// The longest expiry text: `596523:14:08` for 2^31 seconds (`wrapped` is shorter).
    static let maxExpiry = 12

    /// `00` to `99`, two ASCII digits per entry.
    private let pairs: UnsafePointer<UInt8>
    /// For each octet value, its digits and a `.` in the low bytes of a little-endian word.
    private let octets: UnsafePointer<UInt32>
    /// For each set of zero groups of an IPv6 address (bit i: group i), the run to write
    /// as `::`: its start in the low byte (8 for none), its length in the high one.
    private let zeroRuns: UnsafePointer<UInt16>

    /// The tables live as long as the process: made once, never freed.
    static let shared = ConnFormat()

    private init() {
        let pairs = UnsafeMutablePointer<UInt8>.allocate(capacity: 200)
        for value in 0..<100 {
            pairs[2 * value] = 48 + UInt8(value / 10)
            pairs[2 * value + 1] = 48 + UInt8(value % 10)
        }
        let octets = UnsafeMutablePointer<UInt32>.allocate(capacity: 256)
        for value in 0..<256 {
            var digits: [UInt8] = []
            if value >= 100 { digits.append(48 + UInt8(value / 100)) }
            if value >= 10 { digits.append(48 + UInt8(value / 10 % 10)) }
            digits.append(48 + UInt8(value % 10))
            digits.append(46)
            while digits.count < 4 { digits.append(0) }
            var word: UInt32 = 0
            for (index, byte) in digits.enumerated() { word |= UInt32(byte) << UInt32(8 * index) }
            octets[value] = word
        }
        let zeroRuns = UnsafeMutablePointer<UInt16>.allocate(capacity: 256)
        for mask in 0..<256 {
            // Any address with exactly these zero groups: group i is 0 or 1.
            var high: UInt64 = 0
            var low: UInt64 = 0
            for group in 0..<8 where mask & (1 << group) == 0 {
                if group < 4 { high |= 1 << UInt64(48 - 16 * group) } else { low |= 1 << UInt64(48 - 16 * (group - 4)) }
            }
            let run = ConnFormat.zeroRun(high: high, low: low)
            zeroRuns[mask] = UInt16(run.start) | UInt16(run.length) << 8
        }
        self.pairs = UnsafePointer(pairs)
        self.octets = UnsafePointer(octets)
        self.zeroRuns = UnsafePointer(zeroRuns)
    }

    // MARK: Constant text and bytes

    @inline(__always)
    static func put(_ text: StaticString, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let count = text.utf8CodeUnitCount
        p.update(from: text.utf8Start, count: count)
        return p + count
    }

    @inline(__always)
    static func put(_ bytes: UnsafeBufferPointer<UInt8>, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        guard let base = bytes.baseAddress else { return p }
        let count = bytes.count
        // Names are short: two overlapping words rather than a call to memmove. Only the
        // source's own bytes are read, only the target's `count` bytes written.
        let from = UnsafeRawPointer(base)
        let to = UnsafeMutableRawPointer(p)
        if count >= 8 && count <= 16 {
            to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), toByteOffset: count - 8, as: UInt64.self)
        } else if count >= 4 && count < 8 {
            to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            to.storeBytes(of: from.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self), toByteOffset: count - 4, as: UInt32.self)
        } else if count < 4 {
            if count > 0 {
                p[0] = base[0]
                p[count / 2] = base[count / 2]
                p[count - 1] = base[count - 1]
            }
        } else {
            p.update(from: base, count: count)
        }
        return p + count
    }

    /// `count` spaces, 0 to 32 of them.
    @inline(__always)
    static func spaces(_ count: Int, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let raw = UnsafeMutableRawPointer(p)
        let blank: UInt64 = 0x2020_2020_2020_2020
        raw.storeBytes(of: blank, toByteOffset: 0, as: UInt64.self)
        raw.storeBytes(of: blank, toByteOffset: 8, as: UInt64.self)
        raw.storeBytes(of: blank, toByteOffset: 16, as: UInt64.self)
        raw.storeBytes(of: blank, toByteOffset: 24, as: UInt64.self)
        return p + count
    }

    /// Spaces up to `width` bytes since `start`, or one space when the field is wider.
    @inline(__always)
    static func pad(from start: UnsafeMutablePointer<UInt8>, _ p: UnsafeMutablePointer<UInt8>, to width: Int) -> UnsafeMutablePointer<UInt8> {
        let used = p - start
        return spaces(used >= width ? 1 : width - used, at: p)
    }

    // MARK: Decimal

    /// How many decimal digits `value` has.
    @inline(__always)
    static func digitCount(_ value: UInt64) -> Int {
        var count = 1
        var limit: UInt64 = 10
        while count < 20 && value >= limit {
            count += 1
            limit = limit &* 10
        }
        return count
    }

    /// `value` in exactly `count` digits (its own digit count, or more for leading zeros).
    @inline(__always)
    func decimal(_ value: UInt64, digits count: Int, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var rest = value
        var index = count
        while index >= 2 {
            let pair = Int(rest % 100)
            rest /= 100
            index -= 2
            p[index] = pairs[2 * pair]
            p[index + 1] = pairs[2 * pair + 1]
        }
        if index == 1 { p[0] = 48 + UInt8(truncatingIfNeeded: rest % 10) }
        return p + count
    }

    @inline(__always)
    func decimal(_ value: UInt64, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        decimal(value, digits: ConnFormat.digitCount(value), at: p)
    }

    /// A port: 1 to 5 digits.
    @inline(__always)
    func port(_ value: UInt16, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        // All five digits in one word, then its leading zeros shifted out: no branch.
        let v = Int(value)
        let high = v / 100
        let top = high / 100
        let word = UInt64(48 + top) | UInt64(pair(high - 100 * top)) << 8 | UInt64(pair(v - 100 * high)) << 24
        let count = 1 + (v >= 10 ? 1 : 0) + (v >= 100 ? 1 : 0) + (v >= 1000 ? 1 : 0) + (v >= 10000 ? 1 : 0)
        UnsafeMutableRawPointer(p).storeBytes(of: (word >> UInt64(8 * (5 - count))).littleEndian, as: UInt64.self)
        return p + count
    }

    /// The two digits of `value` (0 to 99), the tens in the low byte.
    @inline(__always)
    private func pair(_ value: Int) -> UInt16 {
        UInt16(littleEndian: UnsafeRawPointer(pairs + 2 * value).loadUnaligned(as: UInt16.self))
    }

    /// Two digits, for the minutes and seconds of `h:mm:ss`.
    @inline(__always)
    func twoDigits(_ value: Int, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        p[0] = pairs[2 * value]
        p[1] = pairs[2 * value + 1]
        return p + 2
    }

    // MARK: Addresses

    /// Dotted quad.
    @inline(__always)
    func ipv4(_ value: UInt32, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var p = octet(Int(value >> 24), at: p)
        p = octet(Int(value >> 16 & 0xFF), at: p)
        p = octet(Int(value >> 8 & 0xFF), at: p)
        return octet(Int(value & 0xFF), at: p) - 1  // no dot after the last one
    }

    /// An octet and its dot (4 bytes stored, its digits and dot kept).
    @inline(__always)
    private func octet(_ value: Int, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        UnsafeMutableRawPointer(p).storeBytes(of: UInt32(littleEndian: octets[value]), as: UInt32.self)
        return p + (value >= 100 ? 4 : value >= 10 ? 3 : 2)
    }

    /// RFC 5952: lower case, no leading zeros, the first longest run of two or more zero
    /// groups as `::`, `::ffff:a.b.c.d` for IPv4-mapped addresses. Out of line: long, and
    /// the row writers, inlined into the reading loop, would hold it once per endpoint.
    @inline(never)
    func ipv6(high: UInt64, low: UInt64, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        // IPv4-mapped addresses read better with their IPv4 part dotted (RFC 5952 section 5).
        if high == 0 && low >> 32 == 0xFFFF {
            return ipv4(UInt32(truncatingIfNeeded: low), at: ConnFormat.put("::ffff:", at: start))
        }
        let run = Int(zeroRuns[ConnFormat.zeroGroups(high) | ConnFormat.zeroGroups(low) << 4])
        let runStart = run & 0xFF
        // Every group is written with a colon after it; the last colon is taken back.
        var p = start
        var index = 0
        while index < runStart && index < 8 {
            p = ConnFormat.hexGroupAndColon(ConnAddress.group(index, high: high, low: low), at: p)
            index += 1
        }
        guard runStart < 8 else { return p - 1 }
        // "::": one more colon after a group, two at the start.
        p[0] = 58
        p[1] = 58
        p += runStart == 0 ? 2 : 1
        index = runStart + run >> 8
        guard index < 8 else { return p }
        while index < 8 {
            p = ConnFormat.hexGroupAndColon(ConnAddress.group(index, high: high, low: low), at: p)
            index += 1
        }
        return p - 1
    }

    /// Bit i set when 16-bit group i of `word` (the most significant first) is zero.
    @inline(__always)
    private static func zeroGroups(_ word: UInt64) -> Int {
        let low15: UInt64 = 0x7FFF_7FFF_7FFF_7FFF
        // Bit 15 of a group ends up set exactly when the group is zero; no carry crosses groups.
        let zero = ~(((word & low15) &+ low15) | word | low15) >> 15
        return Int(truncatingIfNeeded: zero >> 48 | (zero >> 31) & 2 | (zero >> 14) & 4 | (zero & 1) << 3)
    }

    /// The first longest run of zero groups, if two groups or more (start 8 when none).
    @inline(__always)
    static func zeroRun(high: UInt64, low: UInt64) -> (start: Int, length: Int) {
        var bestStart = 8
        var bestLength = 1
        var index = 0
        while index < 8 {
            guard ConnAddress.group(index, high: high, low: low) == 0 else { index += 1; continue }
            var end = index + 1
            while end < 8 && ConnAddress.group(end, high: high, low: low) == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        return (bestStart, bestLength)
    }

    /// `hexGroup` and a colon (8 bytes stored).
    @inline(__always)
    static func hexGroupAndColon(_ value: UInt16, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let (digits, count) = hexDigits(value)
        let word = UInt64(digits >> UInt32(8 * (4 - count))) | 58 << UInt64(8 * count)
        UnsafeMutableRawPointer(p).storeBytes(of: word.littleEndian, as: UInt64.self)
        return p + count + 1
    }

    /// The four hex digits of `value` in memory order (the first in the low byte), and how
    /// many of them are left without leading zeros (1 to 4).
    @inline(__always)
    static func hexDigits(_ value: UInt16) -> (UInt32, Int) {
        let v = UInt32(value)
        // One nibble per byte, the most significant in the low byte.
        var x = v >> 12 | (v >> 8 & 0xF) << 8 | (v >> 4 & 0xF) << 16 | (v & 0xF) << 24
        // '0' + nibble, and 0x27 more for a to f.
        x = x &+ 0x3030_3030 &+ ((x &+ 0x0606_0606) >> 4 & 0x0101_0101) &* 0x27
        return (x, (19 - (value | 1).leadingZeroBitCount) >> 2)
    }

    /// Lower-case hex without leading zeros, as IPv6 text wants its groups (4 bytes stored).
    @inline(__always)
    static func hexGroup(_ value: UInt16, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let (digits, count) = hexDigits(value)
        UnsafeMutableRawPointer(p).storeBytes(of: (digits >> UInt32(8 * (4 - count))).littleEndian, as: UInt32.self)
        return p + count
    }

    @inline(__always)
    func address(_ address: ConnAddress, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        switch address {
        case .v4(let value): ipv4(value, at: p)
        case .v6(let high, let low): ipv6(high: high, low: low, at: p)
        }
    }

    /// `1.2.3.4:80` or `[2001:db8::1]:80`.
    @inline(__always)
    func endpoint(_ endpoint: ConnEndpoint, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var p: UnsafeMutablePointer<UInt8>
        switch endpoint.address {
        case .v4(let value):
            p = ipv4(value, at: start)
        case .v6(let high, let low):
            start[0] = 91
            p = ipv6(high: high, low: low, at: start + 1)
            p[0] = 93
            p += 1
        }
        p[0] = 58
        return port(endpoint.port, at: p + 1)
    }

    /// The endpoint through `cache` when there is one.
    @inline(__always)
    func endpoint(_ endpoint: ConnEndpoint, at p: UnsafeMutablePointer<UInt8>, _ cache: ConnEndpointCache?) -> UnsafeMutablePointer<UInt8> {
        if let cache { return cache.endpoint(endpoint, at: p, self) }
        return self.endpoint(endpoint, at: p)
    }

    // MARK: Strings

    /// The bound of `jsonString` for `count` input bytes.
    @inline(__always)
    static func maxJSONString(_ count: Int) -> Int { 6 * count + 2 }

    /// A JSON string with the same escapes as `JSON.writeString`, over UTF-8 bytes.
    @inline(__always)
    static func jsonString(_ bytes: UnsafeBufferPointer<UInt8>, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var p = start
        p[0] = 34
        p += 1
        for byte in bytes {
            if byte >= 32 && byte != 34 && byte != 92 {
                p[0] = byte
                p += 1
                continue
            }
            p[0] = 92
            switch byte {
            case 34: p[1] = 34; p += 2
            case 92: p[1] = 92; p += 2
            case 10: p[1] = 110; p += 2
            case 13: p[1] = 114; p += 2
            case 9: p[1] = 116; p += 2
            default:
                p[1] = 117
                p[2] = 48
                p[3] = 48
                p[4] = byte >> 4 < 10 ? 48 + byte >> 4 : 87 + byte >> 4
                p[5] = byte & 15 < 10 ? 48 + byte & 15 : 87 + byte & 15
                p += 6
            }
        }
        p[0] = 34
        return p + 1
    }

    /// PEData is copied from a packet; control characters would break the table's rows. On
    /// UTF-8 bytes, replacing each byte below 0x20 and 0x7F replaces exactly those scalars.
    @inline(__always)
    static func printable(_ bytes: UnsafeBufferPointer<UInt8>, at p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var index = 0
        for byte in bytes {
            p[index] = byte < 32 || byte == 127 ? 63 : byte
            index += 1
        }
        return p + index
    }
}

/// Texts of endpoints written lately, by address and port: a table has few virtual services
/// and real servers, so theirs are copied instead of made again for every row. Direct
/// mapped; a miss writes the text and keeps it.
struct ConnEndpointCache {
    private static let slots = 256
    /// Per slot: the key's three words, the text's length, the text (48 bytes).
    private static let slotSize = 80
    private let storage: UnsafeMutableRawPointer

    init() {
        storage = .allocate(byteCount: ConnEndpointCache.slots * ConnEndpointCache.slotSize, alignment: 8)
        // Key word 2 is never 0 for an endpoint: zeroed slots hold nothing.
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: ConnEndpointCache.slots * ConnEndpointCache.slotSize)
    }

    func release() { storage.deallocate() }

    /// As `ConnFormat.endpoint`; it stores 48 bytes at `p` on a hit, within the bound an
    /// endpoint has (`maxEndpoint` + 1) and the slack.
    @inline(__always)
    func endpoint(_ endpoint: ConnEndpoint, at p: UnsafeMutablePointer<UInt8>, _ format: ConnFormat) -> UnsafeMutablePointer<UInt8> {
        let (first, second, family) = endpoint.address.words
        let third = UInt64(endpoint.port) | 1 << 16 | family << 17
        let hash = (first ^ second) &* 0x9E37_79B9_7F4A_7C15 ^ third &* 0xC2B2_AE3D_27D4_EB4F
        let slot = storage + Int(truncatingIfNeeded: hash >> 56) * ConnEndpointCache.slotSize
        let text = slot + 32
        let to = UnsafeMutableRawPointer(p)
        if slot.load(as: UInt64.self) == first && slot.load(fromByteOffset: 8, as: UInt64.self) == second
            && slot.load(fromByteOffset: 16, as: UInt64.self) == third {
            for offset in stride(from: 0, to: 48, by: 8) {
                to.storeBytes(of: text.load(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
            }
            return p + Int(truncatingIfNeeded: slot.load(fromByteOffset: 24, as: UInt64.self))
        }
        let end = format.endpoint(endpoint, at: p)
        let count = end - p
        slot.storeBytes(of: first, as: UInt64.self)
        slot.storeBytes(of: second, toByteOffset: 8, as: UInt64.self)
        slot.storeBytes(of: third, toByteOffset: 16, as: UInt64.self)
        slot.storeBytes(of: UInt64(count), toByteOffset: 24, as: UInt64.self)
        text.copyMemory(from: UnsafeRawPointer(p), byteCount: min(count, 48))
        return end
    }
}
