/// An address and port as one row of /proc/net/ip_vs_conn shows them.
public struct ConnEndpoint: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var address: ConnAddress
    public var port: UInt16

    public init(_ address: ConnAddress, _ port: UInt16) {
        self.address = address
        self.port = port
    }

    /// `1.2.3.4:80` or `[2001:db8::1]:80`.
    public var description: String { address.withPort(port) }

    public static func < (lhs: ConnEndpoint, rhs: ConnEndpoint) -> Bool {
        (lhs.address, lhs.port) < (rhs.address, rhs.port)
    }
}

/// Where an entry of /proc/net/ip_vs_conn_sync came from: made here, or by the sync daemon.
public enum ConnOrigin: String, Sendable {
    case local = "LOCAL"
    case sync = "SYNC"
}

/// One entry of the IPVS connection table: a connection or a persistence template.
///
/// The kernel prints no template flag, so `isTemplate` is inferred from the client port 0
/// that every template has. A passive-FTP data entry still waiting for its first packet
/// (IP_VS_CONN_F_NO_CPORT) also has client port 0 and is counted as a template too.
public struct ConnEntry: Equatable, Sendable {
    /// The kernel's protocol name: TCP, UDP, SCTP, IP (firewall-mark templates), ICMP,
    /// ICMPv6, or IP_<number> (AH is IP_51, ESP IP_50).
    public var proto: String
    public var client: ConnEndpoint
    /// For a firewall-mark template the address holds the mark: see `firewallMark`.
    public var virtual: ConnEndpoint
    public var dest: ConnEndpoint
    /// The kernel's state name, kept as printed: ESTABLISHED, UDP, NONE, ASSURED, ERR!...
    public var state: String
    /// Remaining seconds as printed; see `isExpiryWrapped`.
    public var expires: UInt64
    /// Persistence engine (`sip`) and its data (the Call-ID), templates only.
    public var peName: String?
    public var peData: String?
    /// Only in /proc/net/ip_vs_conn_sync.
    public var origin: ConnOrigin?

    public init(proto: String, client: ConnEndpoint, virtual: ConnEndpoint, dest: ConnEndpoint,
                state: String, expires: UInt64, peName: String? = nil, peData: String? = nil,
                origin: ConnOrigin? = nil) {
        self.proto = proto
        self.client = client
        self.virtual = virtual
        self.dest = dest
        self.state = state
        self.expires = expires
        self.peName = peName
        self.peData = peData
        self.origin = origin
    }

    /// Above this many seconds the expiry is not a countdown but a wrapped negative
    /// (a timer already due): no timeout the kernel accepts comes near 2^31 seconds.
    public static let wrappedExpiry: UInt64 = 1 << 31

    public var isExpiryWrapped: Bool { expires > ConnEntry.wrappedExpiry }

    /// The remaining seconds, or nil when the kernel printed a wrapped value.
    public var expiresIn: UInt64? { isExpiryWrapped ? nil : expires }

    public var isTemplate: Bool { client.port == 0 }

    /// The kernel invalidates a template whose real server went away by setting its
    /// virtual and destination ports to 0xFFFF; it then only lives out its timer.
    public var isInvalidated: Bool { isTemplate && virtual.port == 0xFFFF && dest.port == 0xFFFF }

    /// The firewall mark of a firewall-mark template (protocol IP): the kernel stores the
    /// mark, in network order, in the first 4 bytes of the virtual address.
    public var firewallMark: UInt32? {
        guard proto == "IP" else { return nil }
        switch virtual.address {
        case .v4(let mark): return mark
        case .v6(let high, _): return UInt32(truncatingIfNeeded: high >> 32)
        }
    }

    /// The virtual service as an operator names it: `192.168.1.10:80` or `fwmark:100`.
    public var virtualText: String {
        if let mark = firewallMark { return "fwmark:\(mark)" }
        return virtual.description
    }
}
