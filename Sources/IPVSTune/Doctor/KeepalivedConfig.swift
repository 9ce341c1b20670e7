/// What doctor needs from keepalived.conf: `lvs_timeouts`, `lvs_sync_daemon` and `net_namespace`
/// in `global_defs`, the virtual servers it defines, and the `include` lines it does not follow.
struct KeepalivedConfig: Equatable, Sendable {
    /// `lvs_timeouts tcp N tcpfin N udp N` (any subset), and the line it is on.
    public struct Timeouts: Equatable, Sendable {
        var values: TimeoutUpdate
        var line: Int
        /// The line's leading blanks when the statement is all the line holds (so a fix can
        /// replace or delete the line); nil when it shares the line with braces or words.
        var indent: String?

        init(values: TimeoutUpdate, line: Int, indent: String? = nil) {
            self.values = values
            self.line = line
            self.indent = indent
        }

        /// As keepalived.conf spells it: `lvs_timeouts tcp 7200 udp 300`.
        var text: String {
            "lvs_timeouts " + TimeoutName.allCases.compactMap { name in values[name].map { "\(name.rawValue) \($0)" } }
                .joined(separator: " ")
        }
    }

    struct Include: Equatable, Sendable {
        var line: Int
        var pattern: String
    }

    struct Problem: Equatable, Sendable {
        var line: Int
        var message: String
    }

    /// The last `lvs_timeouts` in global_defs: the one keepalived uses.
    var lvsTimeouts: Timeouts?
    var syncDaemon = false
    var netNamespace: String?
    /// `virtual_server` blocks as `10.1.0.100 80` or `fwmark 7`.
    var virtualServers: [String] = []
    /// Any `virtual_server` block, a `virtual_server group NAME` included: with one, keepalived
    /// starts its checker process.
    var hasVirtualServer = false
    var includes: [Include] = []
    var problems: [Problem] = []

    init() {}

    /// keepalived.conf names a service `ADDRESS PORT` or `fwmark N`.
    static func serviceName(_ service: VirtualService) -> String {
        if let mark = service.firewallMark { return "fwmark \(mark)" }
        return "\(service.address.map { "\($0)" } ?? "?") \(service.port)"
    }

    func defines(_ service: VirtualService) -> Bool {
        virtualServers.contains(Self.serviceName(service))
    }

    /// keepalived's syntax: one statement per line, `{` and `}` open and close blocks (also on a
    /// line of their own or glued to a word), `#` and `!` start a comment.
    static func parse(_ text: String) -> KeepalivedConfig {
        var config = KeepalivedConfig()
        var blocks: [String] = []
        var lastHead = ""
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            var words: [String] = []
            func flush() {
                guard let head = words.first else { return }
                config.statement(words, line: index + 1, blocks: blocks)
                lastHead = head
                words = []
            }
            for token in tokens(line) {
                switch token {
                case "{": flush(); blocks.append(lastHead)
                case "}": flush(); _ = blocks.popLast()
                default: words.append(token)
                }
            }
            flush()
        }
        config.markWholeLine(lines)
        return config
    }

    /// Records the indent of lvs_timeouts' line when the statement is alone on it.
    private mutating func markWholeLine(_ lines: [Substring]) {
        guard let line = lvsTimeouts?.line, line <= lines.count else { return }
        let raw = lines[line - 1]
        let words = Self.tokens(raw)
        guard words.first == "lvs_timeouts", !words.contains("{"), !words.contains("}") else { return }
        lvsTimeouts?.indent = String(raw.prefix { $0 == " " || $0 == "\t" })
    }

    /// Words and braces, up to a comment.
    static func tokens(_ line: Substring) -> [String] {
        var tokens: [String] = []
        var word = ""
        for character in line {
            if word.isEmpty && (character == "#" || character == "!") { break }
            if character == "{" || character == "}" || character.isWhitespace {
                if !word.isEmpty { tokens.append(word); word = "" }
                if !character.isWhitespace { tokens.append(String(character)) }
            } else {
                word.append(character)
            }
        }
        if !word.isEmpty { tokens.append(word) }
        return tokens
    }

    private mutating func statement(_ words: [String], line: Int, blocks: [String]) {
        let inGlobalDefs = blocks == ["global_defs"]
        switch words[0] {
        case "include":
            includes.append(Include(line: line, pattern: words.dropFirst().joined(separator: " ")))
        case "lvs_timeouts" where inGlobalDefs:
            lvsTimeouts(words, line: line)
        case "lvs_timeouts":
            problems.append(Problem(line: line, message: "lvs_timeouts outside global_defs, where keepalived ignores it: move it into global_defs { }"))
        case "lvs_sync_daemon" where inGlobalDefs:
            syncDaemon = true
        case "net_namespace" where inGlobalDefs && words.count > 1:
            netNamespace = words[1]
        case "virtual_server" where blocks.isEmpty && words.count >= 3 && words[1] != "group":
            virtualServers.append("\(words[1]) \(words[2])")
            hasVirtualServer = true
        case "virtual_server" where blocks.isEmpty && words.count >= 2:
            hasVirtualServer = true
        default:
            break
        }
    }

    /// keepalived reads whole seconds only, up to 31 days; a bad pair is a problem, the rest count.
    private mutating func lvsTimeouts(_ words: [String], line: Int) {
        var values = TimeoutUpdate()
        var index = 1
        while index < words.count {
            let key = words[index]
            guard let name = TimeoutName(rawValue: key) else {
                problems.append(Problem(line: line, message: "lvs_timeouts: '\(key)' is not a timeout keepalived knows: use tcp, tcpfin and udp"))
                index += 2  // and its value
                continue
            }
            guard index + 1 < words.count else {
                problems.append(Problem(line: line, message: "lvs_timeouts: \(key) has no value: give whole seconds, e.g. \(Self.example(name))"))
                break
            }
            let value = words[index + 1]
            if let seconds = UInt32(value), seconds <= TimeoutDuration.maximum {
                if seconds > 0 { values[name] = seconds }
            } else {
                problems.append(Problem(line: line, message: "lvs_timeouts: \(key) '\(value)' is not whole seconds up to 31 days, and keepalived reads nothing else: write e.g. \(Self.example(name))"))
            }
            index += 2
        }
        lvsTimeouts = Timeouts(values: values, line: line)
    }

    private static func example(_ name: TimeoutName) -> String {
        switch name {
        case .tcp: "tcp 7275"
        case .tcpfin: "tcpfin 120"
        case .udp: "udp 300"
        }
    }
}
