import CIPVS

import Glibc

/// A network namespace named on the command line: a name under /run/netns or a path.
public struct NetworkNamespace: Equatable, Sendable {
    static let namedDirectory = "/run/netns"

    var argument: String
    public var path: String

    /// `NAME` means /run/netns/NAME (as `ip netns` does); anything with a slash is a path.
    public init(_ argument: String) throws(Failure) {
        guard !argument.isEmpty else {
            throw Failure("--netns needs a name from /run/netns or a path such as /var/run/docker/netns/ingress_sbox",
                          status: .usage)
        }
        self.argument = argument
        if argument.contains("/") {
            path = argument
        } else if argument == "." || argument == ".." {
            throw Failure("'\(argument)' is not a network namespace name: give a name from /run/netns or a path",
                          status: .usage)
        } else {
            path = "\(Self.namedDirectory)/\(argument)"
        }
    }

    /// Moves this thread into the namespace. Connections and /proc/net follow it.
    public func enter() throws(Failure) {
        let result = cipvs_enter_netns(path)
        guard result != 0 else { return }
        switch -result {
        case ENOENT:
            let hint = argument.contains("/") ? "check the path" : "list them with 'ip netns list'"
            throw Failure("network namespace '\(argument)' not found (\(path)): \(hint)", status: .noInput, errno: ENOENT)
        case EINVAL:
            throw Failure("'\(path)' is not a network namespace: give a name from /run/netns or a namespace file such as /proc/PID/ns/net",
                          status: .usage, errno: EINVAL)
        case EPERM, EACCES:
            throw Failure("cannot enter network namespace '\(argument)': permission denied: run as root (CAP_SYS_ADMIN)",
                          status: .permission, errno: -result)
        default:
            throw Failure("cannot enter network namespace '\(argument)': \(Failure.describe(errno: -result))",
                          status: .osError, errno: -result)
        }
    }
}
