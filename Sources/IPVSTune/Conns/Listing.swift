/// The listing of `conns`: one text row or one JSON object per entry, printed through the one
/// print path as every report is (`Printer`): each field is named once, with its JSON value
/// and its text column; a few are text-only or JSON-only. Text columns are sized for IPv4 (a
/// longer value pushes the rest of its row right, as `ss` does) because a streamed listing
/// cannot measure the whole table first.
extension Printer {
    static let listingHeader = "PRO  STATE        EXPIRES  CLIENT                VIRTUAL               DEST                  FLAGS\n"

    /// One entry's row, or its JSON object on a line of its own. `expires` is the kernel's
    /// number exactly in JSON, and `expires_wrapped` says when it is a wrapped timer;
    /// `virtual` is `fwmark:<mark>` for a firewall-mark template, whose mark JSON also gives
    /// as the number `fwmark`.
    mutating func entry(_ entry: ConnEntry) {
        record { printer in printer.fields(of: entry) }
    }

    private mutating func fields(of entry: ConnEntry) {
        field("proto", entry.protoName, column: 5)
        field("state", entry.stateName, column: 12)
        expiry(entry.expires)
        field("client", entry.client, column: 22)
        let mark = entry.firewallMark
        if let mark { fwmark("virtual", mark, column: 22) } else { field("virtual", entry.virtual, column: 22) }
        var flags = FlagsColumn(after: out.count)
        field("dest", entry.dest, column: 0)
        flag("template", entry.isTemplate, &flags)
        flag("invalidated", entry.isInvalidated, &flags)
        if !isJSON { flag("sync", entry.origin == .sync, &flags) }
        if isJSON { field("fwmark", .number(mark)) }
        persistenceEngine(entry.peName, entry.peData, &flags)
        if isJSON {
            field("origin", .string(entry.origin?.rawValue))
        } else {
            // The separator after the last word, and any spaces PEData ended with.
            if let start = flags.start { out.trimSpaces(downTo: start) }
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// Text: where DEST, the last column, starts (padded only when FLAGS follow), and where
    /// FLAGS (`template invalidated sync name=data`) start once one is written.
    private struct FlagsColumn {
        var dest: Int
        var start: Int?

        init(after dest: Int) { self.dest = dest }
    }

    /// Text: the column padded to `width`. JSON: a string.
    private mutating func field(_ key: StaticString, _ name: ConnName, column width: Int) {
        if isJSON {
            member(key)
            out.appendJSON(name)
        } else {
            out.append(name, paddedTo: width)
        }
    }

    /// Address and port, nothing in them to escape in JSON. Text: padded to `width`, or not
    /// at all for 0.
    private mutating func field(_ key: StaticString, _ endpoint: Endpoint, column width: Int) {
        if isJSON {
            member(key)
            out.append(UInt8(ascii: "\""))
            out.append(endpoint)
            out.append(UInt8(ascii: "\""))
        } else {
            out.append(endpoint, paddedTo: width)
        }
    }

    private mutating func fwmark(_ key: StaticString, _ mark: UInt32, column width: Int) {
        if isJSON { member(key) }
        let start = out.count
        out.append(isJSON ? "\"fwmark:" : "fwmark:")
        out.append(decimal: UInt64(mark))
        if isJSON { out.append(UInt8(ascii: "\"")) } else { out.pad(from: start, to: width) }
    }

    /// Text: m:ss under an hour, h:mm:ss from an hour on, `wrapped` for a wrapped timer,
    /// right-aligned in 8 bytes and two spaces. JSON: the kernel's number and whether it wrapped.
    private mutating func expiry(_ seconds: UInt64) {
        let wrapped = seconds > ConnEntry.wrappedExpiry
        if isJSON {
            member("expires")
            out.append(decimal: seconds)
            member("expires_wrapped")
            out.append(wrapped ? "true" : "false")
        } else {
            out.append(expiry: wrapped ? nil : seconds, width: 8)
            out.append("  ")
        }
    }

    /// Text: a word of the FLAGS column when `isSet`. JSON: a boolean.
    private mutating func flag(_ key: StaticString, _ isSet: Bool, _ flags: inout FlagsColumn) {
        if isJSON {
            member(key)
            out.append(isSet ? "true" : "false")
        } else if isSet {
            startFlags(&flags)
            out.append(key)
            out.append(UInt8(ascii: " "))
        }
    }

    private mutating func startFlags(_ flags: inout FlagsColumn) {
        guard flags.start == nil else { return }
        out.pad(from: flags.dest, to: 22)
        flags.start = out.count
    }

    /// Text: `name=data` with control characters shown as `?` (PEData is copied from a
    /// packet and would break the row). JSON: `pe_name` and `pe_data`, strings or null.
    private mutating func persistenceEngine(_ name: String?, _ data: String?, _ flags: inout FlagsColumn) {
        if isJSON {
            field("pe_name", .string(name))
            field("pe_data", .string(data))
        } else if let name {
            startFlags(&flags)
            // On UTF-8 bytes, replacing each byte below 0x20 and 0x7F replaces exactly those scalars.
            let printable = { (byte: UInt8) in byte < 0x20 || byte == 0x7F ? UInt8(ascii: "?") : byte }
            out.append(contentsOf: name.utf8.lazy.map(printable))
            out.append(UInt8(ascii: "="))
            out.append(contentsOf: (data ?? "").utf8.lazy.map(printable))
        }
    }
}

extension OutputBuffer {
    /// `m:ss` under an hour, `h:mm:ss` from an hour on, `wrapped` for nil, right-aligned in
    /// `width` bytes.
    mutating func append(expiry seconds: UInt64?, width: Int) {
        guard let seconds else {
            append(UInt8(ascii: " "), count: width - 7)
            return append("wrapped")
        }
        let (hours, minutes) = (seconds / 3600, seconds / 60 % 60)
        append(UInt8(ascii: " "), count: width - (hours > 0 ? OutputBuffer.decimalDigits(hours) + 6 : (minutes >= 10 ? 5 : 4)))
        if hours > 0 {
            append(decimal: hours)
            append(UInt8(ascii: ":"))
        }
        append(decimal: minutes, minimumDigits: hours > 0 ? 2 : 1)
        append(UInt8(ascii: ":"))
        append(decimal: seconds % 60, minimumDigits: 2)
    }
}
