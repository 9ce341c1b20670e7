/// What `conns --summary` shows: counts by state, by virtual service, templates against
/// connections, and how soon entries expire; as text for people and as one JSON object,
/// both from the same values. Memory grows with the number of distinct states and services,
/// never with the number of entries.
struct ConnSummary {
    /// A virtual service: protocol and virtual address and port (or firewall mark).
    struct Service: Hashable {
        var proto: String
        var virtual: ConnEndpoint
        var firewallMark: UInt32?

        var address: String { firewallMark.map { "fwmark:\($0)" } ?? virtual.description }
        var text: String { "\(proto) \(address)" }
    }

    struct ServiceCount: Equatable {
        var connections = 0
        var templates = 0
        var total: Int { connections + templates }
    }

    /// Each entry falls in exactly one bucket: the first whose limit its expiry does not pass.
    static let buckets: [(key: String, label: String, limit: UInt64)] = [
        ("le_60", "1 min or less", 60), ("le_900", "1-15 min", 900), ("le_3600", "15 min-1 h", 3600),
        ("le_7200", "1-2 h", 7200), ("later", "over 2 h", ConnEntry.wrappedExpiry),
    ]

    private(set) var entries = 0
    private(set) var templates = 0
    private(set) var invalidated = 0
    /// One count per bucket of `buckets`, then one for wrapped expiries.
    private(set) var expiry = [Int](repeating: 0, count: ConnSummary.buckets.count + 1)
    /// Lines that could not be read, set by whoever reads them.
    var malformed = 0
    /// Entries by kind, in the order first seen: one lookup per entry. Keyed by String, so
    /// names that are equal Strings count together, spelled as first seen.
    private var kinds: [Kind: Int] = [:]
    private var kindCounts: [(kind: Kind, count: Int)] = []

    private struct Kind: Hashable {
        var proto: String
        var state: String
        var virtual: ConnEndpoint
        var template: Bool
    }

    var connections: Int { entries - templates }

    mutating func add(_ entry: ConnEntry) {
        entries += 1
        if entry.isTemplate { templates += 1 }
        if entry.isInvalidated { invalidated += 1 }
        expiry[ConnSummary.bucket(entry.expires)] += 1
        let kind = Kind(proto: entry.proto, state: entry.state, virtual: entry.virtual, template: entry.isTemplate)
        if let index = kinds[kind] {
            kindCounts[index].count += 1
        } else {
            kinds[kind] = kindCounts.count
            kindCounts.append((kind, 1))
        }
    }

    /// Counts by state.
    var states: [String: Int] {
        var states: [String: Int] = [:]
        for (kind, count) in kindCounts { states[kind.state, default: 0] += count }
        return states
    }

    /// Counts by virtual service.
    var services: [Service: ServiceCount] {
        var services: [Service: ServiceCount] = [:]
        for (kind, count) in kindCounts {
            let mark = ConnEntry.firewallMark(proto: ConnName(kind.proto), virtual: kind.virtual.address)
            let service = Service(proto: kind.proto, virtual: kind.virtual, firewallMark: mark)
            if kind.template { services[service, default: ServiceCount()].templates += count } else {
                services[service, default: ServiceCount()].connections += count
            }
        }
        return services
    }

    /// The bucket of `buckets` an expiry falls in; the last index for a wrapped one.
    static func bucket(_ seconds: UInt64) -> Int {
        buckets.firstIndex { seconds <= $0.limit } ?? buckets.count
    }

    /// States, most frequent first; ties by name so the output is stable.
    var statesByCount: [(state: String, count: Int)] {
        states.map { (state: $0.key, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.state < $1.state }
    }

    /// Services with the most entries first; ties by protocol, then address.
    var servicesByCount: [(service: Service, count: ServiceCount)] {
        services.map { (service: $0.key, count: $0.value) }.sorted { a, b in
            if a.count.total != b.count.total { return a.count.total > b.count.total }
            if a.service.proto != b.service.proto { return a.service.proto < b.service.proto }
            return a.service.virtual < b.service.virtual
        }
    }

    /// Bucket keys, labels and counts, the wrapped bucket last.
    private var expiryCounts: [(key: String, label: String, count: Int)] {
        ConnSummary.buckets.enumerated().map { ($0.element.key, $0.element.label, expiry[$0.offset]) }
            + [("wrapped", "wrapped", expiry[ConnSummary.buckets.count])]
    }

    var text: String {
        func line(_ label: String, _ width: Int, _ values: [(Int, Int)], _ note: String = "") -> String {
            label.padded(to: width) + values.map { String($0.0).leftPadded(to: $0.1) }.joined() + note + "\n"
        }
        var out = line("entries", 14, [(entries, 9)]) + line("connections", 14, [(connections, 9)])
        out += line("templates", 14, [(templates, 9)], invalidated > 0 ? "  (\(invalidated) invalidated)" : "")
        if malformed > 0 { out += line("malformed", 14, [(malformed, 9)], "  (lines not read)") }
        out += "\n" + "STATE".padded(to: 20) + "COUNT".leftPadded(to: 9) + "\n"
        for (state, count) in statesByCount { out += line(state, 20, [(count, 9)]) }
        out += "\n" + "VIRTUAL SERVICE".padded(to: 32) + "CONNECTIONS".leftPadded(to: 12) + "TEMPLATES".leftPadded(to: 11) + "\n"
        for (service, count) in servicesByCount { out += line(service.text, 32, [(count.connections, 12), (count.templates, 11)]) }
        out += "\n" + "EXPIRES IN".padded(to: 20) + "COUNT".leftPadded(to: 9) + "\n"
        for bucket in expiryCounts { out += line(bucket.label, 20, [(bucket.count, 9)]) }
        return out
    }

    /// `expires` keys: `le_60` counts entries expiring within 60 s, `le_900` those within
    /// 61-900 s, and so on; `later` is over 2 h, `wrapped` a wrapped timer.
    var json: JSON {
        .object([
            ("entries", .int(Int64(entries))),
            ("connections", .int(Int64(connections))),
            ("templates", .int(Int64(templates))),
            ("invalidated", .int(Int64(invalidated))),
            ("malformed", .int(Int64(malformed))),
            ("states", .object(statesByCount.map { ($0.state, .int(Int64($0.count))) })),
            ("services", .array(servicesByCount.map { service, count in
                .object([("proto", .string(service.proto)), ("virtual", .string(service.address)),
                         ("connections", .int(Int64(count.connections))), ("templates", .int(Int64(count.templates)))])
            })),
            ("expires", .object(expiryCounts.map { ($0.key, .int(Int64($0.count))) })),
        ])
    }
}
