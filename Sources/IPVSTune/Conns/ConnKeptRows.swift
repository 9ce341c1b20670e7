/// The matching rows `--sort` keeps until the end: plain numbers per row, each distinct
/// name stored once, all text bytes in one arena. Half the memory of as many `ConnEntry`s,
/// and no String made per row.
struct ConnKeptRows {
    struct Kept {
        var client: ConnEndpoint
        var virtual: ConnEndpoint
        var dest: ConnEndpoint
        var expires: UInt64
        /// Numbers in `names`.
        var proto: Int32
        var state: Int32
        /// The persistence engine's name and data and the origin, in `extras`; -1 for none.
        var extra: Int32
    }

    /// A stretch of `arena`.
    private struct Span {
        var start: Int
        var count: Int
    }

    private struct Extra {
        var peName: Span?
        var peData: Span?
        var origin: ConnOrigin?
    }

    private(set) var rows: [Kept] = []
    private var arena: [UInt8] = []
    /// Distinct names, numbered in the order first seen, with their bytes.
    private(set) var names = ConnIndexTable<ConnNameKey>()
    private var nameSpans: [Span] = []
    private var keys = ConnNameTable()
    private var extras: [Extra] = []

    var count: Int { rows.count }

    mutating func add(_ row: inout ConnRow) {
        var extra: Int32 = -1
        if row.peName != nil || row.peData != nil || row.origin != nil {
            extra = Int32(truncatingIfNeeded: extras.count)
            let peName = row.peName.map { store($0) }
            let peData = row.peData.map { store($0) }
            extras.append(Extra(peName: peName, peData: peData, origin: row.origin))
        }
        rows.append(Kept(client: row.client, virtual: row.virtual, dest: row.dest, expires: row.expires,
                         proto: number(row.proto), state: number(row.state), extra: extra))
    }

    private mutating func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        let (number, isNew) = names.index(keys.key(bytes))
        if isNew { nameSpans.append(store(bytes)) }
        return Int32(truncatingIfNeeded: number)
    }

    private mutating func store(_ bytes: UnsafeBufferPointer<UInt8>) -> Span {
        let span = Span(start: arena.count, count: bytes.count)
        arena.append(contentsOf: bytes)
        return span
    }

    /// The name numbered `number` as the String an entry would hold.
    func name(_ number: Int32) -> String {
        let span = nameSpans[Int(number)]
        return String(decoding: arena[span.start..<span.start + span.count], as: UTF8.self)
    }

    /// Whether every name is ASCII.
    var namesAreASCII: Bool { nameSpans.allSatisfy { arena[$0.start..<$0.start + $0.count].allSatisfy { $0 < 0x80 } } }

    /// Calls `body` with the rows numbered `order`, as rows, until it returns false.
    func forEach(in order: [Int], _ body: (inout ConnRow) -> Bool) {
        arena.withUnsafeBufferPointer { arena in
            func bytes(_ span: Span) -> UnsafeBufferPointer<UInt8> {
                UnsafeBufferPointer(rebasing: arena[span.start..<span.start + span.count])
            }
            var row = ConnRow.unset
            // The rows are gathered a batch at a time before any is written: in a loop that
            // does nothing else, the scattered reads are all in flight at once.
            var batch: [Kept] = []
            batch.reserveCapacity(ConnKeptRows.batchSize)
            var next = 0
            while next < order.count {
                let end = min(next + ConnKeptRows.batchSize, order.count)
                batch.removeAll(keepingCapacity: true)
                for index in order[next..<end] { batch.append(rows[index]) }
                next = end
                for kept in batch {
                    row.proto = bytes(nameSpans[Int(kept.proto)])
                    row.state = bytes(nameSpans[Int(kept.state)])
                    row.client = kept.client
                    row.virtual = kept.virtual
                    row.dest = kept.dest
                    row.expires = kept.expires
                    if kept.extra >= 0 {
                        let extra = extras[Int(kept.extra)]
                        row.peName = extra.peName.map(bytes)
                        row.peData = extra.peData.map(bytes)
                        row.origin = extra.origin
                    } else {
                        row.peName = nil
                        row.peData = nil
                        row.origin = nil
                    }
                    guard body(&row) else { return }
                }
            }
        }
    }

    private static let batchSize = 1024
}
