/// What a `conns` run read and wrote, for the exit status and for tests.
public struct ConnRunResult: Equatable, Sendable {
    /// Entries read, before filtering.
    var entries = 0
    var matched = 0
    var malformed = 0
    /// The output was closed early (`| head`): reading stopped there.
    var outputClosed = false

    /// Malformed lines make the run a data error, after everything readable was shown.
    public var status: ExitStatus { malformed > 0 ? .dataError : .success }
}

/// Runs a `conns` query: reads the table once, streaming, and writes as it goes.
public enum ConnRunner {
    /// Malformed lines reported one by one; the rest are only counted.
    static let warningLimit = 10

    /// Reads `query.path` and writes to standard output; warnings go to standard error.
    public static func run(_ query: ConnQuery) throws(Failure) -> ConnRunResult {
        try run(query, reader: nil, write: nil)
    }

    /// - Parameters:
    ///   - reader: the input; by default `query.path` is opened.
    ///   - write: takes output text; returns false when the output is gone (a closed pipe).
    ///     By default the bytes go straight to standard output.
    ///   - warn: takes one message per problem line, without newline or program name.
    static func run(_ query: ConnQuery, reader: ConnReader?, write: ((String) -> Bool)?,
                    warn: (String) -> Void = { Output.error($0) }) throws(Failure) -> ConnRunResult {
        try query.validate()
        let input: ConnReader
        if let reader { input = reader } else { input = try ConnSource.open(query.path) }
        let name = query.path == "-" ? "standard input" : query.path
        var run = ConnRun(query: query, write: write)
        if query.mode == .list && !query.json { run.listing.out.append(ConnListing.header) }
        var entry = ConnEntry.empty
        while !run.result.outputClosed, let outcome = try input.next(into: &entry) {
            switch outcome {
            case .entry: run.take(entry)
            case .skip: break
            case .malformed(let error):
                run.result.malformed += 1
                if run.result.malformed <= warningLimit { warn("\(name): \(error)") }
            }
        }
        if run.result.malformed > warningLimit {
            warn("\(name): \(run.result.malformed - warningLimit) more malformed lines not shown")
        }
        run.finish()
        return run.result
    }
}

/// What one run keeps, and what each mode does with a matching entry.
private struct ConnRun {
    let query: ConnQuery
    let write: ((String) -> Bool)?
    private let filter: ConnFilter?
    /// Listing unsorted: each entry is shown as it is read.
    private let streaming: Bool
    var result = ConnRunResult()
    var listing: ConnListing
    private var summary = ConnSummary()
    /// The matching entries, for `--sort` only.
    private var kept: [ConnEntry] = []
    /// Output goes out in writes of about this size, never splitting a row.
    private static let flushSize = 64 * 1024

    init(query: ConnQuery, write: ((String) -> Bool)?) {
        self.query = query
        self.write = write
        filter = query.filter.isEmpty ? nil : query.filter
        streaming = query.mode == .list && query.sort == nil
        listing = ConnListing(json: query.json, capacity: ConnRun.flushSize + 16 * 1024)
    }

    mutating func take(_ entry: ConnEntry) {
        result.entries += 1
        if let filter, !filter.matches(entry) { return }
        result.matched += 1
        if streaming { return show(entry) }
        switch query.mode {
        case .list where query.sort != nil: kept.append(entry)
        case .list: show(entry)
        case .count: break
        case .summary: summary.add(entry)
        }
    }

    private mutating func show(_ entry: ConnEntry) {
        listing.write(entry)
        if listing.out.count >= ConnRun.flushSize { flush() }
    }

    mutating func finish() {
        switch query.mode {
        case .list:
            guard let key = query.sort else { break }
            let kept = self.kept
            self.kept = []
            for index in key.order(kept) where !result.outputClosed { show(kept[index]) }
        case .count:
            listing.out.append(query.json ? "{\"count\":\(result.matched)}\n" : "\(result.matched)\n")
        case .summary:
            summary.malformed = result.malformed
            listing.out.append(query.json ? summary.json.rendered + "\n" : summary.text)
        }
        flush()
    }

    private mutating func flush() {
        guard !result.outputClosed, listing.out.count > 0 else { return }
        if let write {
            result.outputClosed = !write(listing.out.string)
        } else {
            result.outputClosed = !listing.out.write(to: 1)
        }
        listing.out.removeAll()
    }
}
