/// The keys a config file may set. Keys are case-sensitive, as in sysctl.d: `TCP` is an error
/// with a hint rather than silently accepted, so one spelling appears in every file and search.
enum ConfigKey: Equatable, Sendable {
    case timeout(TimeoutName)
    /// An extra network namespace (path or glob); may repeat. An empty value clears the list so far.
    case netns

    static let netnsName = "netns"
    static let names = TimeoutName.allCases.map(\.rawValue) + [netnsName]

    init?(_ text: String) {
        if text == Self.netnsName {
            self = .netns
        } else if let name = TimeoutName(rawValue: text) {
            self = .timeout(name)
        } else {
            return nil
        }
    }

    /// "tcp, tcpfin, udp and netns", for messages.
    static var listed: String {
        names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    /// What an unknown key probably meant: other case, separators, a `timeout` suffix, or a synonym.
    static func suggestion(for text: String) -> String? {
        var folded = text.lowercased()
        folded.removeAll { "_-. ".contains($0) }
        folded = withoutWord("timeout", in: folded)
        if names.contains(folded) { return folded }
        let synonyms = ["fin": "tcpfin", "finwait": "tcpfin", "tcpfinwait": "tcpfin", "established": "tcp",
                        "namespace": netnsName, "netnamespace": netnsName, "ns": netnsName]
        return synonyms[folded]
    }

    /// `String.replacing` would pull the regex engine (_StringProcessing) into the static binary.
    private static func withoutWord(_ word: String, in text: String) -> String {
        var out = Substring(text)
        var result = ""
        while !out.isEmpty {
            if out.hasPrefix(word) {
                out = out.dropFirst(word.count)
            } else {
                result.append(out.removeFirst())
            }
        }
        return result
    }

    static func unknownMessage(_ text: String) -> String {
        let shown = ConfigValues.quoted(text)
        guard let guess = suggestion(for: text) else {
            return "unknown key \(shown): the keys are \(listed)"
        }
        if guess == text.lowercased() {
            return "unknown key \(shown): keys are case-sensitive; did you mean '\(guess)'?"
        }
        return "unknown key \(shown): did you mean '\(guess)'? (the keys are \(listed))"
    }
}
