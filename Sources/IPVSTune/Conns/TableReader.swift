import Glibc

/// Where `conns` reads from: the kernel's table of the current network namespace, its
/// `_sync` twin with the Origin column, a saved copy, or standard input.
public enum ConnSource {
    public static let table = "/proc/net/ip_vs_conn"
    static let syncTable = "/proc/net/ip_vs_conn_sync"

    /// A reader over `path`; `-` is standard input.
    static func open(_ path: String) throws(Failure) -> ConnReader {
        if path == "-" { return ConnReader(fd: 0, name: "standard input") }
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(opening: path, errno: errno) }
        return ConnReader(fd: fd, name: path, owned: true)
    }

    static func failure(opening path: String, errno code: Int32) -> Failure {
        if code == ENOENT && (path == table || path == syncTable) {
            return Failure("\(path) does not exist: IPVS is not loaded in this network namespace (modprobe ip_vs)",
                           status: .unavailable, errno: code)
        }
        if code == ENOENT {
            return Failure("\(path): no such file", status: .noInput, errno: code)
        }
        return Failure("opening \(path): \(Failure.describe(errno: code))", status: .osError, errno: code)
    }
}

/// Reads the table's lines in large chunks and hands them out one by one, so memory stays
/// the same whatever the size of the table. A line longer than the buffer is reported once
/// (as malformed) and skipped.
final class ConnReader {
    /// Large reads: on 6.1 kernels every read() of /proc/net/ip_vs_conn restarts the walk of
    /// the hash table, so fewer, bigger reads cost the kernel less.
    static let defaultBufferSize = 256 * 1024

    private enum Input {
        case descriptor(Int32, name: String, owned: Bool)
        /// Bytes held in memory, handed out at most `readSize` at a time (to mimic short reads).
        case bytes([UInt8], offset: Int, readSize: Int)
    }

    private var input: Input
    private var buffer: [UInt8]
    /// The unread bytes of the buffer.
    private var start = 0
    private var end = 0
    private var atEnd = false
    /// Inside a line longer than the buffer, already reported, whose rest is dropped.
    private var discarding = false
    /// Lines seen so far, the header included: error messages count like an editor does.
    private(set) var lineNumber = 0

    private init(_ input: Input, bufferSize: Int) {
        self.input = input
        buffer = [UInt8](repeating: 0, count: max(bufferSize, 64))
    }

    /// Reads `fd` until end of file; `name` appears in read errors. Closes `fd` only when `owned`.
    convenience init(fd: Int32, name: String, owned: Bool = false, bufferSize: Int = ConnReader.defaultBufferSize) {
        self.init(.descriptor(fd, name: name, owned: owned), bufferSize: bufferSize)
    }

    convenience init(bytes: [UInt8], readSize: Int = .max, bufferSize: Int = ConnReader.defaultBufferSize) {
        self.init(.bytes(bytes, offset: 0, readSize: readSize), bufferSize: bufferSize)
    }

    deinit {
        if case .descriptor(let fd, _, owned: true) = input { close(fd) }
    }

    /// Reads the table to its end, or until `body` returns false (the output is gone): each
    /// entry to `body`, each line that is no row to `onMalformed`. One entry is filled row
    /// after row, so reading makes no copy per row.
    func forEachEntry(_ body: (ConnEntry) -> Bool, onMalformed: (ConnParseError) -> Void) throws(Failure) {
        var entry = ConnEntry.empty
        while true {
            let range: Range<Int>
            if let newline = newline(in: start..<end) {
                range = start..<newline
                start = newline + 1
                if discarding {
                    discarding = false
                    continue
                }
            } else if atEnd {
                // A last line without its newline: the kernel always ends lines, a file may not.
                guard start < end, !discarding else { return }
                range = start..<end
                start = end
            } else {
                if try refill() {
                    onMalformed(ConnParseError(line: lineNumber, reason: "line longer than \(buffer.count) bytes"))
                }
                continue
            }
            lineNumber += 1
            let number = lineNumber
            do {
                let isEntry = try buffer.withUnsafeBufferPointer { (bytes) throws(ConnParseError) -> Bool in
                    try ConnRowParser.parse(bytes.span.extracting(range), number: number, into: &entry)
                }
                if isEntry && !body(entry) { return }
            } catch {
                onMalformed(error)
            }
        }
    }

    /// Moves the partial line to the front and reads more after it. A line that fills the
    /// whole buffer is no table row: report it once (true) and drop it up to its newline.
    private func refill() throws(Failure) -> Bool {
        if start > 0 {
            // The partial line: short, unless it is a long line's beginning.
            for index in start..<end { buffer[index - start] = buffer[index] }
            end -= start
            start = 0
        }
        var report = false
        if end == buffer.count {
            if !discarding {
                lineNumber += 1
                report = true
                discarding = true
            }
            end = 0
        }
        let count = try fill(end)
        if count <= 0 { atEnd = true } else { end += min(count, buffer.count - end) }
        return report
    }

    /// Reads into the buffer from `offset` on; 0 at the end of the input.
    private func fill(_ offset: Int) throws(Failure) -> Int {
        switch input {
        case .descriptor(let fd, let name, _):
            let result = buffer.withUnsafeMutableBytes { POSIX.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: $0[offset...])) }
            switch result {
            case .success(let count): return count
            case .failure(let error):
                throw Failure("reading \(name): \(error)", status: .osError, errno: error.code)
            }
        case .bytes(let bytes, let from, let readSize):
            let count = min(buffer.count - offset, readSize, bytes.count - from)
            guard count > 0 else { return 0 }
            buffer.replaceSubrange(offset..<offset + count, with: bytes[from..<from + count])
            input = .bytes(bytes, offset: from + count, readSize: readSize)
            return count
        }
    }
}

extension ConnReader {
    /// Where the first newline in `range` of the buffer is: memchr, as a table is mostly
    /// the bytes between newlines.
    private func newline(in range: Range<Int>) -> Int? {
        guard !range.isEmpty else { return nil }
        return buffer.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress, let found = memchr(base + range.lowerBound, 10, range.count) else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }
}
