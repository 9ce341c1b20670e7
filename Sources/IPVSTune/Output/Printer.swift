/// Text for people, or JSON for scripts: what every report can print.
public enum OutputFormat: Sendable {
    case text
    case json

    public init(json: Bool) { self = json ? .json : .text }
}

/// A report prints itself as one list of fields; the text and the JSON both come from it.
public protocol Report {
    func print(to printer: Printer)
}

extension Report {
    /// The whole output: the text, or one compact JSON object and a newline.
    public func rendered(_ format: OutputFormat) -> String {
        let printer = Printer(format)
        print(to: printer)
        return printer.output
    }
}

/// One print path, as iproute2's `print_uint(PRINT_ANY, key, fmt, value)`: each field is named
/// once, with its JSON value and its text. A field without text is JSON only; `text(_:)` is
/// text only. The JSON is one object whose keys keep the order they were printed in.
public final class Printer {
    let format: OutputFormat
    private var out = ""
    /// Open JSON containers, the outermost (the report's object) first.
    private var open: [Container] = [Container(key: nil, isArray: false)]

    private struct Container {
        var key: String?
        var isArray: Bool
        var members: [(String, JSON)] = []
        var items: [JSON] = []

        var value: JSON { isArray ? .array(items) : .object(members) }
    }

    init(_ format: OutputFormat) { self.format = format }

    /// A field of the current object: `key: value` in JSON, `text` (when given) in the text.
    func field(_ key: String, _ value: JSON, text: String? = nil) {
        switch format {
        case .text: if let text { out += text }
        case .json:
            assert(!open[open.count - 1].isArray, "a field belongs in an object")
            open[open.count - 1].members.append((key, value))
        }
    }

    /// An element of the current array.
    func item(_ value: JSON, text: String? = nil) {
        switch format {
        case .text: if let text { out += text }
        case .json:
            assert(open[open.count - 1].isArray, "an item belongs in an array")
            open[open.count - 1].items.append(value)
        }
    }

    /// Text that JSON has no field for: headings, separators, line ends.
    func text(_ text: String) {
        if format == .text { out += text }
    }

    /// An object: under `key` in an object, or an element of an array (key nil).
    func object(_ key: String? = nil, _ body: () -> Void) {
        nest(key, isArray: false, body)
    }

    func array(_ key: String? = nil, _ body: () -> Void) {
        nest(key, isArray: true, body)
    }

    /// Each nonempty line `body` prints in the text, prefixed: `apply --all-netns` names the
    /// namespace of each line. The JSON is as `body` prints it.
    func prefixingLines(_ prefix: String, _ body: () -> Void) {
        guard format == .text else { return body() }
        let before = out
        out = ""
        body()
        out = before + out.split(separator: "\n").map { "\(prefix)\($0)\n" }.joined()
    }

    /// Everything printed so far: the text, or the report's JSON object and a newline.
    var output: String {
        switch format {
        case .text: return out
        case .json:
            assert(open.count == 1, "every object and array is closed")
            var json = ""
            open[0].value.write(to: &json)
            return json + "\n"
        }
    }

    private func nest(_ key: String?, isArray: Bool, _ body: () -> Void) {
        guard format == .json else { return body() }
        open.append(Container(key: key, isArray: isArray))
        body()
        let closed = open.removeLast()
        if let key = closed.key { field(key, closed.value) } else { item(closed.value) }
    }
}

extension JSON {
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
