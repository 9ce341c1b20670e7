/// A network to match client addresses against: `10.0.0.0/8`, `2001:db8::/32`, or one
/// address (the full prefix).
public struct ConnNetwork: Equatable, Sendable {
    public var address: ConnAddress
    public var prefix: Int

    public init(_ address: ConnAddress, prefix: Int) {
        self.address = address
        self.prefix = prefix
    }

    public func contains(_ candidate: ConnAddress) -> Bool { candidate.isIn(address, prefix: prefix) }
}

/// A virtual service or real server to match: an address or a firewall mark, and
/// optionally a port.
public struct ConnEndpointPattern: Equatable, Sendable {
    public enum Target: Equatable, Sendable {
        case address(ConnAddress)
        /// Matches firewall-mark templates, whose virtual address column holds the mark.
        case firewallMark(UInt32)
    }

    public var target: Target
    public var port: UInt16?

    public init(_ target: Target, port: UInt16? = nil) {
        self.target = target
        self.port = port
    }

    func matches(_ endpoint: ConnEndpoint, mark: UInt32?) -> Bool {
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
    public var states: [String] = []
    /// The kernel's protocol names, upper case (TCP, UDP, SCTP, IP, IP_50...).
    public var protocols: [String] = []
    public var clients: [ConnNetwork] = []
    public var virtuals: [ConnEndpointPattern] = []
    public var dests: [ConnEndpointPattern] = []
    /// true: templates only; false: connections only; nil: both.
    public var templates: Bool? = nil
    /// Only entries whose remaining time is at most this many seconds (never wrapped ones).
    public var expiringWithin: UInt64? = nil

    public init() {}

    public var isEmpty: Bool { self == ConnFilter() }

    public func matches(_ entry: ConnEntry) -> Bool {
        if let templates, entry.isTemplate != templates { return false }
        if let limit = expiringWithin {
            guard let remaining = entry.expiresIn, remaining <= limit else { return false }
        }
        if !states.isEmpty && !states.contains(where: { ConnFilter.sameIgnoringCase(entry.state, $0) }) { return false }
        if !protocols.isEmpty && !protocols.contains(where: { ConnFilter.sameIgnoringCase(entry.proto, $0) }) { return false }
        if !clients.isEmpty && !clients.contains(where: { $0.contains(entry.client.address) }) { return false }
        return endpointsMatch(entry)
    }

    private func endpointsMatch(_ entry: ConnEntry) -> Bool {
        if !virtuals.isEmpty {
            let mark = entry.firewallMark
            guard virtuals.contains(where: { $0.matches(entry.virtual, mark: mark) }) else { return false }
        }
        if !dests.isEmpty {
            guard dests.contains(where: { $0.matches(entry.dest, mark: nil) }) else { return false }
        }
        return true
    }

    /// ASCII case folding of `text` against an already upper-case `upper`: kernel names are
    /// ASCII, and this costs no allocation per entry.
    static func sameIgnoringCase(_ text: String, _ upper: String) -> Bool {
        var left = text.utf8.makeIterator()
        var right = upper.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil): return true
            case (let a?, let b?):
                let folded = a >= 97 && a <= 122 ? a - 32 : a
                if folded != b { return false }
            default: return false
            }
        }
    }
}
