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
    ///   - warn: takes one message per problem line, without newline or program name.
    public static func run(_ query: ConnQuery, reader: ConnReader? = nil,
                           write: @escaping (String) -> Bool = { Output.write($0) },
                           warn: (String) -> Void = { Output.error($0) }) throws(Failure) -> ConnRunResult {
        try query.validate()
        let input: ConnReader
        if let reader { input = reader } else { input = try ConnSource.open(query.path) }
        let name = query.path == "-" ? "standard input" : query.path
        var output = ConnBufferedOutput(write)
        var consumer = ConnConsumer(query: query)
        var result = ConnRunResult()
        if query.mode == .list && !query.json { output.append(ConnTextRow.header) }
        try input.forEach { (record) throws(Failure) -> Bool in
            switch record {
            case .entry(let entry):
                result.entries += 1
                guard consumer.matchesAll || query.filter.matches(entry) else { return true }
                result.matched += 1
                consumer.take(entry, into: &output)
            case .malformed(let error):
                result.malformed += 1
                if result.malformed <= warningLimit { warn("\(name): \(error)") }
            }
            return !output.closed
        }
        if result.malformed > warningLimit {
            warn("\(name): \(result.malformed - warningLimit) more malformed lines not shown")
        }
        consumer.finish(result, into: &output)
        output.flush()
        result.outputClosed = output.closed
        return result
    }
}

/// What each mode does with a matching entry, and at the end.
struct ConnConsumer {
    let query: ConnQuery
    let matchesAll: Bool
    private var kept: [ConnEntry] = []
    private var summary = ConnSummary()

    init(query: ConnQuery) {
        self.query = query
        matchesAll = query.filter.isEmpty
    }

    mutating func take(_ entry: ConnEntry, into output: inout ConnBufferedOutput) {
        switch query.mode {
        case .list where query.sort != nil: kept.append(entry)
        case .list: output.append(entry, json: query.json)
        case .count: break
        case .summary: summary.add(entry)
        }
    }

    mutating func finish(_ result: ConnRunResult, into output: inout ConnBufferedOutput) {
        switch query.mode {
        case .list:
            guard let key = query.sort else { return }
            for index in key.order(kept) where !output.closed { output.append(kept[index], json: query.json) }
        case .count:
            output.append(query.json ? JSON.object([("count", .int(Int64(result.matched)))]).rendered + "\n" : "\(result.matched)\n")
        case .summary:
            summary.malformed = result.malformed
            output.append(query.json ? summary.json.rendered + "\n" : summary.text)
        }
    }
}

/// Collects output into large writes: one write per row would cost a system call each.
struct ConnBufferedOutput {
    private let write: (String) -> Bool
    private var pending = ConnByteWriter(capacity: ConnBufferedOutput.flushSize + 4096)
    private(set) var closed = false
    private static let flushSize = 64 * 1024

    init(_ write: @escaping (String) -> Bool) { self.write = write }

    mutating func append(_ text: String) {
        guard !closed else { return }
        pending.append(text)
        flushIfFull()
    }

    mutating func append(_ entry: ConnEntry, json: Bool) {
        guard !closed else { return }
        if json {
            entry.writeJSON(to: &pending)
            pending.append(byte: 10)
        } else {
            ConnTextRow.write(entry, to: &pending)
        }
        flushIfFull()
    }

    private mutating func flushIfFull() {
        if pending.count >= ConnBufferedOutput.flushSize { flush() }
    }

    mutating func flush() {
        guard !closed, pending.count > 0 else { return }
        closed = !write(pending.string)
        pending.removeAll()
    }
}
