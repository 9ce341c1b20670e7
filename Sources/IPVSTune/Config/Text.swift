/// One physical line of a config file, as bytes, so a rewrite can give back exactly what it read.
struct ConfigRawLine: Equatable, Sendable {
    /// 1-based.
    var number: Int
    /// The line without its terminator; a CR before the LF is part of the terminator, not the content.
    var content: [UInt8]
    /// "\n", "\r\n", or empty for a last line without a newline.
    var terminator: [UInt8]
}

/// Splits a file into lines and puts them back together, keeping every byte.
enum ConfigText {
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// A UTF-8 byte order mark (written by some Windows editors) is set aside, not treated as content.
    static func split(_ bytes: [UInt8]) -> (byteOrderMark: Bool, lines: [ConfigRawLine]) {
        let hasMark = bytes.starts(with: byteOrderMark)
        var lines: [ConfigRawLine] = []
        var start = hasMark ? byteOrderMark.count : 0
        while start < bytes.count {
            let newline = bytes[start...].firstIndex(of: 0x0A)
            let end = newline ?? bytes.count
            var content = Array(bytes[start..<end])
            var terminator: [UInt8] = newline == nil ? [] : [0x0A]
            if newline != nil, content.last == 0x0D {
                content.removeLast()
                terminator = [0x0D, 0x0A]
            }
            lines.append(ConfigRawLine(number: lines.count + 1, content: content, terminator: terminator))
            start = end + 1
        }
        return (hasMark, lines)
    }

    static func join(byteOrderMark: Bool, lines: [ConfigRawLine]) -> [UInt8] {
        var out: [UInt8] = byteOrderMark ? Self.byteOrderMark : []
        for line in lines { out += line.content + line.terminator }
        return out
    }

    /// The range of `bytes` without leading and trailing spaces and tabs (empty when all blank).
    static func trimmed(_ bytes: [UInt8], in range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower].isBlank { lower += 1 }
        while upper > lower, bytes[upper - 1].isBlank { upper -= 1 }
        return lower..<upper
    }
}
