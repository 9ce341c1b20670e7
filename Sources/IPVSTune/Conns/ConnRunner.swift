/// What a `conns` run read and wrote, for the exit status and for tests.
public struct ConnRunResult: Equatable, Sendable {
    /// Entries read, before filtering.
    public var entries = 0
    public var matched = 0
    public var malformed = 0
    /// The output was closed early (`| head`): reading stopped there.
    public var outputClosed = false

    /// Malformed lines make the run a data error, after everything readable was shown.
    public var status: ExitStatus { malformed > 0 ? .dataError : .success }
}

/// Runs a `conns` query: reads the table once, streaming, and writes as it goes.
public enum ConnRunner {
    /// Malformed lines reported one by one; the rest are only counted.
    public static let warningLimit = 10

    /// - Parameters:
    ///   - reader: the input; by default `query.path` is opened.
    ///   - write: takes output text; returns false when the output is gone (a closed pipe).
    ///     By default the bytes go straight to standard output, as `Output.write` would.
    ///   - warn: takes one message per problem line, without newline or program name.
    public static func run(_ query: ConnQuery, reader: ConnReader? = nil,
                           write: ((String) -> Bool)? = nil,
                           warn: (String) -> Void = { Output.error($0) }) throws(Failure) -> ConnRunResult {
        try query.validate()
        let input: ConnReader
        if let reader { input = reader } else { input = try ConnSource.open(query.path) }
        let name = query.path == "-" ? "standard input" : query.path
        var run = ConnRun(query: query, output: ConnBufferedOutput(write.map { .text($0) } ?? .descriptor(1)))
        defer { run.output.release() }
        if query.mode == .list && !query.json { run.output.append(ConnTextRow.header) }

        // The loop over lines: everything it changes is a local, so no access is checked at
        // run time, and the common row never leaves the fast parser's bytes.
        //
        // What a row goes through here (`ConnFastParser.kernelLine`, `ConnRun.take`, the
        // writers) is `@_transparent` rather than `@inline(__always)`: the optimizer inlines an
        // `@inline(__always)` function of more than 64 blocks only into a caller of fewer, so
        // these stayed calls, each a call, a return and saved registers per row, which cost
        // most under emulation (qemu TCG). A transparent function is inlined whatever its size;
        // what it calls should be small `@inline(__always)` helpers, since in a caller this
        // large the optimizer leaves other calls, even the standard library's, as they are.
        var at = input.position
        defer { input.position = at }
        var row = ConnRow.unset
        let buffer = input.bytes
        reading: while !run.output.closed {
            // Rows as the kernel prints them, read where they lie, their ends found without a
            // search: when every row is shown as text, as many as follow in one go.
            if let buffer, !at.discarding {
                if run.writesEveryRowAsText {
                    let (next, rows) = run.output.appendKernelRows(buffer, from: at.start, to: at.end)
                    at.start = next
                    at.lineNumber += rows
                    run.result.entries += rows
                    run.result.matched += rows
                    if run.output.closed { break reading }
                } else if let length = ConnFastParser.kernelLine(buffer + at.start, at.end - at.start, into: &row) {
                    at.start += length + 1
                    at.lineNumber += 1
                    run.take(&row)
                    continue
                }
            }
            switch try input.nextLine(&at) {
            case .line(let line):
                switch ConnFastParser.parse(line, into: &row) {
                case .row: run.take(&row)
                case .skip: break
                case .other: run.takeOther(line, number: at.lineNumber, name: name, warn: warn)
                }
            case .overlong:
                run.malformed(input.overlongError(line: at.lineNumber), name: name, warn: warn)
            case .end:
                break reading
            }
        }
        if run.result.malformed > warningLimit {
            warn("\(name): \(run.result.malformed - warningLimit) more malformed lines not shown")
        }
        run.finish()
        run.output.flush()
        run.result.outputClosed = run.output.closed
        return run.result
    }
}

/// What one run has read and keeps, and what each mode does with a matching entry.
struct ConnRun {
    let query: ConnQuery
    var output: ConnBufferedOutput
    var result = ConnRunResult()
    private let filter: ConnFilter
    private let matchesAll: Bool
    private let listing: Bool
    /// Listing every row as text, unsorted: what `ConnBufferedOutput.appendKernelRows` does.
    let writesEveryRowAsText: Bool
    private let format = ConnFormat.shared
    private var kept = ConnKeptRows()
    private var counter = ConnSummaryCounter()

    init(query: ConnQuery, output: ConnBufferedOutput) {
        self.query = query
        self.output = output
        filter = query.filter
        matchesAll = query.filter.isEmpty
        listing = query.mode == .list && query.sort == nil
        writesEveryRowAsText = listing && matchesAll && !query.json
    }

    /// `row` is inout only so that it is passed by address: a copy of it per line costs more
    /// than reading it. It is not changed.
    /// Transparent so that it is inlined into the reading loop whatever its size (see
    /// `ConnRunner.run`).
    @_transparent
    mutating func take(_ row: inout ConnRow) {
        result.entries += 1
        guard matchesAll || filter.matches(&row) else { return }
        result.matched += 1
        if listing { output.append(&row, json: query.json, format); return }
        switch query.mode {
        case .list: kept.add(&row)
        case .count: break
        case .summary: counter.add(&row)
        }
    }

    /// A line the fast parser leaves to `ConnLineParser`: an unusual row, or a malformed one.
    mutating func takeOther(_ line: UnsafeBufferPointer<UInt8>, number: Int, name: String, warn: (String) -> Void) {
        switch ConnLineParser.parse(line, number: number) {
        case .entry(let entry)?: entry.withRow { take(&$0) }
        case .malformed(let error)?: malformed(error, name: name, warn: warn)
        case nil: break
        }
    }

    mutating func malformed(_ error: ConnParseError, name: String, warn: (String) -> Void) {
        result.malformed += 1
        if result.malformed <= ConnRunner.warningLimit { warn("\(name): \(error)") }
    }

    mutating func finish() {
        switch query.mode {
        case .list:
            guard let key = query.sort else { return }
            let kept = self.kept
            let json = query.json
            kept.forEach(in: key.order(kept)) { row in
                output.append(&row, json: json, format)
                return !output.closed
            }
        case .count:
            output.append(query.json ? JSON.object([("count", .int(Int64(result.matched)))]).rendered + "\n" : "\(result.matched)\n")
        case .summary:
            var summary = ConnSummary()
            summary.absorb(counter)
            counter = ConnSummaryCounter()  // its memory goes before the text is made
            summary.malformed = result.malformed
            output.append(query.json ? summary.json.rendered + "\n" : summary.text)
        }
    }
}
