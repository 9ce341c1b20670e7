import Glibc

/// An IPv4 or IPv6 address as numbers, so that comparing, masking and sorting cost no
/// allocation: the connection table can hold millions of them.
enum ConnAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address in host order: 10.0.0.1 is 0x0A000001, as /proc prints it.
    case v4(UInt32)
    /// The 128 bits split in two, most significant half first.
    case v6(high: UInt64, low: UInt64)

    var isIPv6: Bool {
        if case .v6 = self { return true }
        return false
    }

    /// Dotted quad for IPv4; RFC 5952 for IPv6 (see `ByteBuffer.append(_: ConnAddress)`).
    var description: String {
        var out = ByteBuffer(capacity: 48)
        out.append(self)
        return out.string
    }

    static func < (lhs: ConnAddress, rhs: ConnAddress) -> Bool {
        switch (lhs, rhs) {
        case (.v4(let a), .v4(let b)): a < b
        case (.v4, .v6): true
        case (.v6, .v4): false
        case (.v6(let ah, let al), .v6(let bh, let bl)): (ah, al) < (bh, bl)
        }
    }

    /// Parses what an operator types (`10.0.0.1`, `2001:db8::1`) with the C library, so we
    /// accept exactly what every other networking tool accepts.
    init?(parsing text: String) {
        if text.contains(":") {
            var raw = in6_addr()
            guard inet_pton(AF_INET6, text, &raw) == 1 else { return nil }
            let bytes = withUnsafeBytes(of: &raw) { Array($0) }
            self = .v6(high: bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) },
                       low: bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) })
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
}

/// An address and port as one row of /proc/net/ip_vs_conn shows them.
struct ConnEndpoint: Hashable, Comparable, Sendable, CustomStringConvertible {
    var address: ConnAddress
    var port: UInt16

    init(_ address: ConnAddress, _ port: UInt16) {
        self.address = address
        self.port = port
    }

    /// `1.2.3.4:80` or `[2001:db8::1]:80`.
    var description: String {
        var out = ByteBuffer(capacity: 48)
        out.append(self)
        return out.string
    }

    static func < (lhs: ConnEndpoint, rhs: ConnEndpoint) -> Bool {
        (lhs.address, lhs.port) < (rhs.address, rhs.port)
    }
}

extension ByteBuffer {
    /// Dotted quad; RFC 5952 for IPv6: lower case, no leading zeros, the first longest run
    /// of two or more zero groups as `::`, and `::ffff:a.b.c.d` for IPv4-mapped addresses.
    mutating func append(_ address: ConnAddress) {
        switch address {
        case .v4(let value):
            append(dottedQuad: value)
        case .v6(let high, let low) where high == 0 && low >> 32 == 0xFFFF:
            append("::ffff:")
            append(dottedQuad: UInt32(truncatingIfNeeded: low))
        case .v6(let high, let low):
            func group(_ index: Int) -> UInt16 { UInt16(truncatingIfNeeded: (index < 4 ? high : low) >> UInt64(48 - 16 * (index % 4))) }
            var run = (start: 8, end: 8)
            var index = 0
            while index < 8 {
                var end = index
                while end < 8 && group(end) == 0 { end += 1 }
                if end - index >= 2 && end - index > run.end - run.start { run = (index, end) }
                index = max(end, index + 1)
            }
            for index in 0..<run.start {
                if index > 0 { append(UInt8(ascii: ":")) }
                append(hex: group(index))
            }
            guard run.start < 8 else { return }
            append("::")
            for index in run.end..<8 {
                if index > run.end { append(UInt8(ascii: ":")) }
                append(hex: group(index))
            }
        }
    }

    /// `1.2.3.4:80` or `[2001:db8::1]:80`, then spaces up to `width` bytes (at least one)
    /// if a width is given.
    mutating func append(_ endpoint: ConnEndpoint, paddedTo width: Int = 0) {
        if case .v4(let value) = endpoint.address { return append(dottedQuad: value, port: endpoint.port, paddedTo: width) }
        let start = count
        append(UInt8(ascii: "["))
        append(endpoint.address)
        append("]:")
        append(decimal: UInt64(endpoint.port))
        if width > 0 { pad(from: start, to: width) }
    }
}
