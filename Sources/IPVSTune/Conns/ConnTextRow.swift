/// The text listing of `conns`: one row per entry under a header, columns sized for IPv4
/// (a longer value pushes the rest of its row right, as `ss` does) because a streamed
/// listing cannot measure the whole table first.
public enum ConnTextRow {
    private static let widths = (proto: 5, state: 12, expires: 8, endpoint: 22)

    public static var header: String {
        "PRO".padded(to: widths.proto) + "STATE".padded(to: widths.state) + "EXPIRES".leftPadded(to: widths.expires)
            + "  " + "CLIENT".padded(to: widths.endpoint) + "VIRTUAL".padded(to: widths.endpoint)
            + "DEST".padded(to: widths.endpoint) + "FLAGS\n"
    }

    /// `TCP  ESTABLISHED     14:59  10.0.0.1:51234  192.168.1.10:80  10.1.0.5:80`, with
    /// FLAGS such as `template invalidated sync sip=<call-id>`.
    public static func row(_ entry: ConnEntry) -> String {
        var writer = ConnByteWriter()
        entry.withRow { row in writer.write(maxBytes: maxBytes(&row)) { write(&row, at: $0, ConnFormat.shared) } }
        return writer.string
    }

    /// The most bytes `write` stores for `row`, slack included.
    @inline(__always)
    static func maxBytes(_ row: inout ConnRow) -> Int {
        // Each column is its text plus one space, or its width; flags are at most
        // "template invalidated sync " and the persistence engine's name=data.
        row.proto.count + row.state.count + (row.peName?.count ?? 0) + (row.peData?.count ?? 0)
            + widths.proto + widths.state + widths.expires + ConnFormat.maxExpiry + 2
            + 3 * (ConnFormat.maxEndpoint + 1 + widths.endpoint) + 32 + ConnFormat.slack
    }

    /// Writes the row and its newline at `start`; `maxBytes(row)` must be free there. `row` is
    /// inout only to be passed by address (a copy per row costs more than writing it); it is
    /// not changed. `cache`, when given, keeps the VIRTUAL and DEST columns' text.
    /// Transparent so that it is inlined into the reading loop whatever its size (see
    /// `ConnRunner.run`).
    @_transparent
    static func write(_ row: inout ConnRow, at start: UnsafeMutablePointer<UInt8>, _ format: ConnFormat,
                      _ cache: ConnServersCache? = nil) -> UnsafeMutablePointer<UInt8> {
        var p = ConnFormat.put(row.proto, at: start)
        p = ConnFormat.pad(from: start, p, to: widths.proto)
        var field = p
        p = ConnFormat.put(row.state, at: p)
        p = ConnFormat.pad(from: field, p, to: widths.state)
        p = writeExpiry(row.isExpiryWrapped ? nil : row.expires, at: p, format, width: widths.expires)
        p[0] = 32
        p[1] = 32
        p += 2
        field = p
        p = format.endpoint(row.client, at: p)
        p = ConnFormat.pad(from: field, p, to: widths.endpoint)
        let mark = row.isFirewallMarkProto
        let dest: UnsafeMutablePointer<UInt8>
        if let cache {
            (p, dest) = cache.servers(row.virtual, row.dest, mark: mark, at: p, format)
        } else {
            (p, dest) = servers(row.virtual, row.dest, mark: mark, at: p, format)
        }
        if row.isTemplate || row.origin == .sync || row.peName != nil {
            p = ConnFormat.pad(from: dest, p, to: widths.endpoint)
            p = writeFlags(row, at: p)
        }
        p[0] = 10
        return p + 1
    }

    /// The VIRTUAL column (the endpoint, or `fwmark:` and the mark `virtual` holds when `mark`),
    /// padded, and DEST. Returns the end and where DEST starts.
    @inline(__always)
    static func servers(_ virtual: ConnEndpoint, _ dest: ConnEndpoint, mark: Bool, at start: UnsafeMutablePointer<UInt8>,
                        _ format: ConnFormat) -> (end: UnsafeMutablePointer<UInt8>, dest: UnsafeMutablePointer<UInt8>) {
        var p: UnsafeMutablePointer<UInt8>
        if mark {
            let value = switch virtual.address {
            case .v4(let mark): mark
            case .v6(let high, _): UInt32(truncatingIfNeeded: high >> 32)
            }
            p = format.decimal(UInt64(value), at: ConnFormat.put("fwmark:", at: start))
        } else {
            p = format.endpoint(virtual, at: start)
        }
        p = ConnFormat.pad(from: start, p, to: widths.endpoint)
        return (format.endpoint(dest, at: p), p)
    }

    /// `m:ss` under an hour, `h:mm:ss` from an hour on, `wrapped` when the kernel printed a
    /// wrapped (already due) timer.
    public static func expiry(_ seconds: UInt64?) -> String {
        var writer = ConnByteWriter()
        // Any number may come here, not only the 2^31 seconds a row can hold: room for 20 digits.
        writer.write(maxBytes: 32 + ConnFormat.slack) { writeExpiry(seconds, at: $0, ConnFormat.shared, width: 0) }
        return writer.string
    }

    /// The expiry right-aligned in `width` bytes; `seconds` is at most 2^31 when not nil.
    @inline(__always)
    private static func writeExpiry(_ seconds: UInt64?, at start: UnsafeMutablePointer<UInt8>, _ format: ConnFormat,
                                    width: Int) -> UnsafeMutablePointer<UInt8> {
        guard let seconds else {
            let p = ConnFormat.spaces(max(width - 7, 0), at: start)
            return ConnFormat.put("wrapped", at: p)
        }
        let hours = seconds / 3600
        let minutes = Int(seconds / 60 % 60)
        let secs = Int(seconds % 60)
        if hours > 0 {
            let digits = ConnFormat.digitCount(hours)
            var p = ConnFormat.spaces(max(width - digits - 6, 0), at: start)
            p = format.decimal(hours, digits: digits, at: p)
            p[0] = 58
            p = format.twoDigits(minutes, at: p + 1)
            p[0] = 58
            return format.twoDigits(secs, at: p + 1)
        }
        let digits = minutes >= 10 ? 2 : 1
        var p = ConnFormat.spaces(max(width - digits - 3, 0), at: start)
        p = format.decimal(UInt64(minutes), digits: digits, at: p)
        p[0] = 58
        return format.twoDigits(secs, at: p + 1)
    }

    /// `template invalidated sync name=data`, the words that apply, trailing spaces dropped.
    /// Out of line and given the row by value: few rows have flags, and a row passed by
    /// address here would have to live in memory in the listing's loop.
    @inline(never)
    private static func writeFlags(_ row: ConnRow, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var p = start
        if row.isTemplate { p = ConnFormat.put("template ", at: p) }
        if row.isInvalidated { p = ConnFormat.put("invalidated ", at: p) }
        if row.origin == .sync { p = ConnFormat.put("sync ", at: p) }
        if let name = row.peName {
            p = ConnFormat.printable(name, at: p)
            p[0] = 61
            p += 1
            if let data = row.peData { p = ConnFormat.printable(data, at: p) }
        }
        // The separator after the last word, and any spaces PEData ended with.
        while p > start && p[-1] == 32 { p -= 1 }
        return p
    }
}

/// The VIRTUAL and DEST columns of rows written lately, by virtual service (or firewall mark)
/// and real server: a table has few such pairs, so their text is copied instead of made again
/// for every row. Direct mapped; a miss writes the text and keeps it.
struct ConnServersCache {
    private static let slots = 1024
    /// Per slot: the key's five words, the text's length and where DEST starts in it, then
    /// the text: 96 bytes, room for the longest (48 + 47).
    private static let slotSize = 144
    private static let textOffset = 48
    private let storage: UnsafeMutableRawPointer

    init() {
        storage = .allocate(byteCount: ConnServersCache.slots * ConnServersCache.slotSize, alignment: 8)
        // Key word 4 is never 0: zeroed slots hold nothing.
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: ConnServersCache.slots * ConnServersCache.slotSize)
    }

    func release() { storage.deallocate() }

    /// As `ConnTextRow.servers`. It stores 48 bytes at `start` on a hit of up to 48 bytes, 96
    /// on a longer one: within the bound the two columns have (2 × (`maxEndpoint` + 1 + 22)).
    @inline(__always)
    func servers(_ virtual: ConnEndpoint, _ dest: ConnEndpoint, mark: Bool, at start: UnsafeMutablePointer<UInt8>,
                 _ format: ConnFormat) -> (end: UnsafeMutablePointer<UInt8>, dest: UnsafeMutablePointer<UInt8>) {
        let (k0, k1, virtual6) = virtual.address.words
        let (k2, k3, dest6) = dest.address.words
        let k4 = UInt64(virtual.port) | UInt64(dest.port) << 16 | virtual6 << 32 | dest6 << 33
            | (mark ? 1 << 34 : 0) | 1 << 35
        let hash = (k1 ^ (k3 << 24 | k3 >> 40) ^ (k4 << 40 | k4 >> 24) ^ k0 ^ (k2 << 8 | k2 >> 56)) &* 0x9E37_79B9_7F4A_7C15
        let slot = storage + Int(truncatingIfNeeded: hash >> 54) * ConnServersCache.slotSize
        // One test for the five words.
        guard (word(slot, 0) ^ k0) | (word(slot, 8) ^ k1) | (word(slot, 16) ^ k2) | (word(slot, 24) ^ k3)
            | (word(slot, 32) ^ k4) == 0 else {
            return fill(slot, (k0, k1, k2, k3, k4), virtual, dest, mark: mark, at: start, format)
        }
        let lengths = word(slot, 40)
        let to = UnsafeMutableRawPointer(start)
        let text = UnsafeRawPointer(slot + ConnServersCache.textOffset)
        copy(6, from: text, to: to)
        if lengths & 0xFFFF_FFFF > 48 { copy(6, from: text + 48, to: to + 48) }
        return (start + Int(truncatingIfNeeded: lengths & 0xFFFF_FFFF), start + Int(truncatingIfNeeded: lengths >> 32))
    }

    @inline(__always)
    private func word(_ slot: UnsafeMutableRawPointer, _ offset: Int) -> UInt64 {
        slot.load(fromByteOffset: offset, as: UInt64.self)
    }

    /// `count` words, unrolled.
    @inline(__always)
    private func copy(_ count: Int, from: UnsafeRawPointer, to: UnsafeMutableRawPointer) {
        var offset = 0
        while offset < 8 * count {
            to.storeBytes(of: from.load(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
    }

    /// A miss: writes the text and keeps it in `slot`.
    @inline(never)
    private func fill(_ slot: UnsafeMutableRawPointer, _ key: (UInt64, UInt64, UInt64, UInt64, UInt64),
                      _ virtual: ConnEndpoint, _ dest: ConnEndpoint, mark: Bool, at start: UnsafeMutablePointer<UInt8>,
                      _ format: ConnFormat) -> (end: UnsafeMutablePointer<UInt8>, dest: UnsafeMutablePointer<UInt8>) {
        let written = ConnTextRow.servers(virtual, dest, mark: mark, at: start, format)
        let count = written.end - start
        slot.storeBytes(of: key.0, toByteOffset: 0, as: UInt64.self)
        slot.storeBytes(of: key.1, toByteOffset: 8, as: UInt64.self)
        slot.storeBytes(of: key.2, toByteOffset: 16, as: UInt64.self)
        slot.storeBytes(of: key.3, toByteOffset: 24, as: UInt64.self)
        slot.storeBytes(of: key.4, toByteOffset: 32, as: UInt64.self)
        slot.storeBytes(of: UInt64(count) | UInt64(written.dest - start) << 32, toByteOffset: 40, as: UInt64.self)
        (slot + ConnServersCache.textOffset).copyMemory(from: UnsafeRawPointer(start), byteCount: count)
        return written
    }
}
