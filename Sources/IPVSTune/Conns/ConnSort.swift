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
    public func sorted(_ entries: [ConnEntry]) -> [ConnEntry] {
        order(entries).map { entries[$0] }
    }

    /// The indices of `entries` in sorted order. Sorting indices over small extracted keys
    /// keeps a second copy of a big table out of memory and avoids moving whole entries.
    public func order(_ entries: [ConnEntry]) -> [Int] {
        switch self {
        case .expire: ConnSortKey.order(entries.map { ($0.expires, $0.client) }, by: <)
        case .client: ConnSortKey.order(entries.map { ($0.client, $0.expires) }, by: <)
        case .state: ConnSortKey.order(entries.map { ($0.state, $0.expires) }, by: <)
        }
    }

    private static func order<Key>(_ keys: [Key], by less: (Key, Key) -> Bool) -> [Int] {
        keys.withUnsafeBufferPointer { keys in
            Array(keys.indices).sorted { a, b in
                if less(keys[a], keys[b]) { return true }
                if less(keys[b], keys[a]) { return false }
                return a < b
            }
        }
    }
}
