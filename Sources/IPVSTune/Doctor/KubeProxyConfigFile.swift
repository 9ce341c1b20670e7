/// What doctor needs from a KubeProxyConfiguration file (kube-proxy --config): `mode` and the
/// `ipvs:` block's tcpTimeout, tcpFinTimeout and udpTimeout, Go durations as in the flags.
/// kube-proxy takes its whole configuration from this file when --config is given: the
/// --proxy-mode and --ipvs-*-timeout flags beside it are ignored.
struct KubeProxyConfigFile: Equatable, Sendable {
    /// `mode`; nil or empty means the platform's default, iptables on Linux.
    var mode: String?
    var timeouts = TimeoutUpdate()
    /// Each timeout as written, for messages: `ipvs.tcpTimeout: 15m0s`, and its line.
    var written: [TimeoutName: String] = [:]
    var lines: [TimeoutName: Int] = [:]
    var problems: [String] = []

    init() {}

    static let keys: [(String, TimeoutName)] = [("tcpTimeout", .tcp), ("tcpFinTimeout", .tcpfin), ("udpTimeout", .udp)]

    /// Block-style YAML as kubeadm and the docs write it: `key: value` lines, nesting by
    /// indentation, `#` comments, quoted or plain scalars. Flow style (JSON) is reported as a
    /// problem rather than guessed at.
    static func parse(_ text: String) -> KubeProxyConfigFile {
        var file = KubeProxyConfigFile()
        var sections: [(indent: Int, key: String)] = []
        // "\r\n" is one Character to Swift: split on either ending.
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let body = line.drop { $0 == " " }
            if body.isEmpty || body.hasPrefix("#") || body == "---" { continue }
            if body.hasPrefix("{") || body.hasPrefix("[") {
                file.problems.append("line \(index + 1) is flow-style YAML (JSON), which doctor does not read")
                return file
            }
            let indent = line.count - body.count
            guard let colon = body.firstIndex(of: ":") else { continue }
            let key = String(body[..<colon])
            let value = scalar(body[body.index(after: colon)...])
            while let last = sections.last, last.indent >= indent { sections.removeLast() }
            let path = (sections.map(\.key) + [key]).joined(separator: ".")
            if value.isEmpty && !key.hasPrefix("- ") {
                sections.append((indent, key))
                continue
            }
            file.entry(path, value, line: index + 1)
        }
        return file
    }

    private mutating func entry(_ path: String, _ value: String, line: Int) {
        if path == "mode" {
            mode = value
            return
        }
        guard path.hasPrefix("ipvs."), let name = Self.keys.first(where: { "ipvs.\($0.0)" == path })?.1 else { return }
        guard let seconds = GoDuration.seconds(value), seconds >= 0, seconds < Double(UInt32.max) else {
            problems.append("\(path): \(value) (line \(line)) is not a Go duration such as 900s, 15m0s or 2h0m0s")
            return
        }
        written[name] = "\(path): \(value)"
        lines[name] = line
        let whole = UInt32(seconds.rounded(.towardZero))
        timeouts[name] = whole > 0 ? whole : nil
    }

    /// A plain, single- or double-quoted scalar, without a trailing comment.
    static func scalar(_ text: Substring) -> String {
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        if let quote = trimmed.first, quote == "\"" || quote == "'" {
            let inner = trimmed.dropFirst()
            return String(inner.prefix { $0 != quote })
        }
        if trimmed.hasPrefix("#") { return "" }
        var value = trimmed
        if let hash = value.indices.first(where: { value[$0] == "#" && $0 > value.startIndex && value[value.index(before: $0)] == " " }) {
            value = value[..<hash]
        }
        while let last = value.last, last == " " || last == "\t" { value = value.dropLast() }
        return String(value)
    }
}
