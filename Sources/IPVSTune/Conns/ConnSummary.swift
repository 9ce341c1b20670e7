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
        var counter = ConnSummaryCounter()
        entry.withRow { counter.add(&$0) }
        absorb(counter)
    }

    static func bucket(_ seconds: UInt64) -> Int { ConnSummaryCounter.bucket(seconds) }

    /// Adds what `counter` counted. Names and services go in in the order they were first
    /// seen, as adding entry by entry would have put them: two names that are different
    /// bytes but equal Strings (bad UTF-8 both replaced, or canonically equivalent) share
    /// one key, spelled as the first one seen.
    mutating func absorb(_ counter: ConnSummaryCounter) {
        entries += counter.entries
        templates += counter.templates
        invalidated += counter.invalidated
        for (index, count) in counter.expiry.enumerated() { expiry[index] += count }
        // Each state's and service's first kind comes in the order the rows did, so the
        // summary's dictionaries are filled in the order adding entries would have.
        var stateKeys = ConnIndexTable<ConnNameKey>()
        var stateCounts: [Int] = []
        var serviceKeys = ConnIndexTable<ServiceKey>()
        var serviceCounts: [ServiceCount] = []
        for (index, kind) in counter.kinds.keys.enumerated() {
            let count = counter.counts[index]
            let (state, newState) = stateKeys.index(kind.state)
            if newState { stateCounts.append(count) } else { stateCounts[state] += count }
            let (service, newService) = serviceKeys.index(ServiceKey(proto: kind.proto, virtual: kind.virtual))
            if newService { serviceCounts.append(ServiceCount()) }
            if kind.isTemplate { serviceCounts[service].templates += count } else { serviceCounts[service].connections += count }
        }
        var lastProto: (key: ConnNameKey, text: String)? = nil
        func text(_ key: ConnNameKey) -> String { counter.names.text(key) }
        for (index, state) in stateKeys.keys.enumerated() { states[text(state), default: 0] += stateCounts[index] }
        services.reserveCapacity(services.count + serviceKeys.count)
        for (index, key) in serviceKeys.keys.enumerated() {
            let proto: String
            if let lastProto, lastProto.key == key.proto { proto = lastProto.text } else { proto = text(key.proto) }
            lastProto = (key.proto, proto)
            // As ConnEntry.firewallMark, which keys the service too.
            var mark: UInt32? = nil
            if proto == "IP" {
                switch key.virtual.address {
                case .v4(let value): mark = value
                case .v6(let high, _): mark = UInt32(truncatingIfNeeded: high >> 32)
                }
            }
            let count = serviceCounts[index]
            let service = Service(proto: proto, virtual: key.virtual, firewallMark: mark)
            services[service, default: ServiceCount()].connections += count.connections
            services[service, default: ServiceCount()].templates += count.templates
        }
    }

    /// A service as the counter keeps it, before its protocol is a String.
    private struct ServiceKey: ConnHashable {
        var proto: ConnNameKey
        var virtual: ConnEndpoint

        var hash: Int {
            let kind = ConnRowKind(proto: proto, state: ConnNameKey(first: 0, second: 0, size: 0), virtual: virtual, template: false)
            return kind.hash
        }
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
