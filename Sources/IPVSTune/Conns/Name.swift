/// A protocol or state name as the table prints it (TCP, ESTABLISHED...): up to `maxShort`
/// ASCII bytes kept inline, so reading, counting and listing a row makes no String; any other
/// name (longer, or not ASCII, from a damaged file) as a String. `text` is the String either
/// way. Equal names are equal bytes, so comparing and hashing cost no String.
///
/// The byte layout of a short name is coded here and nowhere else: byte `i` of the name is
/// bits `8 * (i % 8)` up of word `i / 8` (`low`, then `high`), unused bytes zero.
enum ConnName: Hashable {
    case short(low: UInt64, high: UInt64, count: Int)
    case long(String)

    static let maxShort = 16

    static let empty = ConnName("")
    static let tcp = ConnName("TCP")
    static let udp = ConnName("UDP")
    /// A firewall-mark template's protocol.
    static let ip = ConnName("IP")
    static let established = ConnName("ESTABLISHED")
    /// The first word of the table's header line.
    static let header = ConnName("Pro")

    /// The name in `line[range]`; invalid UTF-8 is replaced, as String does.
    init(_ line: Span<UInt8>, _ range: Range<Int>) {
        var low: UInt64 = 0, high: UInt64 = 0, any: UInt8 = 0
        if range.count <= ConnName.maxShort {
            for index in range {
                let byte = line[index]
                let offset = index - range.lowerBound
                if offset < 8 { low |= UInt64(byte) << UInt64(8 * offset) } else { high |= UInt64(byte) << UInt64(8 * (offset - 8)) }
                any |= byte
            }
        }
        guard range.count <= ConnName.maxShort, any < 0x80 else {
            self = .long(line.extracting(range).withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) })
            return
        }
        self = .short(low: low, high: high, count: range.count)
    }

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { ConnName($0.span, 0..<$0.count) }
    }

    /// A word that equal names share, for hashing.
    var word: UInt64 {
        switch self {
        case .short(let low, let high, let count): low ^ (high &* 0xFF51_AFD7_ED55_8CCD) ^ UInt64(count)
        case .long(let text): UInt64(bitPattern: Int64(text.hashValue))
        }
    }

    /// Byte `index` of a short name.
    fileprivate static func byte(_ index: Int, _ low: UInt64, _ high: UInt64) -> UInt8 {
        UInt8(truncatingIfNeeded: (index < 8 ? low : high) >> UInt64(8 * (index & 7)))
    }

    var text: String {
        switch self {
        case .long(let text): return text
        case .short(let low, let high, let count):
            return String(decoding: (0..<count).map { ConnName.byte($0, low, high) }, as: UTF8.self)
        }
    }

    /// A short name's bytes, each to `body`.
    fileprivate func forEachByte(_ body: (UInt8) -> Void) {
        guard case .short(let low, let high, let count) = self else { return }
        for index in 0..<count { body(ConnName.byte(index, low, high)) }
    }

    /// Printable ASCII without `"` and `\`: what JSON takes as it is.
    fileprivate var isPlain: Bool {
        guard case .short = self else { return false }
        var plain = true
        forEachByte { byte in
            if byte < 0x20 || byte == 0x7F || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { plain = false }
        }
        return plain
    }
}

extension OutputBuffer {
    /// The name, then spaces up to `width` bytes (at least one).
    mutating func append(_ name: ConnName, paddedTo width: Int) {
        switch name {
        case .long(let text): append(text, paddedTo: width)
        case .short(_, _, let count):
            append(name)
            append(UInt8(ascii: " "), count: count >= width ? 1 : width - count)
        }
    }

    mutating func append(_ name: ConnName) {
        switch name {
        case .long(let text): append(text)
        case .short(let low, let high, let count): append(count: count) { ConnName.byte($0, low, high) }
        }
    }

    /// The name as a JSON string: the short ones with nothing to escape copied whole.
    mutating func appendJSON(_ name: ConnName) {
        if name.isPlain {
            append(UInt8(ascii: "\""))
            append(name)
            append(UInt8(ascii: "\""))
        } else {
            appendJSONString(utf8: name.text.utf8)
        }
    }
}
