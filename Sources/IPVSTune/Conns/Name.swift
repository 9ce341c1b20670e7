/// A protocol or state name as the table prints it (TCP, ESTABLISHED...): up to 16 ASCII
/// bytes kept inline, so reading and listing a row makes no String; any other name (longer,
/// or not ASCII, from a damaged file) as a String. `text` is the String either way. Equal
/// names are equal bytes, so comparing and hashing cost no String.
enum ConnName: Hashable {
    /// The bytes, first byte lowest, in two words.
    case short(low: UInt64, high: UInt64, count: Int)
    case long(String)

    static let empty = ConnName.short(low: 0, high: 0, count: 0)
    static let tcp = ConnName("TCP")
    static let udp = ConnName("UDP")
    static let established = ConnName("ESTABLISHED")

    /// The name in `line[range]`; invalid UTF-8 is replaced, as String does.
    init(_ line: Span<UInt8>, _ range: Range<Int>) {
        guard range.count <= 16 else {
            self = .long(Fields.text(line, range))
            return
        }
        // From the last byte back, each shifted in below the ones after it.
        var low: UInt64 = 0, high: UInt64 = 0, any: UInt8 = 0
        var index = range.upperBound
        while index > range.lowerBound + 8 {
            index -= 1
            any |= line[index]
            high = high << 8 | UInt64(line[index])
        }
        while index > range.lowerBound {
            index -= 1
            any |= line[index]
            low = low << 8 | UInt64(line[index])
        }
        guard any < 0x80 else {
            self = .long(Fields.text(line, range))
            return
        }
        self = .short(low: low, high: high, count: range.count)
    }

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { ConnName($0.span, 0..<$0.count) }
    }

    var text: String {
        switch self {
        case .long(let text): return text
        case .short(let low, let high, let count):
            return String(decoding: (0..<count).map { ConnName.byte($0, low, high) }, as: UTF8.self)
        }
    }

    static func byte(_ index: Int, _ low: UInt64, _ high: UInt64) -> UInt8 {
        UInt8(truncatingIfNeeded: (index < 8 ? low : high) >> UInt64(8 * (index & 7)))
    }
}

extension ByteBuffer {
    /// The name, then spaces up to `width` bytes (at least one).
    mutating func append(_ name: ConnName, paddedTo width: Int) {
        switch name {
        case .long(let text): append(text, paddedTo: width)
        case .short(let low, let high, let count):
            append(packed: low, high, count: count)
            append(UInt8(ascii: " "), count: count >= width ? 1 : width - count)
        }
    }

    /// The name as a JSON string: the short ones with nothing to escape copied whole.
    mutating func appendJSON(_ name: ConnName) {
        if case .short(let low, let high, let count) = name, ConnName.isPlain(low, high, count) {
            append(UInt8(ascii: "\""))
            append(packed: low, high, count: count)
            append(UInt8(ascii: "\""))
        } else {
            JSON.writeString(utf8: name.text.utf8, to: &self)
        }
    }
}

extension ConnName {
    /// Printable ASCII without `"` and `\`: what JSON takes as it is.
    static func isPlain(_ low: UInt64, _ high: UInt64, _ count: Int) -> Bool {
        for index in 0..<count {
            let byte = byte(index, low, high)
            if byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
        }
        return true
    }
}
