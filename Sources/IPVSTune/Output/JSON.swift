/// A JSON value with ordered keys, rendered compactly: what every `--json` prints.
enum JSON: Equatable, Sendable {
    case object([(String, JSON)])
    case array([JSON])
    case string(String)
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)
    case null

    static func == (lhs: JSON, rhs: JSON) -> Bool { lhs.rendered == rhs.rendered }

    var rendered: String {
        var out = ""
        write(to: &out)
        return out
    }

    func write(to out: inout String) {
        switch self {
        case .object(let members):
            out += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out += "," }
                JSON.writeString(key, to: &out)
                out += ":"
                value.write(to: &out)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .string(let text): JSON.writeString(text, to: &out)
        case .int(let value): out += String(value)
        case .uint(let value): out += String(value)
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        }
    }

    static func writeString(_ text: String, to out: inout String) {
        var buffer = ByteBuffer(capacity: text.utf8.count + 2)
        writeString(utf8: text.utf8, to: &buffer)
        out += buffer.string
    }

    /// The same escapes over UTF-8 bytes: in UTF-8 a byte below 0x80 is always the ASCII
    /// scalar itself, so escaping bytes escapes exactly the scalars the String version would.
    static func writeString(utf8 bytes: some Sequence<UInt8>, to out: inout ByteBuffer) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape: copied whole.
        let copied = bytes.withContiguousStorageIfAvailable { text in
            guard !text.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            out.append(contentsOf: text)
            out.append(UInt8(ascii: "\""))
            return true
        }
        if copied == true { return }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): out.append("\\\"")
            case UInt8(ascii: "\\"): out.append("\\\\")
            case UInt8(ascii: "\n"): out.append("\\n")
            case UInt8(ascii: "\r"): out.append("\\r")
            case UInt8(ascii: "\t"): out.append("\\t")
            case 0..<0x20:
                out.append("\\u00")
                out.append(hex: UInt16(byte >> 4))
                out.append(hex: UInt16(byte & 15))
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
