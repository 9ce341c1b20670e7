/// One assignment as read from a file, with where its value sits so a rewrite can replace it.
struct ConfigEntry: Equatable, Sendable {
    enum Value: Equatable, Sendable {
        case timeout(TimeoutName, UInt32)
        case netns(String)
        /// `netns =` with nothing after it: forget the namespaces listed so far.
        case netnsReset
    }

    var value: Value
    var line: Int
    /// The value as written (`2h`, `7200`), and its byte range in the line's content.
    var text: String
    var valueRange: Range<Int>
}

/// One config file, parsed: its lines (to rewrite it), its entries and what is wrong with it.
struct ParsedConfigFile: Equatable, Sendable {
    var path: String
    var byteOrderMark = false
    var lines: [ConfigRawLine] = []
    var entries: [ConfigEntry] = []
    var problems: [ConfigProblem] = []
}

/// Parses the sysctl.d-style format: `key = value` lines, `#` or `;` comment lines, blank lines.
enum ConfigParser {
    static func parse(_ bytes: [UInt8], path: String) -> ParsedConfigFile {
        let (mark, lines) = ConfigText.split(bytes)
        var file = ParsedConfigFile(path: path, byteOrderMark: mark, lines: lines)
        var seen: [TimeoutName: Int] = [:]
        for line in lines {
            switch ConfigLineCheck.check(line) {
            case .notText(let message):
                file.problems.append(ConfigProblem(path: path, line: line.number, message))
                return file
            case .lineProblem(let message):
                file.problems.append(ConfigProblem(path: path, line: line.number, message))
            case .text:
                do throws(ConfigValueError) {
                    guard let entry = try entry(in: line) else { continue }
                    try checkRepeat(entry, seen: &seen)
                    file.entries.append(entry)
                } catch {
                    file.problems.append(ConfigProblem(path: path, line: line.number, error.message))
                }
            }
        }
        return file
    }

    /// nil for blank and comment lines. Only whole-line comments exist (see `ConfigValues`).
    static func entry(in line: ConfigRawLine) throws(ConfigValueError) -> ConfigEntry? {
        let bytes = line.content
        let whole = ConfigText.trimmed(bytes, in: 0..<bytes.count)
        guard let first = whole.first else { return nil }
        if bytes[first] == UInt8(ascii: "#") || bytes[first] == UInt8(ascii: ";") { return nil }

        let shown = ConfigValues.quoted(String(decoding: bytes[whole], as: UTF8.self))
        guard let equals = bytes[whole].firstIndex(of: UInt8(ascii: "=")) else {
            throw ConfigValueError("\(shown) has no '=': write KEY = VALUE, such as 'tcp = 7200'; the keys are \(ConfigKey.listed)")
        }
        let keyText = String(decoding: bytes[ConfigText.trimmed(bytes, in: whole.lowerBound..<equals)], as: UTF8.self)
        let valueRange = ConfigText.trimmed(bytes, in: (equals + 1)..<whole.upperBound)
        let valueText = String(decoding: bytes[valueRange], as: UTF8.self)
        guard !keyText.isEmpty else {
            throw ConfigValueError("\(shown) has no key before '=': write KEY = VALUE; the keys are \(ConfigKey.listed)")
        }
        guard let key = ConfigKey(keyText) else { throw ConfigValueError(ConfigKey.unknownMessage(keyText)) }
        let value = try value(for: key, valueText)
        return ConfigEntry(value: value, line: line.number, text: valueText, valueRange: valueRange)
    }

    private static func value(for key: ConfigKey, _ text: String) throws(ConfigValueError) -> ConfigEntry.Value {
        switch key {
        case .timeout(let name):
            return .timeout(name, try ConfigValues.seconds(text, key: name).get())
        case .netns:
            if let comment = ConfigValues.trailingCommentMessage(text) { throw ConfigValueError(comment) }
            return text.isEmpty ? .netnsReset : .netns(text)
        }
    }

    /// A timeout set twice in one file is a mistake (which line did the author mean?);
    /// overriding belongs in a later drop-in. `netns` lines add up, so they may repeat.
    private static func checkRepeat(_ entry: ConfigEntry, seen: inout [TimeoutName: Int]) throws(ConfigValueError) {
        guard case .timeout(let name, _) = entry.value else { return }
        if let earlier = seen[name] {
            throw ConfigValueError("\(name.rawValue) is already set on line \(earlier) of this file: remove one of the two lines (to override the main file, use a drop-in)")
        }
        seen[name] = entry.line
    }
}
