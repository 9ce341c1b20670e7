import Glibc

/// An IPv4 or IPv6 address as numbers, so that comparing, masking and sorting cost no
/// allocation: the connection table can hold millions of them.
public enum ConnAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address in host order: 10.0.0.1 is 0x0A000001, as /proc prints it.
    case v4(UInt32)
    /// The 128 bits split in two, most significant half first.
    case v6(high: UInt64, low: UInt64)

    public var isIPv6: Bool {
        if case .v6 = self { return true }
        return false
    }

    /// The address as two words, 0 and the value for IPv4, and 1 for IPv6 (0 for IPv4): the
    /// key by which the text caches and the summary's counters hash and compare addresses.
    @inline(__always)
    var words: (high: UInt64, low: UInt64, family: UInt64) {
        switch self {
        case .v4(let value): (0, UInt64(value), 0)
        case .v6(let high, let low): (high, low, 1)
        }
    }

    /// Dotted quad for IPv4; RFC 5952 for IPv6 (lower case, longest zero run as `::`,
    /// `::ffff:a.b.c.d` for IPv4-mapped addresses).
    public var description: String {
        var writer = ConnByteWriter(capacity: 48)
        writer.append(self)
        return writer.string
    }

    /// An endpoint's text: `1.2.3.4:80`, `[2001:db8::1]:80`.
    public func withPort(_ port: UInt16) -> String {
        isIPv6 ? "[\(description)]:\(port)" : "\(description):\(port)"
    }

    public static func < (lhs: ConnAddress, rhs: ConnAddress) -> Bool {
        switch (lhs, rhs) {
        case (.v4(let a), .v4(let b)): a < b
        case (.v4, .v6): true
        case (.v6, .v4): false
        case (.v6(let ah, let al), .v6(let bh, let bl)): (ah, al) < (bh, bl)
        }
    }

    /// Parses what an operator types (`10.0.0.1`, `2001:db8::1`) with the C library, so we
    /// accept exactly what every other networking tool accepts.
    public init?(parsing text: String) {
        if text.contains(":") {
            var raw = in6_addr()
            guard inet_pton(AF_INET6, text, &raw) == 1 else { return nil }
            let (high, low) = withUnsafeBytes(of: &raw) { ConnAddress.halves(of: $0) }
            self = .v6(high: high, low: low)
        } else {
            var raw = in_addr()
            guard inet_pton(AF_INET, text, &raw) == 1 else { return nil }
            self = .v4(UInt32(bigEndian: raw.s_addr))
        }
    }

    /// True when `self` lies in `network`/`prefix`; addresses of the other family never do.
    func isIn(_ network: ConnAddress, prefix: Int) -> Bool {
        switch (self, network) {
        case (.v4(let a), .v4(let n)):
            let mask: UInt32 = prefix <= 0 ? 0 : ~UInt32(0) << UInt32(32 - min(prefix, 32))
            return a & mask == n & mask
        case (.v6(let ah, let al), .v6(let nh, let nl)):
            let highMask = ConnAddress.mask64(prefix)
            let lowMask = ConnAddress.mask64(prefix - 64)
            return ah & highMask == nh & highMask && al & lowMask == nl & lowMask
        default:
            return false
        }
    }

    private static func mask64(_ bits: Int) -> UInt64 {
        if bits <= 0 { return 0 }
        if bits >= 64 { return ~0 }
        return ~UInt64(0) << UInt64(64 - bits)
    }

    private static func halves(of bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 { high = high << 8 | UInt64(bytes[index]) }
        for index in 8..<16 { low = low << 8 | UInt64(bytes[index]) }
        return (high, low)
    }

    /// The 16-bit group `index` (0 to 7) of an IPv6 address.
    @inline(__always)
    static func group(_ index: Int, high: UInt64, low: UInt64) -> UInt16 {
        UInt16(truncatingIfNeeded: (index < 4 ? high : low) >> UInt64(48 - 16 * (index % 4)))
    }
}
