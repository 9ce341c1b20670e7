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

    /// The indices of `entries` in sorted order. Each entry's key is made of plain words
    /// first (a state becomes its rank among the states present), so that sorting a big
    /// table compares integers instead of tuples of Strings and enums; the entry's index
    /// ends every key, which makes the order total and the sort stable.
    public func order(_ entries: [ConnEntry]) -> [Int] {
        var keys: [ConnSortWords] = []
        keys.reserveCapacity(entries.count)
        switch self {
        case .expire:
            for (index, entry) in entries.enumerated() {
                let client = ConnSortWords.words(entry.client)
                keys.append(ConnSortWords(entry.expires, client.0, client.1, client.2, index))
            }
        case .client:
            for (index, entry) in entries.enumerated() {
                let client = ConnSortWords.words(entry.client)
                keys.append(ConnSortWords(client.0, client.1, client.2, entry.expires, index))
            }
        case .state:
            // String order is byte order for ASCII names, which ranks then stand for. Beyond
            // ASCII it is not even consistent with String equality (U+212A KELVIN SIGN equals
            // "K", yet sorts after "K8"): there only the comparisons as first made give the
            // same order, so they are made again.
            guard entries.allSatisfy({ $0.state.utf8.allSatisfy { $0 < 0x80 } }) else {
                return ConnSortKey.order(entries.map { ($0.state, $0.expires) }, by: <)
            }
            var ranks: [String: UInt64] = [:]
            for entry in entries { ranks[entry.state] = 0 }
            for (rank, state) in ranks.keys.sorted().enumerated() { ranks[state] = UInt64(rank) }
            for (index, entry) in entries.enumerated() {
                keys.append(ConnSortWords(ranks[entry.state] ?? 0, entry.expires, 0, 0, index))
            }
        }
        keys.sort()
        return keys.map(\.index)
    }

    /// The same order over the rows `--sort` kept.
    func order(_ kept: ConnKeptRows) -> [Int] {
        var keys: [ConnSortWords] = []
        keys.reserveCapacity(kept.count)
        switch self {
        case .expire:
            for (index, row) in kept.rows.enumerated() {
                let client = ConnSortWords.words(row.client)
                keys.append(ConnSortWords(row.expires, client.0, client.1, client.2, index))
            }
        case .client:
            for (index, row) in kept.rows.enumerated() {
                let client = ConnSortWords.words(row.client)
                keys.append(ConnSortWords(client.0, client.1, client.2, row.expires, index))
            }
        case .state:
            let texts = (0..<kept.names.count).map { kept.name(Int32($0)) }
            guard kept.namesAreASCII else {
                return ConnSortKey.order(kept.rows.map { (texts[Int($0.state)], $0.expires) }, by: <)
            }
            // Distinct ASCII names are distinct Strings, ranked by String order.
            var ranks = [UInt64](repeating: 0, count: texts.count)
            for (rank, number) in texts.indices.sorted(by: { texts[$0] < texts[$1] }).enumerated() { ranks[number] = UInt64(rank) }
            for (index, row) in kept.rows.enumerated() {
                keys.append(ConnSortWords(ranks[Int(row.state)], row.expires, 0, 0, index))
            }
        }
        keys.sort()
        return keys.map(\.index)
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

/// A sort key as four words compared in turn, then the entry's index.
struct ConnSortWords: Comparable {
    var first: UInt64
    var second: UInt64
    var third: UInt64
    var fourth: UInt64
    var index: Int

    init(_ first: UInt64, _ second: UInt64, _ third: UInt64, _ fourth: UInt64, _ index: Int) {
        self.first = first
        self.second = second
        self.third = third
        self.fourth = fourth
        self.index = index
    }

    /// An endpoint in ConnEndpoint's order: IPv4 before IPv6, then the address, then the
    /// port. The family and port share a word (family above the port's 16 bits).
    static func words(_ endpoint: ConnEndpoint) -> (UInt64, UInt64, UInt64) {
        switch endpoint.address {
        case .v4(let value): return (0, UInt64(value), UInt64(endpoint.port))
        case .v6(let high, let low): return (1 << 63 | high >> 1, high << 63 | low >> 1, (low & 1) << 16 | UInt64(endpoint.port))
        }
    }

    static func < (a: ConnSortWords, b: ConnSortWords) -> Bool {
        if a.first != b.first { return a.first < b.first }
        if a.second != b.second { return a.second < b.second }
        if a.third != b.third { return a.third < b.third }
        if a.fourth != b.fourth { return a.fourth < b.fourth }
        return a.index < b.index
    }
}
