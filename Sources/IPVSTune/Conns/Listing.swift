/// The listing of `conns`: one text row or one JSON object per entry, from one list of
/// fields (`write`). Each field is written once, by a call that makes its text column or its
/// JSON member as asked, as iproute2's print_*(PRINT_ANY, ...) do; a few are text-only or
/// JSON-only. Text columns are sized for IPv4 (a longer value pushes the rest of its row
/// right, as `ss` does) because a streamed listing cannot measure the whole table first.
struct ConnListing {
    static let header = "PRO  STATE        EXPIRES  CLIENT                VIRTUAL               DEST                  FLAGS\n"

    let json: Bool
    var out: ByteBuffer
    /// Text: where the last column (DEST) starts, padded only when FLAGS follow.
    private var lastColumn = 0
    /// Text: where the FLAGS column (`template invalidated sync name=data`) starts, if any.
    private var flagsStart: Int? = nil
    /// JSON: whether the object has a member yet.
    private var hasMember = false

    init(json: Bool, capacity: Int = 256) {
        self.json = json
        out = ByteBuffer(capacity: capacity)
    }

    /// One entry's row or JSON object, with its newline.
    static func row(_ entry: ConnEntry, json: Bool = false) -> String {
        var listing = ConnListing(json: json)
        listing.write(entry)
        return listing.out.string
    }

    /// `expires` is the kernel's number exactly in JSON, and `expires_wrapped` says when it is
    /// a wrapped timer; `virtual` is `fwmark:<mark>` for a firewall-mark template, whose mark
    /// JSON also gives as the number `fwmark`.
    mutating func write(_ entry: ConnEntry) {
        flagsStart = nil
        hasMember = false
        if json { out.append(UInt8(ascii: "{")) }
        name("proto", entry.protoName, width: 5)
        name("state", entry.stateName, width: 12)
        expiry(entry.expires)
        endpoint("client", entry.client, width: 22)
        let mark = entry.firewallMark
        if let mark { fwmark("virtual", mark, width: 22) } else { endpoint("virtual", entry.virtual, width: 22) }
        endpoint("dest", entry.dest, width: 0)
        flag("template", entry.isTemplate)
        flag("invalidated", entry.isInvalidated)
        if !json { flag("sync", entry.origin == .sync) }
        if json { number("fwmark", mark) }
        persistenceEngine(entry.peName, entry.peData)
        if json {
            member("origin")
            if let origin = entry.origin { JSON.writeString(utf8: origin.rawValue.utf8, to: &out) } else { out.append("null") }
            out.append(UInt8(ascii: "}"))
        } else if let flagsStart {
            // The separator after the last word, and any spaces PEData ended with.
            out.trimSpaces(downTo: flagsStart)
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// Text: the column padded to `width`. JSON: a string.
    private mutating func name(_ key: StaticString, _ value: ConnName, width: Int) {
        if json {
            member(key)
            out.appendJSON(value)
        } else {
            out.append(value, paddedTo: width)
        }
    }

    /// Address and port, nothing in them to escape in JSON. Text: padded to `width`, or for
    /// 0 (the last column) later, if FLAGS follow.
    private mutating func endpoint(_ key: StaticString, _ endpoint: ConnEndpoint, width: Int) {
        if json {
            member(key)
            out.append(UInt8(ascii: "\""))
            out.append(endpoint)
            out.append(UInt8(ascii: "\""))
        } else {
            lastColumn = out.count
            out.append(endpoint, paddedTo: width)
        }
    }

    private mutating func fwmark(_ key: StaticString, _ mark: UInt32, width: Int) {
        if json { member(key) }
        let start = out.count
        out.append(json ? "\"fwmark:" : "fwmark:")
        out.append(decimal: UInt64(mark))
        if json { out.append(UInt8(ascii: "\"")) } else { out.pad(from: start, to: width) }
    }

    private mutating func member(_ key: StaticString) {
        if hasMember { out.append(UInt8(ascii: ",")) }
        hasMember = true
        out.append(UInt8(ascii: "\""))
        out.append(key)
        out.append("\":")
    }

    /// JSON only: a number or null.
    private mutating func number(_ key: StaticString, _ value: UInt32?) {
        member(key)
        if let value { out.append(decimal: UInt64(value)) } else { out.append("null") }
    }

    /// Text: m:ss under an hour, h:mm:ss from an hour on, `wrapped` for a wrapped timer,
    /// right-aligned in 8 bytes and two spaces. JSON: the kernel's number and whether it wrapped.
    private mutating func expiry(_ seconds: UInt64) {
        let wrapped = seconds > ConnEntry.wrappedExpiry
        if json {
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
    private mutating func flag(_ key: StaticString, _ isSet: Bool) {
        if json {
            member(key)
            out.append(isSet ? "true" : "false")
        } else if isSet {
            startFlags()
            out.append(key)
            out.append(UInt8(ascii: " "))
        }
    }

    private mutating func startFlags() {
        guard flagsStart == nil else { return }
        out.pad(from: lastColumn, to: 22)
        flagsStart = out.count
    }

    /// Text: `name=data` with control characters shown as `?` (PEData is copied from a
    /// packet and would break the row). JSON: `pe_name` and `pe_data`, strings or null.
    private mutating func persistenceEngine(_ name: String?, _ data: String?) {
        if json {
            member("pe_name")
            if let name { JSON.writeString(utf8: name.utf8, to: &out) } else { out.append("null") }
            member("pe_data")
            if let data { JSON.writeString(utf8: data.utf8, to: &out) } else { out.append("null") }
        } else if let name {
            startFlags()
            // On UTF-8 bytes, replacing each byte below 0x20 and 0x7F replaces exactly those scalars.
            let printable = { (byte: UInt8) in byte < 0x20 || byte == 0x7F ? UInt8(ascii: "?") : byte }
            out.append(contentsOf: name.utf8.lazy.map(printable))
            out.append(UInt8(ascii: "="))
            out.append(contentsOf: (data ?? "").utf8.lazy.map(printable))
        }
    }
}

extension ByteBuffer {
    /// `m:ss` under an hour, `h:mm:ss` from an hour on, `wrapped` for nil, right-aligned in
    /// `width` bytes.
    mutating func append(expiry seconds: UInt64?, width: Int) {
        guard let seconds else {
            append(UInt8(ascii: " "), count: width - 7)
            return append("wrapped")
        }
        let (hours, minutes) = (seconds / 3600, seconds / 60 % 60)
        append(UInt8(ascii: " "), count: width - (hours > 0 ? ByteBuffer.decimalDigits(hours) + 6 : (minutes >= 10 ? 5 : 4)))
        if hours > 0 {
            append(decimal: hours)
            append(UInt8(ascii: ":"))
        }
        append(decimal: minutes, minimumDigits: hours > 0 ? 2 : 1)
        append(UInt8(ascii: ":"))
        append(decimal: seconds % 60, minimumDigits: 2)
    }
}
