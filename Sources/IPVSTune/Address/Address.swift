import Glibc

/// An IPv4 or IPv6 address as numbers, so that comparing, masking and sorting cost no
/// allocation: the connection table can hold millions of them. The one address model of
/// ipvstune: the kernel's services, real servers and sync groups, the connection table, and
/// what an operator types.
enum IPAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address in host order: 10.0.0.1 is 0x0A000001, as /proc prints it.
    case v4(UInt32)
    /// The 128 bits split in two, most significant half first.
    case v6(high: UInt64, low: UInt64)

    var isIPv6: Bool {
        if case .v6 = self { return true }
        return false
    }

    /// Dotted quad for IPv4; RFC 5952 for IPv6 (see `OutputBuffer.append(_: IPAddress)`).
    var description: String {
        var out = OutputBuffer(capacity: 48)
        out.append(self)
        return out.string
    }

    /// The order of `<` as plain numbers: IPv4 first.
    var sortKey: (UInt8, UInt64, UInt64) {
        switch self {
        case .v4(let value): (0, 0, UInt64(value))
        case .v6(let high, let low): (1, high, low)
        }
    }

    static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        switch (lhs, rhs) {
        case (.v4(let a), .v4(let b)): a < b
        case (.v4, .v6): true
        case (.v6, .v4): false
        case (.v6(let ah, let al), .v6(let bh, let bl)): (ah, al) < (bh, bl)
        }
    }

    /// From the kernel's bytes in network order: 4 of them for IPv4, 16 for IPv6.
    init(networkOrder bytes: UnsafeRawBufferPointer, isIPv6: Bool) {
        if isIPv6 {
            self = .v6(high: bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }, low: bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) })
        } else {
            self = .v4(bytes[0..<4].reduce(0) { $0 << 8 | UInt32($1) })
        }
    }

    /// Parses what an operator types (`10.0.0.1`, `2001:db8::1`) with the C library, so we
    /// accept exactly what every other networking tool accepts.
    init?(parsing text: String) {
        if text.contains(":") {
            var raw = in6_addr()
            guard inet_pton(AF_INET6, text, &raw) == 1 else { return nil }
            self = withUnsafeBytes(of: &raw) { IPAddress(networkOrder: $0, isIPv6: true) }
        } else {
            var raw = in_addr()
            guard inet_pton(AF_INET, text, &raw) == 1 else { return nil }
            self = .v4(UInt32(bigEndian: raw.s_addr))
        }
    }

    /// True when `self` lies in `network`/`prefix`; addresses of the other family never do.
    func isIn(_ network: IPAddress, prefix: Int) -> Bool {
        switch (self, network) {
        case (.v4(let a), .v4(let n)):
            let mask: UInt32 = prefix <= 0 ? 0 : ~UInt32(0) << UInt32(32 - min(prefix, 32))
            return a & mask == n & mask
        case (.v6(let ah, let al), .v6(let nh, let nl)):
            let highMask = IPAddress.mask64(prefix)
            let lowMask = IPAddress.mask64(prefix - 64)
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

/// An address and port: a client, a virtual service or a real server.
struct Endpoint: Hashable, Comparable, Sendable, CustomStringConvertible {
    var address: IPAddress
    var port: UInt16

    init(_ address: IPAddress, _ port: UInt16) {
        self.address = address
        self.port = port
    }

    /// A word that equal endpoints share, for hashing.
    var word: UInt64 {
        switch address {
        case .v4(let value): UInt64(value) << 16 | UInt64(port)
        case .v6(let high, let low): high ^ (low &* 0xC4CE_B9FE_1A85_EC53) ^ UInt64(port) << 48
        }
    }

    /// `1.2.3.4:80` or `[2001:db8::1]:80`.
    var description: String {
        var out = OutputBuffer(capacity: 48)
        out.append(self)
        return out.string
    }

    static func < (lhs: Endpoint, rhs: Endpoint) -> Bool {
        (lhs.address, lhs.port) < (rhs.address, rhs.port)
    }
}

/// A virtual service as the connection table, watch and metrics name it: its address and
/// port, or the mark of a firewall-mark service (whose templates hold the mark instead).
enum VirtualAddress: Hashable, Sendable, CustomStringConvertible {
    case endpoint(Endpoint)
    case firewallMark(UInt32)

    /// `10.0.0.1:80`, `[2001:db8::1]:443` or `fwmark:7`.
    var description: String {
        switch self {
        case .endpoint(let endpoint): endpoint.description
        case .firewallMark(let mark): "fwmark:\(mark)"
        }
    }
}

extension OutputBuffer {
    /// Dotted quad; RFC 5952 for IPv6: lower case, no leading zeros, the first longest run
    /// of two or more zero groups as `::`, and `::ffff:a.b.c.d` for IPv4-mapped addresses.
    mutating func append(_ address: IPAddress) {
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
    mutating func append(_ endpoint: Endpoint, paddedTo width: Int = 0) {
        if case .v4(let value) = endpoint.address { return append(dottedQuad: value, port: endpoint.port, paddedTo: width) }
        let start = count
        append(UInt8(ascii: "["))
        append(endpoint.address)
        append("]:")
        append(decimal: UInt64(endpoint.port))
        if width > 0 { pad(from: start, to: width) }
    }
}
