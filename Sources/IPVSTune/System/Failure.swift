import Glibc

/// Exit codes, sysexits-style where one fits. Listed in `ipvstune --help` and the README.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    case success = 0
    /// A check found something (doctor), reserved for commands that report findings.
    case findings = 1
    /// `apply --detailed-exitcode`: something changed or would change.
    case changed = 2
    case usage = 64
    /// The kernel refused a value, or input data was malformed.
    case dataError = 65
    /// A network namespace or input file does not exist.
    case noInput = 66
    /// IPVS is not available: the family does not resolve even after loading ip_vs.
    case unavailable = 69
    /// Any other failure of the system (netlink, memory, I/O).
    case osError = 71
    /// CAP_NET_ADMIN (root) is needed.
    case permission = 77
    /// The config file is wrong.
    case config = 78

    /// The EXIT STATUS table of `--help` and the man page.
    public static var table: String {
        allCases.map { "  \(String($0.rawValue).rightAligned(to: 3))  \($0.meaning)" }.joined(separator: "\n")
    }

    var meaning: String {
        switch self {
        case .success: "success"
        case .findings: "a check found a warning or an error"
        case .changed: "something changed or would change (apply --detailed-exitcode)"
        case .usage: "usage error: bad option, argument or value"
        case .dataError: "the kernel refused a value, or the input was malformed"
        case .noInput: "a network namespace or input file does not exist"
        case .unavailable: "IPVS is not available (ip_vs cannot be loaded)"
        case .osError: "other system error (netlink, memory, I/O)"
        case .permission: "permission denied: CAP_NET_ADMIN (root) is needed, even to read"
        case .config: "the config file is wrong, unreadable or insecure"
        }
    }
}

/// Every failure ipvstune reports: one line for the operator and an exit status.
public struct Failure: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    public var status: ExitStatus
    /// The errno behind the failure, when there is one.
    public var errno: Int32?

    public init(_ message: String, status: ExitStatus, errno: Int32? = nil) {
        self.message = message
        self.status = status
        self.errno = errno
    }

    public var description: String { message }

    /// A failure of an IPVS request: the errno decides the status and the advice.
    static func ipvs(_ action: String, errno code: Int32) -> Failure {
        switch code {
        case EPERM, EACCES:
            return Failure("\(action): permission denied: run as root or with CAP_NET_ADMIN (needed even to read IPVS settings)",
                           status: .permission, errno: code)
        case ENOENT, EPROTONOSUPPORT, EAFNOSUPPORT:
            return Failure("\(action): IPVS is not available in this kernel: load it with 'modprobe ip_vs' or use a kernel built with CONFIG_IP_VS",
                           status: .unavailable, errno: code)
        default:
            return Failure("\(action): \(Failure.describe(errno: code))", status: .osError, errno: code)
        }
    }

    /// The C library's text for an errno, lower-case like the rest of our messages.
    static func describe(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        let message = String(cString: text)
        guard let first = message.first else { return "error \(code)" }
        return first.lowercased() + message.dropFirst()
    }
}
