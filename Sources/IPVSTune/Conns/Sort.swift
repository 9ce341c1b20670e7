/// Orders for `conns --sort`. Sorting needs the whole (filtered) table in memory, unlike
/// every other `conns` mode.
public enum ConnSortKey: String, CaseIterable, Sendable {
    /// Soonest to expire first (wrapped timers, being huge numbers, last); then by client.
    case expire
    /// By client address (IPv4 before IPv6), then port; then soonest to expire.
    case client
    /// By state name, then soonest to expire.
    case state

    /// The indices of `entries` in sorted order. Each entry's key is taken out first, as
    /// plain values ending with the entry's index (which makes the order total, so the sort
    /// stable): comparing them costs no reference counting, unlike comparing entries.
    func order(_ entries: [ConnEntry]) -> [Int] {
        switch self {
        case .expire:
            var keys = entries.enumerated().map { ($0.element.expires, $0.element.client, $0.offset) }
            keys.sort { $0 < $1 }
            return keys.map(\.2)
        case .client:
            var keys = entries.enumerated().map { ($0.element.client, $0.element.expires, $0.offset) }
            keys.sort { $0 < $1 }
            return keys.map(\.2)
        case .state:
            // A state's rank among the states present stands for its name (the kernel's names
            // are ASCII, whose String order is byte order).
            let names = Set(entries.map(\.state)).sorted()
            let ranks = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($0.element, $0.offset) })
            var keys = entries.enumerated().map { (ranks[$0.element.state] ?? 0, $0.element.expires, $0.offset) }
            keys.sort { $0 < $1 }
            return keys.map(\.2)
        }
    }
}
