/// Text for people, or JSON for scripts: what every report can print.
public enum OutputFormat: Sendable {
    case text
    case json

    public init(json: Bool) { self = json ? .json : .text }
}

/// A report prints itself as one list of fields; the text and the JSON both come from it.
public protocol Report {
    func print(to printer: inout Printer)
}

extension Report {
    /// The whole output: the text, or one compact JSON object and a newline.
    public func rendered(_ format: OutputFormat) -> String {
        var printer = Printer(format)
        printer.record { print(to: &$0) }
        return printer.out.string
    }
}

/// A field's value in JSON. Objects and arrays are the printer's `object` and `array`.
enum JSON: Equatable, Sendable {
    case string(String)
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)
    case null

    /// A count or a number of seconds.
    static func number(_ value: some BinaryInteger) -> JSON { .uint(UInt64(value)) }

    /// null when absent.
    static func number(_ value: (some BinaryInteger)?) -> JSON {
        guard let value else { return .null }
        return .uint(UInt64(value))
    }

    static func string(_ value: String?) -> JSON {
        guard let value else { return .null }
        return .string(value)
    }
}

/// The one print path, as iproute2's `print_uint(PRINT_ANY, key, fmt, value)` over its
/// json_writer: each field is named once, with its JSON value and its text, and goes
/// straight into the output buffer. A field without text is JSON only; `text(_:)` is text
/// only. JSON keys keep the order they were printed in; JSON is compact, one record a line.
public struct Printer {
    let format: OutputFormat
    var out: OutputBuffer
    /// JSON: how many objects and arrays are open, and for each (a bit per depth) whether it
    /// holds a member yet, so the next one is preceded by a comma.
    private var depth = 0
    private var filled: UInt64 = 0

    init(_ format: OutputFormat, capacity: Int = 256) {
        self.format = format
        out = OutputBuffer(capacity: capacity)
    }

    var isJSON: Bool { format == .json }

    /// A field of the current object: `key: value` in JSON, `text` (when given) in the text.
    mutating func field(_ key: String, _ value: JSON, text: String? = nil) {
        if isJSON {
            member(key)
            write(value)
        } else if let text {
            out.append(text)
        }
    }

    /// A field shown in a column of a text table, aligned as `TextColumn.cell` aligns it;
    /// a number right-aligned is written without making a String.
    mutating func field(_ key: String, _ value: JSON, column: TextColumn) {
        if isJSON {
            member(key)
            return write(value)
        }
        switch (value, column.alignment) {
        case (.uint(let number), .right):
            out.append(UInt8(ascii: " "), count: column.width - OutputBuffer.decimalDigits(number))
            out.append(decimal: number)
        case (.string(let text), _): out.append(column.cell(text))
        case (.uint(let number), _): out.append(column.cell(String(number)))
        case (.int(let number), _): out.append(column.cell(String(number)))
        case (.bool(let flag), _): out.append(column.cell(flag ? "true" : "false"))
        case (.null, _): out.append(column.cell("-"))
        }
    }

    /// An element of the current array.
    mutating func item(_ value: JSON, text: String? = nil) {
        if isJSON {
            separate()
            write(value)
        } else if let text {
            out.append(text)
        }
    }

    /// Text that JSON has no field for: headings, separators, line ends.
    mutating func text(_ text: String) {
        if !isJSON { out.append(text) }
    }

    /// An object: under `key` in an object, or an element of an array (key nil).
    mutating func object(_ key: String? = nil, _ body: (inout Printer) -> Void) {
        nest(key, open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), body)
    }

    mutating func array(_ key: String? = nil, _ body: (inout Printer) -> Void) {
        nest(key, open: UInt8(ascii: "["), close: UInt8(ascii: "]"), body)
    }

    /// One top-level record: in JSON an object on a line of its own (a report, a listed
    /// entry); in the text whatever `body` prints.
    mutating func record(_ body: (inout Printer) -> Void) {
        guard isJSON else { return body(&self) }
        object(nil, body)
        out.append(UInt8(ascii: "\n"))
    }

    /// Each nonempty line `body` prints in the text, prefixed: `apply --all-netns` names the
    /// namespace of each line. The JSON is as `body` prints it.
    mutating func prefixingLines(_ prefix: String, _ body: (inout Printer) -> Void) {
        guard !isJSON else { return body(&self) }
        let start = out.count
        body(&self)
        let lines = String(decoding: out.bytes[start...], as: UTF8.self).split(separator: "\n")
        out.removeLast(out.count - start)
        for line in lines { out.append("\(prefix)\(line)\n") }
    }

    /// JSON: the comma before a member or an item, when the container has one already.
    mutating func separate() {
        let bit: UInt64 = 1 << UInt64(depth & 63)
        if filled & bit != 0 { out.append(UInt8(ascii: ",")) }
        filled |= bit
    }

    /// JSON: `"key":` in the current object.
    mutating func member(_ key: StaticString) {
        separate()
        out.append(UInt8(ascii: "\""))
        out.append(key)
        out.append("\":")
    }

    mutating func member(_ key: String) {
        separate()
        out.appendJSONString(utf8: key.utf8)
        out.append(UInt8(ascii: ":"))
    }

    mutating func write(_ value: JSON) {
        switch value {
        case .string(let text): out.appendJSONString(utf8: text.utf8)
        case .int(let value):
            if value < 0 { out.append(UInt8(ascii: "-")) }
            out.append(decimal: value.magnitude)
        case .uint(let value): out.append(decimal: value)
        case .bool(let value): out.append(value ? "true" : "false")
        case .null: out.append("null")
        }
    }

    private mutating func nest(_ key: String?, open: UInt8, close: UInt8, _ body: (inout Printer) -> Void) {
        guard isJSON else { return body(&self) }
        if let key { member(key) } else if depth > 0 { separate() }
        out.append(open)
        depth += 1
        filled &= ~(1 << UInt64(depth & 63))
        body(&self)
        depth -= 1
        out.append(close)
    }
}

extension OutputBuffer {
    /// A JSON string of UTF-8 bytes: in UTF-8 a byte below 0x80 is always the ASCII scalar
    /// itself, so escaping bytes escapes exactly the scalars that need it.
    mutating func appendJSONString(utf8 bytes: some Sequence<UInt8>) {
        append(UInt8(ascii: "\""))
        // Most strings need no escape: copied whole.
        let copied = bytes.withContiguousStorageIfAvailable { text in
            guard !text.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            append(contentsOf: text)
            append(UInt8(ascii: "\""))
            return true
        }
        if copied == true { return }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            case 0..<0x20:
                append("\\u00")
                append(hex: UInt16(byte >> 4))
                append(hex: UInt16(byte & 15))
            default: append(byte)
            }
        }
        append(UInt8(ascii: "\""))
    }
}
