import Glibc

/// Reads connection-table rows from a file descriptor in large chunks and hands them out
/// one by one, so memory stays the same whatever the size of the table. Malformed lines
/// come out as `.malformed` records and reading goes on.
public final class ConnReader {
    /// Fills the buffer from the source; returns how many bytes it put there, 0 at the end.
    public typealias Fill = (UnsafeMutableRawBufferPointer) throws(Failure) -> Int

    /// Large reads: on 6.1 kernels every read() of /proc/net/ip_vs_conn restarts the walk of
    /// the hash table, so fewer, bigger reads cost the kernel less.
    public static let defaultBufferSize = 256 * 1024

    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private let fill: Fill
    /// Where reading stands; loops over lines work on a copy of it (see `nextLine`).
    var position = ConnReadPosition()
    /// Lines seen so far, the header included: error messages count like an editor does.
    public var lineNumber: Int { position.lineNumber }
    /// A descriptor this reader opened itself and closes when it goes away.
    var ownedDescriptor: Int32 = -1

    public init(bufferSize: Int = ConnReader.defaultBufferSize, fill: @escaping Fill) {
        buffer = .allocate(capacity: max(bufferSize, 64))
        self.fill = fill
    }

    /// Reads `fd` until end of file; `name` appears in read errors. Does not close `fd`.
    public convenience init(fd: Int32, name: String, bufferSize: Int = ConnReader.defaultBufferSize) {
        self.init(bufferSize: bufferSize) { (target) throws(Failure) -> Int in
            try ConnReader.readChunk(fd, into: target, name: name)
        }
    }

    /// Reads bytes held in memory, at most `readSize` at a time (to mimic short reads).
    public convenience init(bytes: [UInt8], readSize: Int = .max, bufferSize: Int = ConnReader.defaultBufferSize) {
        var offset = 0
        self.init(bufferSize: bufferSize) { target in
            let count = min(target.count, readSize, bytes.count - offset)
            guard count > 0 else { return 0 }
            bytes.withUnsafeBytes { source in
                guard let from = source.baseAddress, let to = target.baseAddress else { return }
                to.copyMemory(from: from + offset, byteCount: count)
            }
            offset += count
            return count
        }
    }

    deinit {
        buffer.deallocate()
        if ownedDescriptor >= 0 { close(ownedDescriptor) }
    }

    /// The next entry or malformed line; nil at the end of the input.
    public func next() throws(Failure) -> ConnRecord? {
        var at = position
        defer { position = at }
        while true {
            switch try nextLine(&at) {
            case .line(let line):
                if let record = ConnLineParser.parse(line, number: at.lineNumber) { return record }
            case .overlong:
                return .malformed(overlongError(line: at.lineNumber))
            case .end:
                return nil
            }
        }
    }

    /// Calls `body` with every record until the input ends or `body` returns false.
    public func forEach(_ body: (ConnRecord) throws(Failure) -> Bool) throws(Failure) {
        while let record = try next() {
            guard try body(record) else { return }
        }
    }

    /// The next line (without its newline, its bytes valid until the next call) from
    /// `at`, which the caller keeps in a local and stores back in `position` when done: a
    /// loop over millions of lines then touches no property of this object.
    @inline(__always)
    func nextLine(_ at: inout ConnReadPosition) throws(Failure) -> ConnLineEvent {
        guard let base = buffer.baseAddress else { return .end }
        while true {
            if at.start < at.end, let found = memchr(base + at.start, 10, at.end - at.start) {
                let newline = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                let line = UnsafeBufferPointer(start: base + at.start, count: newline - at.start)
                at.start = newline + 1
                if at.discarding { at.discarding = false; continue }
                at.lineNumber += 1
                return .line(line)
            }
            if at.atEnd {
                // A last line without its newline: the kernel always ends lines, a file may not.
                guard at.start < at.end, !at.discarding else { return .end }
                let line = UnsafeBufferPointer(start: base + at.start, count: at.end - at.start)
                at.start = at.end
                at.lineNumber += 1
                return .line(line)
            }
            if try refill(&at) { return .overlong }
        }
    }

    /// The buffer `ConnReadPosition.start` and `end` index: a loop may read a line there
    /// itself (`ConnFastParser.kernelLine`) instead of asking `nextLine` for it.
    var bytes: UnsafeMutablePointer<UInt8>? { buffer.baseAddress }

    /// What an `.overlong` line numbered `line` is reported as.
    func overlongError(line: Int) -> ConnParseError {
        ConnParseError(line: line, reason: "line longer than \(buffer.count) bytes")
    }

    /// Moves the partial line to the front and reads more after it. A line that fills the
    /// whole buffer is no table row: report it once (true) and drop it up to its newline.
    private func refill(_ at: inout ConnReadPosition) throws(Failure) -> Bool {
        if at.start > 0, let base = buffer.baseAddress {
            memmove(base, base + at.start, at.end - at.start)
            at.end -= at.start
            at.start = 0
        }
        var report = false
        if at.end == buffer.count {
            if !at.discarding {
                at.lineNumber += 1
                report = true
                at.discarding = true
            }
            at.end = 0
        }
        let count = try fill(UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[at.end...])))
        if count <= 0 { at.atEnd = true } else { at.end += min(count, buffer.count - at.end) }
        return report
    }

    private static func readChunk(_ fd: Int32, into target: UnsafeMutableRawBufferPointer, name: String) throws(Failure) -> Int {
        guard let base = target.baseAddress else { return 0 }
        while true {
            let count = read(fd, base, target.count)
            if count >= 0 { return count }
            let code = errno
            if code == EINTR { continue }
            throw Failure("reading \(name): \(Failure.describe(errno: code))", status: .osError, errno: code)
        }
    }
}

/// How far a `ConnReader` has read.
struct ConnReadPosition {
    /// The unread bytes of the buffer.
    var start = 0
    var end = 0
    var atEnd = false
    /// Inside a line longer than the buffer, already reported, whose rest is dropped.
    var discarding = false
    var lineNumber = 0
}

/// What `ConnReader.nextLine` found.
enum ConnLineEvent {
    case line(UnsafeBufferPointer<UInt8>)
    /// A line longer than the buffer, numbered `lineNumber`.
    case overlong
    case end
}
