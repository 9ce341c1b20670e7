#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

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
    private var start = 0
    private var end = 0
    private var atEnd = false
    /// Inside a line longer than the buffer, already reported, whose rest is dropped.
    private var discarding = false
    /// Lines seen so far, the header included: error messages count like an editor does.
    public private(set) var lineNumber = 0
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
        while true {
            if let newline = findNewline() {
                let line = UnsafeBufferPointer(rebasing: buffer[start..<newline])
                start = newline + 1
                if discarding { discarding = false; continue }
                lineNumber += 1
                if let record = ConnLineParser.parse(line, number: lineNumber) { return record }
                continue
            }
            if atEnd { return lastLine() }
            if let tooLong = try refill() { return tooLong }
        }
    }

    /// Calls `body` with every record until the input ends or `body` returns false.
    public func forEach(_ body: (ConnRecord) throws(Failure) -> Bool) throws(Failure) {
        while let record = try next() {
            guard try body(record) else { return }
        }
    }

    private func findNewline() -> Int? {
        guard start < end, let base = buffer.baseAddress,
              let found = memchr(base + start, 10, end - start) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// A last line without its newline: the kernel always ends lines, a file may not.
    private func lastLine() -> ConnRecord? {
        guard start < end, !discarding else { return nil }
        let line = UnsafeBufferPointer(rebasing: buffer[start..<end])
        start = end
        lineNumber += 1
        return ConnLineParser.parse(line, number: lineNumber)
    }

    /// Moves the partial line to the front and reads more after it. A line that fills the
    /// whole buffer is no table row: report it once and drop it up to its newline.
    private func refill() throws(Failure) -> ConnRecord? {
        if start > 0, let base = buffer.baseAddress {
            memmove(base, base + start, end - start)
            end -= start
            start = 0
        }
        var report: ConnRecord? = nil
        if end == buffer.count {
            if !discarding {
                lineNumber += 1
                report = .malformed(ConnParseError(line: lineNumber, reason: "line longer than \(buffer.count) bytes"))
                discarding = true
            }
            end = 0
        }
        let count = try fill(UnsafeMutableRawBufferPointer(UnsafeMutableBufferPointer(rebasing: buffer[end...])))
        if count <= 0 { atEnd = true } else { end += min(count, buffer.count - end) }
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
