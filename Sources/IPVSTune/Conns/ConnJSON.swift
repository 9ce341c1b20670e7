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
}

extension ConnEntry {
    /// Writes exactly `json.rendered` without building the JSON value first: `--json` over
    /// a big table would spend its time allocating those values. Tests hold the two equal.
    func writeJSON(to out: inout ConnByteWriter) {
        out.append("{\"proto\":")
        out.append(jsonString: proto)
        out.append(",\"state\":")
        out.append(jsonString: state)
        out.append(",\"expires\":")
        out.append(decimal: expires)
        out.append(isExpiryWrapped ? ",\"expires_wrapped\":true" : ",\"expires_wrapped\":false")
        out.append(",\"client\":\"")
        out.append(client)
        out.append("\",\"virtual\":\"")
        if let mark = firewallMark {
            out.append("fwmark:")
            out.append(decimal: UInt64(mark))
        } else {
            out.append(virtual)
        }
        out.append("\",\"dest\":\"")
        out.append(dest)
        out.append(isTemplate ? "\",\"template\":true" : "\",\"template\":false")
        out.append(isInvalidated ? ",\"invalidated\":true" : ",\"invalidated\":false")
        writeOptionals(to: &out)
    }

    private func writeOptionals(to out: inout ConnByteWriter) {
        out.append(",\"fwmark\":")
        if let mark = firewallMark { out.append(decimal: UInt64(mark)) } else { out.append("null") }
        out.append(",\"pe_name\":")
        if let peName { out.append(jsonString: peName) } else { out.append("null") }
        out.append(",\"pe_data\":")
        if let peData { out.append(jsonString: peData) } else { out.append("null") }
        out.append(",\"origin\":")
        if let origin { out.append(jsonString: origin.rawValue) } else { out.append("null") }
        out.append(byte: 125)
    }
}
