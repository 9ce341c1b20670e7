import Glibc

/// Collects output into large writes: one write per row would cost a system call each.
///
/// Rows are written straight into one buffer through a pointer (`reserve`, then `commit`).
/// The buffer goes out whole once it holds `flushSize` bytes after a complete row, as it
/// always did, so a write never splits a row. It holds `flushSize` plus the largest row seen
/// (bounded by the reader's line length), whatever the size of the table.
struct ConnBufferedOutput {
    /// Where the bytes go: a descriptor, written directly, or a function taking text.
    enum Sink {
        case descriptor(Int32)
        case text((String) -> Bool)
    }

    private let sink: Sink
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0
    private(set) var closed = false
    /// The texts of the virtual services and real servers written lately, for JSON.
    private let endpoints = ConnEndpointCache()
    /// The VIRTUAL and DEST columns written lately, for text.
    private let servers = ConnServersCache()
    static let flushSize = 64 * 1024

    init(_ sink: Sink) {
        self.sink = sink
        capacity = ConnBufferedOutput.flushSize + 16 * 1024
        base = .allocate(capacity: capacity)
    }

    /// Frees the buffer; the output must not be used after.
    func release() {
        base.deallocate()
        endpoints.release()
        servers.release()
    }

    /// Room for `bytes` bytes at the end of the buffer, which grows for a row that needs it.
    @inline(__always)
    mutating func reserve(_ bytes: Int) -> UnsafeMutablePointer<UInt8> {
        if capacity - count < bytes { grow(to: count + bytes) }
        return base + count
    }

    /// Keeps what was written since `reserve` up to `end`, and flushes a full buffer.
    @inline(__always)
    mutating func commit(_ end: UnsafeMutablePointer<UInt8>) {
        count = end - base
        if count >= ConnBufferedOutput.flushSize { flush() }
    }

    private mutating func grow(to needed: Int) {
        let larger = max(needed, 2 * capacity)
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    mutating func append(_ text: String) {
        guard !closed else { return }
        var text = text
        text.withUTF8 { bytes in
            let p = reserve(bytes.count)
            commit(ConnFormat.put(bytes, at: p))
        }
    }

    /// One entry's row or JSON line.
    /// Transparent so that it is inlined into the reading loop whatever its size (see
    /// `ConnRunner.run`).
    @_transparent
    mutating func append(_ row: inout ConnRow, json: Bool, _ format: ConnFormat) {
        guard !closed else { return }
        if json {
            var p = reserve(ConnJSONRow.maxBytes(&row) + 1)
            p = ConnJSONRow.write(&row, at: p, format, endpoints)
            p[0] = 10
            commit(p + 1)
        } else {
            commit(ConnTextRow.write(&row, at: reserve(ConnTextRow.maxBytes(&row)), format, servers))
        }
    }

    /// The listing's common case, every row shown as text: writes the rows at `bytes[start..<end]`
    /// that `ConnFastParser.kernelLine` reads, one after the other, up to the first line it
    /// does not read or until the output is closed. Returns where it stopped and how many
    /// rows it wrote. Out of line, with the row a local passed only to inlined functions:
    /// the row's fields then stay in registers between the parser and the writer, and the
    /// buffer's fields are not reloaded after every row's stores.
    @inline(never)
    mutating func appendKernelRows(_ bytes: UnsafePointer<UInt8>, from start: Int, to end: Int) -> (next: Int, rows: Int) {
        let format = ConnFormat.shared
        var at = start
        var rows = 0
        var row = ConnRow.unset
        while !closed, let length = ConnFastParser.kernelLine(bytes + at, end - at, into: &row) {
            commit(ConnTextRow.write(&row, at: reserve(ConnTextRow.maxBytes(&row)), format, servers))
            at += length + 1
            rows += 1
        }
        return (at, rows)
    }

    mutating func flush() {
        guard !closed, count > 0 else { return }
        let bytes = UnsafeBufferPointer(start: base, count: count)
        switch sink {
        case .descriptor(let fd): closed = !ConnBufferedOutput.write(bytes, to: fd)
        case .text(let write): closed = !write(String(decoding: bytes, as: UTF8.self))
        }
        count = 0
    }

    /// As `Output.write`, for bytes: all of them, again after EINTR; false when `fd` fails.
    private static func write(_ bytes: UnsafeBufferPointer<UInt8>, to fd: Int32) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
