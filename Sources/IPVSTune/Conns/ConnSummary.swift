/// What `conns --summary` shows: counts by state, by virtual service, templates against
/// connections, and how soon entries expire. Memory grows with the number of distinct
/// states and services, never with the number of entries.
public struct ConnSummary: Sendable {
    /// A virtual service: protocol and virtual address and port (or firewall mark).
    public struct Service: Hashable, Sendable {
        public var proto: String
        public var virtual: ConnEndpoint
        public var firewallMark: UInt32?

        public var text: String { "\(proto) " + (firewallMark.map { "fwmark:\($0)" } ?? virtual.description) }
    }

    public struct ServiceCount: Equatable, Sendable {
        public var connections = 0
        public var templates = 0
        public var total: Int { connections + templates }
    }

    /// Each entry falls in exactly one bucket: the first whose limit its expiry does not pass.
    public static let buckets: [(key: String, label: String, limit: UInt64)] = [
        ("le_60", "1 min or less", 60), ("le_900", "1-15 min", 900), ("le_3600", "15 min-1 h", 3600),
        ("le_7200", "1-2 h", 7200), ("later", "over 2 h", ConnEntry.wrappedExpiry),
    ]

    public private(set) var entries = 0
    public private(set) var templates = 0
    public private(set) var invalidated = 0
    public private(set) var states: [String: Int] = [:]
    public private(set) var services: [Service: ServiceCount] = [:]
    /// One count per bucket of `buckets`, then one for wrapped expiries.
    public private(set) var expiry = [Int](repeating: 0, count: ConnSummary.buckets.count + 1)
    /// Lines that could not be read, set by whoever reads them.
    public var malformed = 0

    public init() {}

    public var connections: Int { entries - templates }

    public mutating func add(_ entry: ConnEntry) {
        entries += 1
        if entry.isTemplate { templates += 1 }
        if entry.isInvalidated { invalidated += 1 }
        states[entry.state, default: 0] += 1
        let service = Service(proto: entry.proto, virtual: entry.virtual, firewallMark: entry.firewallMark)
        if entry.isTemplate { services[service, default: ServiceCount()].templates += 1 }
        else { services[service, default: ServiceCount()].connections += 1 }
        expiry[ConnSummary.bucket(entry.expires)] += 1
    }

    static func bucket(_ seconds: UInt64) -> Int {
        buckets.firstIndex { seconds <= $0.limit } ?? buckets.count
    }

    /// States, most frequent first; ties by name so the output is stable.
    public var statesByCount: [(state: String, count: Int)] {
        states.map { (state: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.state < $1.state }
    }

    /// Services with the most entries first; ties by protocol, then address.
    public var servicesByCount: [(service: Service, count: ServiceCount)] {
        services.map { (service: $0.key, count: $0.value) }.sorted { a, b in
            if a.count.total != b.count.total { return a.count.total > b.count.total }
            if a.service.proto != b.service.proto { return a.service.proto < b.service.proto }
            return a.service.virtual < b.service.virtual
        }
    }
}
