/// A network to match client addresses against: `10.0.0.0/8`, `2001:db8::/32`, or one
/// address (the full prefix).
struct ConnNetwork: Equatable, Sendable {
    var address: IPAddress
    var prefix: Int

    init(_ address: IPAddress, prefix: Int) {
        self.address = address
        self.prefix = prefix
    }

    func contains(_ candidate: IPAddress) -> Bool { candidate.isIn(address, prefix: prefix) }
}

/// A virtual service or real server to match: an address or a firewall mark, and
/// optionally a port.
struct ConnEndpointPattern: Equatable, Sendable {
    enum Target: Equatable, Sendable {
        case address(IPAddress)
        /// Matches firewall-mark templates, whose virtual address column holds the mark.
        case firewallMark(UInt32)
    }

    var target: Target
    var port: UInt16?

    init(_ target: Target, port: UInt16? = nil) {
        self.target = target
        self.port = port
    }

    func matches(_ endpoint: Endpoint, mark: UInt32?) -> Bool {
        if let port, port != endpoint.port { return false }
        switch target {
        case .address(let address): return mark == nil && endpoint.address == address
        case .firewallMark(let wanted): return mark == wanted
        }
    }
}

/// Which entries `conns` shows. Every condition given must hold; within one condition
/// (several states, several clients) any value may match. An empty filter matches all.
public struct ConnFilter: Equatable, Sendable {
    /// Upper case; compared without regard to case.
    var states: [String] = []
    /// The kernel's protocol names, upper case (TCP, UDP, SCTP, IP, IP_50...).
    var protocols: [String] = []
    var clients: [ConnNetwork] = []
    var virtuals: [ConnEndpointPattern] = []
    var dests: [ConnEndpointPattern] = []
    /// true: templates only; false: connections only; nil: both.
    var templates: Bool? = nil
    /// Only entries whose remaining time is at most this many seconds (never wrapped ones).
    var expiringWithin: UInt64? = nil

    public init() {}

    var isEmpty: Bool {
        states.isEmpty && protocols.isEmpty && clients.isEmpty && virtuals.isEmpty && dests.isEmpty && templates == nil
            && expiringWithin == nil
    }

    func matches(_ entry: ConnEntry) -> Bool {
        if isEmpty { return true }
        if let templates, entry.isTemplate != templates { return false }
        if let limit = expiringWithin {
            guard !entry.isExpiryWrapped, entry.expires <= limit else { return false }
        }
        if !states.isEmpty && !states.contains(where: { ConnFilter.sameIgnoringCase(entry.state, $0) }) { return false }
        if !protocols.isEmpty && !protocols.contains(where: { ConnFilter.sameIgnoringCase(entry.proto, $0) }) { return false }
        if !clients.isEmpty && !clients.contains(where: { $0.contains(entry.client.address) }) { return false }
        if !virtuals.isEmpty {
            let mark = entry.firewallMark
            guard virtuals.contains(where: { $0.matches(entry.virtual, mark: mark) }) else { return false }
        }
        return dests.isEmpty || dests.contains(where: { $0.matches(entry.dest, mark: nil) })
    }

    /// ASCII case folding of a name against an already upper-case `upper`: kernel names are
    /// ASCII, and this makes no String per entry.
    static func sameIgnoringCase(_ text: String, _ upper: String) -> Bool {
        text.utf8.count == upper.utf8.count
            && text.utf8.elementsEqual(upper.utf8) { ($0 >= 97 && $0 <= 122 ? $0 - 32 : $0) == $1 }
    }
}
