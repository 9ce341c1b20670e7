/// Everything `ipvstune conns` was asked for, checked for combinations that make no sense.
public struct ConnQuery: Sendable {
    public enum Mode: Sendable {
        /// One row (text) or one JSON object (--json) per entry.
        case list
        /// The number of matching entries.
        case count
        /// Counts by state, service and expiry.
        case summary
    }

    /// `-` is standard input.
    var path: String
    var filter: ConnFilter
    var mode: Mode
    var json: Bool
    /// Only for `.list`; keeps the matching entries in memory.
    var sort: ConnSortKey?

    public init(path: String = ConnSource.table, filter: ConnFilter = ConnFilter(), mode: Mode = .list,
                json: Bool = false, sort: ConnSortKey? = nil) {
        self.path = path
        self.filter = filter
        self.mode = mode
        self.json = json
        self.sort = sort
    }

    /// Builds the mode from the `--count` and `--summary` flags, which exclude each other.
    public static func mode(count: Bool, summary: Bool) throws(Failure) -> Mode {
        switch (count, summary) {
        case (true, true): throw Failure("--count and --summary exclude each other: give one", status: .usage)
        case (true, false): return .count
        case (false, true): return .summary
        case (false, false): return .list
        }
    }

    public func validate() throws(Failure) {
        if sort != nil && mode != .list {
            throw Failure("--sort orders the listing; it has no meaning with --count or --summary", status: .usage)
        }
    }
}
