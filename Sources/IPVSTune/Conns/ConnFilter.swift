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
        entry.withRow { matches(&$0) }
    }

    @inline(__always)
    func matches(_ row: inout ConnRow) -> Bool {
        if let templates, row.isTemplate != templates { return false }
        if let limit = expiringWithin {
            guard !row.isExpiryWrapped, row.expires <= limit else { return false }
        }
        if !states.isEmpty && !states.contains(where: { ConnFilter.sameIgnoringCase(row.state, $0) }) { return false }
        if !protocols.isEmpty && !protocols.contains(where: { ConnFilter.sameIgnoringCase(row.proto, $0) }) { return false }
        if !clients.isEmpty && !clients.contains(where: { $0.contains(row.client.address) }) { return false }
        return endpointsMatch(&row)
    }

    private func endpointsMatch(_ row: inout ConnRow) -> Bool {
        if !virtuals.isEmpty {
            let mark = row.firewallMark
            guard virtuals.contains(where: { $0.matches(row.virtual, mark: mark) }) else { return false }
        }
        if !dests.isEmpty {
            guard dests.contains(where: { $0.matches(row.dest, mark: nil) }) else { return false }
        }
        return true
    }

    /// ASCII case folding of a name's UTF-8 bytes against an already upper-case `upper`:
    /// kernel names are ASCII, and this costs no allocation per entry.
    static func sameIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ upper: String) -> Bool {
        var upper = upper
        return upper.withUTF8 { upper in
            guard bytes.count == upper.count else { return false }
            for (a, b) in zip(bytes, upper) {
                let folded = a >= 97 && a <= 122 ? a - 32 : a
                if folded != b { return false }
            }
            return true
        }
    }

    static func sameIgnoringCase(_ text: String, _ upper: String) -> Bool {
        var text = text
        return text.withUTF8 { sameIgnoringCase($0, upper) }
    }
}
