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
    /// not changed. `cache`, when given, keeps the virtual services' and real servers' text.
    /// Transparent so that it is inlined into the reading loop whatever its size (see
    /// `ConnRunner.run`).
    @_transparent
    static func write(_ row: inout ConnRow, at start: UnsafeMutablePointer<UInt8>, _ format: ConnFormat,
                      _ cache: ConnEndpointCache? = nil) -> UnsafeMutablePointer<UInt8> {
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
        field = p
        if let mark = row.firewallMark {
            p = format.decimal(UInt64(mark), at: ConnFormat.put("fwmark:", at: p))
        } else {
            p = format.endpoint(row.virtual, at: p, cache)
        }
        p = ConnFormat.pad(from: field, p, to: widths.endpoint)
        field = p
        p = format.endpoint(row.dest, at: p, cache)
        if row.isTemplate || row.origin == .sync || row.peName != nil {
            p = ConnFormat.pad(from: field, p, to: widths.endpoint)
            p = writeFlags(&row, at: p)
        }
        p[0] = 10
        return p + 1
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
    @inline(__always)
    private static func writeFlags(_ row: inout ConnRow, at start: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
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
