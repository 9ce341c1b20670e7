/// Orders for `conns --sort`. Sorting needs the whole (filtered) table in memory, unlike
/// every other `conns` mode.
public enum ConnSortKey: String, CaseIterable, Sendable {
    /// Soonest to expire first (wrapped timers, being huge numbers, last); then by client.
    case expire
    /// By client address (IPv4 before IPv6), then port; then soonest to expire.
    case client
    /// By state name, then soonest to expire.
    case state

    /// A stable sort: entries equal under the key keep the kernel's order.
    func sorted(_ entries: [ConnEntry]) -> [ConnEntry] {
        order(entries).map { entries[$0] }
    }

    /// The indices of `entries` in sorted order; ties in the key go by index.
    func order(_ entries: [ConnEntry]) -> [Int] {
        let less: (ConnEntry, ConnEntry) -> Bool = switch self {
        case .expire: { ($0.expires, $0.client) < ($1.expires, $1.client) }
        case .client: { ($0.client, $0.expires) < ($1.client, $1.expires) }
        case .state: { ($0.state, $0.expires) < ($1.state, $1.expires) }
        }
        var order = Array(entries.indices)
        order.sort { a, b in less(entries[a], entries[b]) || (!less(entries[b], entries[a]) && a < b) }
        return order
    }
}
