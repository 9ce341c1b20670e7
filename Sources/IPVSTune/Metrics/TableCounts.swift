/// The connection table of the namespace the calling thread is in, counted while it streams
/// by: entries by virtual service, protocol and state, templates by virtual service and
/// protocol, and ESTABLISHED TCP connections by seconds to expiry. Memory grows with the
/// distinct services and states, never with the entries.
///
/// Every use metrics makes of the conns API (`ConnSource`, `ConnReader`, `ConnEntry`) is in
/// this file, so a new table reader is ported here and nowhere else.
struct TableCounts: Equatable, Sendable {
    struct EntryKey: Hashable, Sendable {
        var virtual: String
        var proto: String
        var state: String
    }

    struct TemplateKey: Hashable, Sendable {
        var virtual: String
        var proto: String
    }

    var entries: [EntryKey: Int] = [:]
    var templates: [TemplateKey: Int] = [:]
    /// ESTABLISHED TCP connections (not templates) by seconds left; a timer already due counts as 0.
    var established = Histogram(bounds: TableCounts.expiryBounds)
    /// Lines that were no table row.
    var malformed = 0

    init() {}

    /// From 1 s to the 2 h of the TCP keepalive time: where idle connections are about to be forgotten.
    static let expiryBounds: [Double] = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200]

    /// Virtual services counted each on its own while reading; entries of any further one go
    /// to `MetricsLabels.other` at once, so a table of a million distinct ones stays small.
    static let virtualLimit = 4096

    /// Reads the whole table once.
    static func read(_ path: String = ConnSource.table) throws(Failure) -> TableCounts {
        let reader = try ConnSource.open(path)
        var counting = Counting()
        var entry = ConnEntry.empty
        while let outcome = try reader.next(into: &entry) {
            switch outcome {
            case .entry: counting.add(entry)
            case .malformed: counting.counts.malformed += 1
            case .skip: break
            }
        }
        return counting.finished()
    }

    /// The counts keyed by what the entry holds (no text per entry); text once per service.
    private struct Counting {
        struct Row: Hashable {
            /// nil: beyond `virtualLimit`.
            var virtual: Service?
            var proto: ConnName
            /// Empty for a template.
            var state: ConnName
            var template: Bool
        }

        struct Service: Hashable {
            var endpoint: ConnEndpoint
            /// A firewall-mark template holds the mark in its address.
            var isMark: Bool
        }

        var counts = TableCounts()
        var rows: [Row: Int] = [:]
        var names: [Service: String] = [:]

        mutating func add(_ entry: ConnEntry) {
            var service: Service? = Service(endpoint: entry.virtual, isMark: entry.firewallMark != nil)
            if let known = service, names[known] == nil {
                if names.count < TableCounts.virtualLimit { names[known] = entry.virtualText } else { service = nil }
            }
            let template = entry.isTemplate
            rows[Row(virtual: service, proto: entry.protoName, state: template ? .empty : entry.stateName, template: template), default: 0] += 1
            if !template && entry.protoName == .tcp && entry.stateName == .established {
                counts.established.observe(Double(entry.expiresIn ?? 0))
            }
        }

        func finished() -> TableCounts {
            var result = counts
            for (row, count) in rows {
                let virtual = row.virtual.flatMap { names[$0] } ?? MetricsLabels.other
                if row.template {
                    result.templates[TemplateKey(virtual: virtual, proto: row.proto.text), default: 0] += count
                } else {
                    result.entries[EntryKey(virtual: virtual, proto: row.proto.text, state: row.state.text), default: 0] += count
                }
            }
            return result
        }
    }
}
