/// The result of a rewrite: the new text, and whether it differs, so `save` can skip the write.
struct ConfigRewrite: Equatable, Sendable {
    var text: String
    var changed: Bool
}

/// Changes values in the main file in place, as a careful person would with an editor: comments,
/// order, blank lines, spacing, CRLF line ends and a byte order mark all stay as they are.
///
/// A value written with units (`2h`) gets its new value with units (`3h`); a value in plain seconds
/// stays plain seconds. An equal value is left as written, even in another spelling (`90m` for 5400).
/// Keys the file lacks are appended in canonical order.
enum ConfigRewriter {
    static func rewrite(_ text: String, path: String, to timeouts: Timeouts) throws(Failure) -> ConfigRewrite {
        try rewrite(text, path: path, to: TimeoutUpdate(tcp: timeouts.tcp, tcpfin: timeouts.tcpfin, udp: timeouts.udp))
    }

    /// Values missing from `update` are left as the file has them. Refuses (status .config) a
    /// file with problems: rewriting what we cannot read correctly could lose what it meant.
    static func rewrite(_ text: String, path: String, to update: TimeoutUpdate) throws(Failure) -> ConfigRewrite {
        let bytes = Array(text.utf8)
        let new = try rewrite(bytes: bytes, path: path, to: update)
        return ConfigRewrite(text: String(decoding: new, as: UTF8.self), changed: new != bytes)
    }

    static func rewrite(bytes: [UInt8], path: String, to update: TimeoutUpdate) throws(Failure) -> [UInt8] {
        try requireStorable(update)
        var file = ConfigParser.parse(bytes, path: path)
        if !file.problems.isEmpty {
            var failure = Failure.config(file.problems)
            failure.message = "cannot save into a config file with problems; fix it first: " + failure.message
            throw failure
        }
        var missing = TimeoutName.allCases.filter { update[$0] != nil }
        for entry in file.entries {
            guard case .timeout(let name, let old) = entry.value, let new = update[name] else { continue }
            missing.removeAll { $0 == name }
            guard new != old else { continue }
            var content = file.lines[entry.line - 1].content
            content.replaceSubrange(entry.valueRange, with: Array(spelled(new, like: entry.text).utf8))
            // A longer value must not push a padded line past what the parser reads back.
            guard content.count <= ConfigLineCheck.maximumLineBytes else {
                throw Failure("cannot save \(name.rawValue) into \(path):\(entry.line): the line would grow past \(ConfigLineCheck.maximumLineBytes) bytes; shorten it first",
                              status: .config)
            }
            file.lines[entry.line - 1].content = content
        }
        append(missing.map { ($0, update[$0]!) }, to: &file.lines)
        return ConfigText.join(byteOrderMark: file.byteOrderMark, lines: file.lines)
    }

    /// The kernel takes up to INT_MAX/HZ seconds, the file only 1 s to 31 days: saving a value the
    /// file cannot hold would make the next `apply` fail at boot, so it is refused now instead.
    static func requireStorable(_ update: TimeoutUpdate) throws(Failure) {
        for name in TimeoutName.allCases {
            guard let seconds = update[name], seconds == 0 || seconds > TimeoutDuration.maximum else { continue }
            throw Failure("cannot save \(name.rawValue) = \(seconds): the config file takes 1 second to 31 days (2678400 s); set a value in that range first",
                          status: .dataError)
        }
    }

    /// Units stay units, seconds stay seconds: the author chose one, and a diff stays small.
    static func spelled(_ seconds: UInt32, like old: String) -> String {
        old.unicodeScalars.contains { $0.properties.isAlphabetic } ? TimeoutDuration.format(UInt64(seconds)) : String(seconds)
    }

    /// New keys go at the end, with the file's own line ends. A blank line separates them from a
    /// trailing comment (which is probably about something else); after a setting they just follow.
    static func append(_ values: [(TimeoutName, UInt32)], to lines: inout [ConfigRawLine]) {
        guard !values.isEmpty else { return }
        let newline = lines.last(where: { !$0.terminator.isEmpty })?.terminator ?? [0x0A]
        if let last = lines.last, last.terminator.isEmpty {
            lines[lines.count - 1].terminator = newline
        }
        if let last = lines.last, isComment(last) {
            lines.append(ConfigRawLine(number: lines.count + 1, content: [], terminator: newline))
        }
        for (name, seconds) in values {
            let content = Array("\(name.rawValue) = \(seconds)".utf8)
            lines.append(ConfigRawLine(number: lines.count + 1, content: content, terminator: newline))
        }
    }

    private static func isComment(_ line: ConfigRawLine) -> Bool {
        let range = ConfigText.trimmed(line.content, in: 0..<line.content.count)
        guard let first = range.first else { return false }
        return line.content[first] == UInt8(ascii: "#") || line.content[first] == UInt8(ascii: ";")
    }
}
