/// Keeps label cardinality bounded: the virtual services with the most entries keep their own
/// label, the rest are summed into `virtual="other"`.
public enum MetricsLabels {
    static let other = "other"
    /// What `--max-virtual` defaults to: per namespace.
    public static let defaultMaxVirtual = 50

    /// The `limit` names with the largest counts (ties by name), never "other" itself.
    static func kept(_ counts: [String: Int], limit: Int) -> Set<String> {
        let ranked = counts.filter { $0.key != other }.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        return Set(ranked.prefix(max(limit, 0)).map(\.key))
    }
}
