/// Counts rows for `--summary` with one hash lookup per row and no String or Dictionary:
/// rows are counted per kind, a kind being the protocol, state, virtual service and whether
/// the row is a template, all kept as plain words. `ConnSummary.absorb` folds the kinds into
/// the summary's counts by state and by service at the end. Memory grows with the distinct
/// kinds only (states times services, twice at most), never with the rows.
struct ConnSummaryCounter {
    var entries = 0
    var templates = 0
    var invalidated = 0
    /// One count per bucket of `ConnSummary.buckets`, then the wrapped one.
    private(set) var expiry = [Int](repeating: 0, count: 6)
    /// Kinds in the order first seen, with their row counts.
    private(set) var kinds = ConnIndexTable<ConnRowKind>()
    private(set) var counts: [Int] = []
    /// Names as words.
    private(set) var names = ConnNameTable()

    @inline(__always)
    mutating func add(_ row: inout ConnRow) {
        entries += 1
        let template = row.isTemplate
        if template { templates += 1 }
        if row.isInvalidated { invalidated += 1 }
        expiry[ConnSummaryCounter.bucket(row.expires)] += 1
        let kind = ConnRowKind(proto: names.key(row.proto), state: names.key(row.state), virtual: row.virtual, template: template)
        let (index, isNew) = kinds.index(kind)
        if isNew { counts.append(1) } else { counts[index] += 1 }
    }

    /// The bucket of `ConnSummary.buckets` an expiry falls in; the last index for a
    /// wrapped one.
    @inline(__always)
    static func bucket(_ seconds: UInt64) -> Int {
        // Counted, not chosen: expiries come in any order, and a branch per limit mispredicts.
        (seconds > 60 ? 1 : 0) + (seconds > 900 ? 1 : 0) + (seconds > 3600 ? 1 : 0) + (seconds > 7200 ? 1 : 0)
            + (seconds > ConnEntry.wrappedExpiry ? 1 : 0)
    }
}

/// A name packed as `ConnNameTable.key` does: `size` is its length, or -1 - its number
/// among the long names.
struct ConnNameKey: ConnHashable {
    var first: UInt64
    var second: UInt64
    var size: Int

    @inline(__always)
    var hash: Int {
        Int(truncatingIfNeeded: ConnRowKind.mix(first &* 0x9E37_79B9_7F4A_7C15 ^ second &* 0xC2B2_AE3D_27D4_EB4F
            ^ UInt64(truncatingIfNeeded: size)))
    }
}

/// What a summary tells rows apart by.
struct ConnRowKind: ConnHashable {
    var proto: ConnNameKey
    var state: ConnNameKey
    var high: UInt64
    var low: UInt64
    /// The port, the family (bit 16) and the template flag (bit 17).
    var rest: UInt64

    @inline(__always)
    init(proto: ConnNameKey, state: ConnNameKey, virtual: ConnEndpoint, template: Bool) {
        self.proto = proto
        self.state = state
        let family: UInt64
        (high, low, family) = virtual.address.words
        rest = UInt64(virtual.port) | family << 16 | (template ? 1 << 17 : 0)
    }

    var isIPv6: Bool { rest & 1 << 16 != 0 }
    var isTemplate: Bool { rest & 1 << 17 != 0 }

    var virtual: ConnEndpoint {
        ConnEndpoint(isIPv6 ? .v6(high: high, low: low) : .v4(UInt32(truncatingIfNeeded: low)),
                     UInt16(truncatingIfNeeded: rest))
    }

    @inline(__always)
    var hash: Int {
        let words = proto.first &* 0x9E37_79B9_7F4A_7C15 ^ proto.second &* 0xC2B2_AE3D_27D4_EB4F
            ^ state.first &* 0x1656_67B1_9E37_79F9 ^ state.second &* 0x27D4_EB2F_1656_67C5
            ^ low &* 0xFF51_AFD7_ED55_8CCD ^ high &* 0xC4CE_B9FE_1A85_EC53
            ^ (rest | UInt64(truncatingIfNeeded: proto.size) << 20 | UInt64(truncatingIfNeeded: state.size) << 42)
        return Int(truncatingIfNeeded: ConnRowKind.mix(words))
    }

    /// MurmurHash3's finalizer: every input bit moves every output bit.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }
}

/// Names as `ConnNameKey` words: up to 16 bytes packed in the key itself, longer ones
/// (which never come from the kernel) numbered here in the order first seen.
struct ConnNameTable {
    /// The long names, by number.
    private var long: [[UInt8]] = []
    private var numbers: [[UInt8]: Int] = [:]

    /// The key of a name, reading only its own bytes.
    @inline(__always)
    mutating func key(_ bytes: UnsafeBufferPointer<UInt8>) -> ConnNameKey {
        let count = bytes.count
        guard let p = bytes.baseAddress, count > 0 else { return ConnNameKey(first: 0, second: 0, size: 0) }
        let raw = UnsafeRawPointer(p)
        if count >= 8 && count <= 16 {
            // The first 8 bytes and the last 8 (overlapping when shorter than 16) hold them all.
            return ConnNameKey(first: raw.loadUnaligned(as: UInt64.self),
                               second: raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self), size: count)
        }
        if count >= 4 && count < 8 {
            let first = UInt64(raw.loadUnaligned(as: UInt32.self))
            let last = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return ConnNameKey(first: first | last << 32, second: 0, size: count)
        }
        if count < 4 {
            return ConnNameKey(first: UInt64(p[0]) | UInt64(p[count / 2]) << 8 | UInt64(p[count - 1]) << 16, second: 0, size: count)
        }
        return ConnNameKey(first: 0, second: 0, size: -1 - number(bytes))
    }

    private mutating func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let name = Array(bytes)
        if let known = numbers[name] { return known }
        numbers[name] = long.count
        long.append(name)
        return long.count - 1
    }

    /// The bytes of the name `key` stands for.
    func bytes(_ key: ConnNameKey) -> [UInt8] {
        if key.size < 0 { return long[-1 - key.size] }
        var bytes = [UInt8](repeating: 0, count: key.size)
        withUnsafeBytes(of: key.first) { first in
            withUnsafeBytes(of: key.second) { second in
                let size = key.size
                if size >= 8 {
                    for index in 0..<8 { bytes[index] = first[index] }
                    for index in 8..<size { bytes[index] = second[index - (size - 8)] }
                } else if size >= 4 {
                    for index in 0..<4 { bytes[index] = first[index] }
                    for index in 4..<size { bytes[index] = first[4 + index - (size - 4)] }
                } else if size > 0 {
                    bytes[0] = first[0]
                    bytes[size / 2] = first[1]
                    bytes[size - 1] = first[2]
                }
            }
        }
        return bytes
    }

    /// The name as the String an entry would hold.
    func text(_ key: ConnNameKey) -> String { String(decoding: bytes(key), as: UTF8.self) }
}

/// What `ConnIndexTable` keys need: equality and a well-mixed hash.
protocol ConnHashable: Equatable {
    var hash: Int { get }
}

/// Keys numbered 0, 1, 2... in the order first seen: an open-addressing table of indices
/// into `keys`, without the per-lookup cost of a Dictionary's seeded hashing.
struct ConnIndexTable<Key: ConnHashable> {
    private(set) var keys: [Key] = []
    /// An index plus one, or 0 for a free slot; never more than half full.
    private var slots = [Int32](repeating: 0, count: 64)

    var count: Int { keys.count }

    /// The key's number, and whether it was new.
    @inline(__always)
    mutating func index(_ key: Key) -> (Int, Bool) {
        let mask = slots.count - 1
        var slot = key.hash & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            if keys[entry - 1] == key { return (entry - 1, false) }
            slot = (slot + 1) & mask
        }
        return (insert(key, at: slot), true)
    }

    private mutating func insert(_ key: Key, at slot: Int) -> Int {
        let index = keys.count
        keys.append(key)
        slots[slot] = Int32(truncatingIfNeeded: index + 1)
        if 2 * keys.count > slots.count {
            slots = [Int32](repeating: 0, count: 2 * slots.count)
            let mask = slots.count - 1
            for (index, key) in keys.enumerated() {
                var slot = key.hash & mask
                while slots[slot] != 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(truncatingIfNeeded: index + 1)
            }
        }
        return index
    }
}
