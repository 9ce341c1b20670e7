/// The summary as text for people and as one JSON object, from the same values.
extension ConnSummary {
    public var text: String {
        var out = "entries".padded(to: 14) + String(entries).leftPadded(to: 9) + "\n"
        out += "connections".padded(to: 14) + String(connections).leftPadded(to: 9) + "\n"
        out += "templates".padded(to: 14) + String(templates).leftPadded(to: 9)
        out += invalidated > 0 ? "  (\(invalidated) invalidated)\n" : "\n"
        if malformed > 0 { out += "malformed".padded(to: 14) + String(malformed).leftPadded(to: 9) + "  (lines not read)\n" }
        out += "\n" + "STATE".padded(to: 20) + "COUNT".leftPadded(to: 9) + "\n"
        for (state, count) in statesByCount { out += state.padded(to: 20) + String(count).leftPadded(to: 9) + "\n" }
        out += "\n" + "VIRTUAL SERVICE".padded(to: 32) + "CONNECTIONS".leftPadded(to: 12) + "TEMPLATES".leftPadded(to: 11) + "\n"
        for (service, count) in servicesByCount {
            out += service.text.padded(to: 32) + String(count.connections).leftPadded(to: 12)
                + String(count.templates).leftPadded(to: 11) + "\n"
        }
        out += "\n" + "EXPIRES IN".padded(to: 20) + "COUNT".leftPadded(to: 9) + "\n"
        for (label, count) in expiryCounts { out += label.padded(to: 20) + String(count).leftPadded(to: 9) + "\n" }
        return out
    }

    /// Bucket labels and counts, the wrapped bucket last.
    var expiryCounts: [(label: String, count: Int)] {
        ConnSummary.buckets.enumerated().map { ($0.element.label, expiry[$0.offset]) }
            + [("wrapped", expiry[ConnSummary.buckets.count])]
    }

    /// `expires` keys: `le_60` counts entries expiring within 60 s, `le_900` those within
    /// 61-900 s, and so on; `later` is over 2 h, `wrapped` a wrapped timer.
    public var json: JSON {
        let buckets = ConnSummary.buckets.enumerated().map { ($0.element.key, JSON.int(Int64(expiry[$0.offset]))) }
        return .object([
            ("entries", .int(Int64(entries))),
            ("connections", .int(Int64(connections))),
            ("templates", .int(Int64(templates))),
            ("invalidated", .int(Int64(invalidated))),
            ("malformed", .int(Int64(malformed))),
            ("states", .object(statesByCount.map { ($0.state, .int(Int64($0.count))) })),
            ("services", .array(servicesByCount.map { ConnSummary.json($0.service, $0.count) })),
            ("expires", .object(buckets + [("wrapped", .int(Int64(expiry[ConnSummary.buckets.count])))])),
        ])
    }

    private static func json(_ service: Service, _ count: ServiceCount) -> JSON {
        .object([
            ("proto", .string(service.proto)),
            ("virtual", .string(service.firewallMark.map { "fwmark:\($0)" } ?? service.virtual.description)),
            ("connections", .int(Int64(count.connections))),
            ("templates", .int(Int64(count.templates))),
        ])
    }
}
