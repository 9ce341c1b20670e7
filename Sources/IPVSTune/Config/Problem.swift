/// One thing wrong with the config: where, and what to do about it.
public struct ConfigProblem: Equatable, Sendable, CustomStringConvertible {
    var path: String
    /// 1-based; nil when the problem is the file as a whole (unreadable, insecure, too large).
    var line: Int?
    var message: String

    init(path: String, line: Int? = nil, _ message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `file:line: message`, the form compilers use, so editors can jump to it.
    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }
}

extension Failure {
    /// One line for all problems: the first in full, the others counted. Nothing is applied
    /// when there is any problem, so the first one is enough to act on; `ConfigLoader.check`
    /// gives the full list to commands that print it.
    static func config(_ problems: [ConfigProblem]) -> Failure {
        guard let first = problems.first else {
            return Failure("the config has an unknown problem", status: .config)
        }
        let rest = problems.count - 1
        let more = rest == 0 ? "" : " (and \(rest) more problem\(rest == 1 ? "" : "s"))"
        return Failure(first.description + more, status: .config)
    }
}
