/// Where an entry of /proc/net/ip_vs_conn_sync came from: made here, or by the sync daemon.
enum ConnOrigin: String, Sendable {
    case local = "LOCAL"
    case sync = "SYNC"
}

/// One entry of the IPVS connection table: a connection or a persistence template.
///
/// The kernel prints no template flag, so `isTemplate` is inferred from the client port 0
/// that every template has. A passive-FTP data entry still waiting for its first packet
/// (IP_VS_CONN_F_NO_CPORT) also has client port 0 and is counted as a template too.
struct ConnEntry: Equatable, Sendable {
    /// The kernel's protocol name: TCP, UDP, SCTP, IP (firewall-mark templates), ICMP,
    /// ICMPv6, or IP_<number> (AH is IP_51, ESP IP_50).
    var protoName: ConnName
    var client: Endpoint
    /// For a firewall-mark template the address holds the mark: see `firewallMark`.
    var virtual: Endpoint
    var dest: Endpoint
    /// The kernel's state name, kept as printed: ESTABLISHED, UDP, NONE, ASSURED, ERR!...
    var stateName: ConnName
    /// Remaining seconds as printed; see `isExpiryWrapped`.
    var expires: UInt64
    /// Persistence engine (`sip`) and its data (the Call-ID), templates only.
    var peName: String? = nil
    var peData: String? = nil
    /// Only in /proc/net/ip_vs_conn_sync.
    var origin: ConnOrigin? = nil

    var proto: String { protoName.text }
    var state: String { stateName.text }

    static func == (lhs: ConnEntry, rhs: ConnEntry) -> Bool {
        lhs.proto == rhs.proto && lhs.state == rhs.state && (lhs.client, lhs.virtual, lhs.dest) == (rhs.client, rhs.virtual, rhs.dest)
            && (lhs.expires, lhs.peName, lhs.peData, lhs.origin) == (rhs.expires, rhs.peName, rhs.peData, rhs.origin)
    }

    /// A blank entry for a parser to fill.
    static let empty = ConnEntry(protoName: .empty, client: Endpoint(.v4(0), 0), virtual: Endpoint(.v4(0), 0),
                                 dest: Endpoint(.v4(0), 0), stateName: .empty, expires: 0)

    /// Above this many seconds the expiry is not a countdown but a wrapped negative
    /// (a timer already due): no timeout the kernel accepts comes near 2^31 seconds.
    static let wrappedExpiry: UInt64 = 1 << 31

    var isExpiryWrapped: Bool { expires > ConnEntry.wrappedExpiry }

    /// The remaining seconds, or nil when the kernel printed a wrapped value.
    var expiresIn: UInt64? { isExpiryWrapped ? nil : expires }

    var isTemplate: Bool { client.port == 0 }

    /// The kernel invalidates a template whose real server went away by setting its
    /// virtual and destination ports to 0xFFFF; it then only lives out its timer.
    var isInvalidated: Bool { isTemplate && virtual.port == 0xFFFF && dest.port == 0xFFFF }

    /// The firewall mark of a firewall-mark template (protocol IP): the kernel stores the
    /// mark, in network order, in the first 4 bytes of the virtual address.
    var firewallMark: UInt32? { ConnEntry.firewallMark(proto: protoName, virtual: virtual.address) }

    static func firewallMark(proto: ConnName, virtual: IPAddress) -> UInt32? {
        guard proto == .ip else { return nil }
        switch virtual {
        case .v4(let mark): return mark
        case .v6(let high, _): return UInt32(truncatingIfNeeded: high >> 32)
        }
    }

    /// The virtual service as an operator names it: `192.168.1.10:80` or `fwmark:100`.
    var virtualAddress: VirtualAddress {
        if let mark = firewallMark { return .firewallMark(mark) }
        return .endpoint(virtual)
    }
}

/// A line of the connection table that could not be read, and why.
struct ConnParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based, counting the header line.
    var line: Int
    var reason: String

    var description: String { "line \(line): \(reason)" }
}
