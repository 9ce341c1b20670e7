/// One entry as one JSON object, for `conns --json` (one object per line).
extension ConnEntry {
    /// `expires` is the kernel's number exactly; `expires_wrapped` says when that number is a
    /// wrapped timer rather than remaining seconds. `virtual` is `fwmark:<mark>` for a
    /// firewall-mark template, whose mark is also given as the number `fwmark`.
    public var json: JSON {
        .object([
            ("proto", .string(proto)),
            ("state", .string(state)),
            ("expires", .uint(expires)),
            ("expires_wrapped", .bool(isExpiryWrapped)),
            ("client", .string(client.description)),
            ("virtual", .string(virtualText)),
            ("dest", .string(dest.description)),
            ("template", .bool(isTemplate)),
            ("invalidated", .bool(isInvalidated)),
            ("fwmark", firewallMark.map { .uint(UInt64($0)) } ?? .null),
            ("pe_name", peName.map(JSON.string) ?? .null),
            ("pe_data", peData.map(JSON.string) ?? .null),
            ("origin", origin.map { .string($0.rawValue) } ?? .null),
        ])
    }

    /// Writes exactly `json.rendered` without building the JSON value first: `--json` over
    /// a big table would spend its time allocating those values. Tests hold the two equal.
    func writeJSON(to out: inout ConnByteWriter) {
        withRow { row in out.write(maxBytes: ConnJSONRow.maxBytes(&row)) { ConnJSONRow.write(&row, at: $0, ConnFormat.shared) } }
    }
}

/// The writer behind `ConnEntry.writeJSON`, over a row.
enum ConnJSONRow {
    /// The most bytes `write` stores for `row`, slack included.
    @inline(__always)
    static func maxBytes(_ row: inout ConnRow) -> Int {
        ConnFormat.maxJSONString(row.proto.count) + ConnFormat.maxJSONString(row.state.count)
            + ConnFormat.maxJSONString(row.peName?.count ?? 2) + ConnFormat.maxJSONString(row.peData?.count ?? 2)
            + 3 * ConnFormat.maxEndpoint + 2 * 20 + 256 + ConnFormat.slack
    }

    /// The object without its newline; `maxBytes(row)` must be free at `start`.
    @inline(__always)
    static func write(_ row: inout ConnRow, at start: UnsafeMutablePointer<UInt8>, _ format: ConnFormat,
                      _ cache: ConnEndpointCache? = nil) -> UnsafeMutablePointer<UInt8> {
        var p = ConnFormat.put("{\"proto\":", at: start)
        p = ConnFormat.jsonString(row.proto, at: p)
        p = ConnFormat.put(",\"state\":", at: p)
        p = ConnFormat.jsonString(row.state, at: p)
        p = ConnFormat.put(",\"expires\":", at: p)
        p = format.decimal(row.expires, at: p)
        p = ConnFormat.put(row.isExpiryWrapped ? ",\"expires_wrapped\":true" : ",\"expires_wrapped\":false", at: p)
        p = ConnFormat.put(",\"client\":\"", at: p)
        p = format.endpoint(row.client, at: p)
        p = ConnFormat.put("\",\"virtual\":\"", at: p)
        let mark = row.firewallMark
        if let mark {
            p = format.decimal(UInt64(mark), at: ConnFormat.put("fwmark:", at: p))
        } else {
            p = format.endpoint(row.virtual, at: p, cache)
        }
        p = ConnFormat.put("\",\"dest\":\"", at: p)
        p = format.endpoint(row.dest, at: p, cache)
        p = ConnFormat.put(row.isTemplate ? "\",\"template\":true" : "\",\"template\":false", at: p)
        p = ConnFormat.put(row.isInvalidated ? ",\"invalidated\":true" : ",\"invalidated\":false", at: p)
        p = ConnFormat.put(",\"fwmark\":", at: p)
        p = mark.map { format.decimal(UInt64($0), at: p) } ?? ConnFormat.put("null", at: p)
        p = ConnFormat.put(",\"pe_name\":", at: p)
        p = row.peName.map { ConnFormat.jsonString($0, at: p) } ?? ConnFormat.put("null", at: p)
        p = ConnFormat.put(",\"pe_data\":", at: p)
        p = row.peData.map { ConnFormat.jsonString($0, at: p) } ?? ConnFormat.put("null", at: p)
        switch row.origin {
        case nil: p = ConnFormat.put(",\"origin\":null}", at: p)
        case .local: p = ConnFormat.put(",\"origin\":\"LOCAL\"}", at: p)
        case .sync: p = ConnFormat.put(",\"origin\":\"SYNC\"}", at: p)
        }
        return p
    }
}
