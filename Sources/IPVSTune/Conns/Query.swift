/// Everything `ipvstune conns` was asked for, checked for combinations that make no sense,
/// and its run: the table read once, streaming, and written as it goes.
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

    /// Malformed lines reported one by one; the rest are only counted.
    static let warningLimit = 10

    public init(path: String = ConnSource.table, filter: ConnFilter = ConnFilter(), mode: Mode = .list,
                json: Bool = false, sort: ConnSortKey? = nil) throws(Failure) {
        if sort != nil && mode != .list {
            throw Failure("--sort orders the listing; it has no meaning with --count or --summary", status: .usage)
        }
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

    /// What a run read and wrote, for the exit status and for tests.
    public struct Result: Equatable, Sendable {
        /// Entries read, before filtering.
        var entries = 0
        var matched = 0
        var malformed = 0
        /// The output was closed early (`| head`): reading stopped there.
        var outputClosed = false

        /// Malformed lines make the run a data error, after everything readable was shown.
        public var status: ExitStatus { malformed > 0 ? .dataError : .success }
    }

    /// Reads `path` and writes to standard output; warnings go to standard error.
    public func run() throws(Failure) -> Result {
        try run(reader: ConnSource.open(path), write: nil)
    }

    /// - Parameters:
    ///   - write: takes output text; returns false when the output is gone (a closed pipe).
    ///     By default the bytes go straight to standard output.
    ///   - warn: takes one message per problem line, without newline or program name.
    func run(reader: ConnReader, write: ((String) -> Bool)?, warn: (String) -> Void = { Output.error($0) }) throws(Failure) -> Result {
        let name = path == "-" ? "standard input" : path
        var run = Run(query: self, write: write)
        if mode == .list && !json { run.printer.out.append(Printer.listingHeader) }
        try reader.forEachEntry({ run.take($0) }, onMalformed: { error in
            run.result.malformed += 1
            if run.result.malformed <= ConnQuery.warningLimit { warn("\(name): \(error)") }
        })
        if run.result.malformed > ConnQuery.warningLimit {
            warn("\(name): \(run.result.malformed - ConnQuery.warningLimit) more malformed lines not shown")
        }
        run.finish()
        return run.result
    }

    /// What one run keeps, and what each mode does with a matching entry.
    private struct Run {
        let query: ConnQuery
        let write: ((String) -> Bool)?
        private let filter: ConnFilter?
        var result = Result()
        var printer: Printer
        private var counts = TableCount()
        /// The matching entries, for `--sort` only.
        private var kept: [ConnEntry] = []
        /// Output goes out in writes of about this size, never splitting a row.
        private static let flushSize = 64 * 1024

        init(query: ConnQuery, write: ((String) -> Bool)?) {
            self.query = query
            self.write = write
            filter = query.filter.isEmpty ? nil : query.filter
            printer = Printer(OutputFormat(json: query.json), capacity: Run.flushSize + 16 * 1024)
        }

        /// False once the output is gone: reading stops.
        mutating func take(_ entry: ConnEntry) -> Bool {
            result.entries += 1
            if let filter, !filter.matches(entry) { return true }
            result.matched += 1
            switch query.mode {
            case .list where query.sort != nil: kept.append(entry)
            case .list: show(entry)
            case .count: break
            case .summary: counts.add(entry)
            }
            return !result.outputClosed
        }

        private mutating func show(_ entry: ConnEntry) {
            printer.entry(entry)
            if printer.out.count >= Run.flushSize { flush() }
        }

        mutating func finish() {
            switch query.mode {
            case .list:
                guard let key = query.sort else { break }
                let kept = self.kept
                self.kept = []
                for index in key.order(kept) where !result.outputClosed { show(kept[index]) }
            case .count:
                let count = result.matched
                printer.record { printer in printer.field("count", .number(count), text: "\(count)\n") }
            case .summary:
                counts.malformed = result.malformed
                printer.record { printer in counts.summary.print(to: &printer) }
            }
            flush()
        }

        private mutating func flush() {
            guard !result.outputClosed, printer.out.count > 0 else { return }
            if let write {
                result.outputClosed = !write(printer.out.string)
            } else {
                result.outputClosed = !printer.out.write(to: 1)
            }
            printer.out.removeAll()
        }
    }
}
