/// The client `explain` is asked about: an address, and perhaps one of its ports.
public struct ExplainClient: Equatable, Sendable, CustomStringConvertible {
    var address: IPAddress
    var port: UInt16?

    /// `10.1.0.7`, `10.1.0.7:5000`, `2001:db8::7` or `[2001:db8::7]:5000`.
    public init(parsing text: String) throws(Failure) {
        let malformed = Failure("'\(text)' is not a client address: give ADDRESS, ADDRESS:PORT or [IPV6]:PORT, such as 10.1.0.7", status: .usage)
        guard !text.lowercased().hasPrefix("fwmark:") else { throw malformed }
        let pattern: ConnEndpointPattern
        do {
            pattern = try ConnFilter.parseEndpoint(text, option: "explain")
        } catch {
            throw malformed
        }
        guard case .address(let address) = pattern.target else { throw malformed }
        self.address = address
        port = pattern.port
    }

    init(_ address: IPAddress, port: UInt16? = nil) {
        self.address = address
        self.port = port
    }

    public var description: String {
        guard let port else { return address.description }
        return Endpoint(address, port).description
    }
}

/// How long a state lives without packets, and which timeout sets it (ip_vs_proto_tcp.c).
struct StateTimeout: Equatable, Sendable {
    var seconds: UInt32
    /// The timeout `set` changes, nil for the kernel's fixed ones.
    var name: TimeoutName?

    enum Phase: Equatable, Sendable { case idle, opening, closing, unsettled }
    var phase: Phase

    static func of(proto: String, state: String, _ timeouts: Timeouts) -> StateTimeout? {
        switch (proto, state) {
        case ("TCP", "ESTABLISHED"): StateTimeout(seconds: timeouts.tcp, name: .tcp, phase: .idle)
        case ("TCP", "FIN_WAIT"): StateTimeout(seconds: timeouts.tcpfin, name: .tcpfin, phase: .closing)
        case ("UDP", "UDP"): StateTimeout(seconds: timeouts.udp, name: .udp, phase: .idle)
        case ("TCP", "SYN_SENT"), ("TCP", "LISTEN"), ("TCP", "SYNACK"): StateTimeout(seconds: 120, phase: .opening)
        case ("TCP", "SYN_RECV"): StateTimeout(seconds: 60, phase: .opening)
        case ("TCP", "TIME_WAIT"): StateTimeout(seconds: 120, phase: .closing)
        case ("TCP", "CLOSE"): StateTimeout(seconds: 10, phase: .closing)
        case ("TCP", "CLOSE_WAIT"): StateTimeout(seconds: 60, phase: .closing)
        case ("TCP", "LAST_ACK"): StateTimeout(seconds: 30, phase: .closing)
        case ("TCP", "NONE"): StateTimeout(seconds: 2, phase: .unsettled)
        default: nil
        }
    }
}

/// One connection of the client, as explain tells it.
struct ExplainedConnection: Equatable, Sendable {
    var entry: ConnEntry
    /// Seconds since its last packet; nil when that cannot be known.
    var idle: UInt64?
    /// What happens to it, in an operator's words; nil for states whose timeout is unknown.
    var verdict: String?
}

/// One persistence template covering the client.
struct ExplainedTemplate: Equatable, Sendable {
    var entry: ConnEntry
    /// The service's persistence timeout; nil when the service is gone (templates outlive it).
    var persistence: UInt32?
}

/// Everything IPVS holds for one client in one namespace, and when it will let go: a pure
/// function of the table's entries, the services, the timeouts and the time.
public struct ClientStory: Equatable, Sendable {
    var client: ExplainClient
    var netns: String
    var timeouts: Timeouts
    var templates: [ExplainedTemplate] = []
    var connections: [ExplainedConnection] = []
    /// The doctor's tcp-keepalive finding, when a connection has been idle more than half the tcp timeout.
    var advice: DoctorFinding?

    public var isEmpty: Bool { templates.isEmpty && connections.isEmpty }

    /// - Parameters:
    ///   - entries: the entries read from the table; those not about the client are skipped.
    ///   - now: seconds since the epoch.
    ///   - changes: when ipvstune last changed each timeout of this namespace.
    ///   - keepalive: this namespace's TCP keepalive settings, for the advice.
    static func build(client: ExplainClient, target: NamespaceTarget, entries: some Sequence<ConnEntry>,
                      services: [VirtualService], timeouts: Timeouts, now: Int64,
                      changes: [TimeoutName: Int64] = [:], keepalive: TCPKeepalive? = .kernelDefaults,
                      context: DoctorContext = DoctorContext()) -> ClientStory {
        let matcher = ClientMatcher(client, services: services)
        var story = ClientStory(client: client, netns: target.label, timeouts: timeouts)
        for entry in entries where matcher.covers(entry) {
            if entry.isTemplate {
                story.templates.append(ExplainedTemplate(entry: entry, persistence: matcher.persistence[entry.virtualAddress]))
            } else {
                story.connections.append(explain(entry, timeouts: timeouts, now: now, changes: changes))
            }
        }
        let halfTCP = UInt64(timeouts.tcp) / 2
        if story.connections.contains(where: { $0.entry.proto == "TCP" && $0.entry.state == "ESTABLISHED" && ($0.idle ?? 0) > halfTCP }) {
            var observed = NamespaceObservation(target: target, timeouts: timeouts, keepalive: keepalive)
            if keepalive == nil { observed.keepaliveProblem = "cannot read the TCP keepalive time" }
            story.advice = TimeoutChecks.tcpKeepalive(observed, context)
        }
        return story
    }

    /// Idle time and verdict of one connection.
    static func explain(_ entry: ConnEntry, timeouts: Timeouts, now: Int64, changes: [TimeoutName: Int64]) -> ExplainedConnection {
        guard let state = StateTimeout.of(proto: entry.proto, state: entry.state, timeouts), let expires = entry.expiresIn else {
            return ExplainedConnection(entry: entry, idle: nil, verdict: nil)
        }
        let timeout = UInt64(state.seconds)
        let left = clock(expires)
        guard expires <= timeout else {
            let name = state.name?.rawValue ?? "state"
            return ExplainedConnection(entry: entry, idle: nil,
                verdict: "armed under an earlier, longer \(name) timeout (now \(timeout) s): idle time unknown; \(fate(state, entry, left: left)); a packet before then re-arms it to \(timeout) s")
        }
        let idle = timeout - expires
        // A second of slack: both the expiry and the recorded time are whole seconds.
        if let name = state.name, let changed = changes[name], now - Int64(idle) + 1 < changed {
            return ExplainedConnection(entry: entry, idle: nil,
                verdict: "\(fate(state, entry, left: left)); idle time unknown: the \(name.rawValue) timeout was changed after its last packet may have come")
        }
        return ExplainedConnection(entry: entry, idle: idle, verdict: fate(state, entry, left: left))
    }

    private static func fate(_ state: StateTimeout, _ entry: ConnEntry, left: String) -> String {
        switch state.phase {
        case .idle where entry.proto == "UDP":
            "forgotten in \(left) if it stays idle; its next datagram after that is scheduled anew, perhaps to another real server"
        case .idle:
            "forgotten in \(left) if it stays idle; its next packet after that is answered with a reset"
        case .closing: "closing: removed in \(left)"
        case .opening: "opening: removed in \(left) unless the handshake goes on"
        case .unsettled: "no TCP state yet: removed in \(left) unless a packet settles it"
        }
    }

    /// `0:47`, `12:04`, `2:00:00`.
    static func clock(_ seconds: UInt64) -> String {
        let (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        let mmss = (hours > 0 && minutes < 10 ? "0" : "") + "\(minutes):" + (rest < 10 ? "0" : "") + "\(rest)"
        return hours > 0 ? "\(hours):\(mmss)" : mmss
    }
}

/// Which entries are the client's: connections from its address (and port, when given), and
/// templates holding its address masked by their service's persistence netmask.
struct ClientMatcher {
    var client: ExplainClient
    /// Persistence netmask prefix and timeout of each persistent service.
    var prefix: [VirtualAddress: Int] = [:]
    var persistence: [VirtualAddress: UInt32] = [:]

    init(_ client: ExplainClient, services: [VirtualService]) {
        self.client = client
        for service in services where service.isPersistent {
            prefix[service.virtual] = ClientMatcher.prefix(service)
            persistence[service.virtual] = service.persistenceTimeout
        }
    }

    /// IPv4 netmasks come as the kernel's bytes (network order), IPv6 ones as a prefix length.
    static func prefix(_ service: VirtualService) -> Int {
        let mask = service.persistenceNetmask
        switch service.family {
        case .inet6: return mask == 0 ? 128 : Int(min(mask, 128))
        case .inet: return mask == 0 ? 32 : mask.nonzeroBitCount
        }
    }

    func covers(_ entry: ConnEntry) -> Bool {
        guard entry.isTemplate else {
            return entry.client.address == client.address && (client.port == nil || client.port == entry.client.port)
        }
        // A template of a service gone since is matched by its address alone.
        let bits = prefix[entry.virtualAddress] ?? (client.address.isIPv6 ? 128 : 32)
        return client.address.isIn(entry.client.address, prefix: bits)
    }
}
