/// A process found in /proc: its name (comm), its arguments and its network namespace file.
struct RunningProcess: Equatable, Sendable {
    var pid: Int
    /// The kernel's name for it: the program's file name, or a script's own name when the
    /// kernel ran an interpreter for it (so a wrapper script named kube-proxy is found too).
    var name: String
    var arguments: [String]
    var namespacePath: String

}

/// Finds processes by name in /proc (or a copy of it, for tests).
enum ProcessTable {
    /// Processes whose name (comm) is one of `names`, in pid order. Only their cmdline is read;
    /// processes that end while being read are skipped.
    static func find(_ names: Set<String>, proc: String = "/proc") -> [RunningProcess] {
        let pids = POSIX.directoryNames(proc).compactMap { Int($0) }.sorted()
        return pids.compactMap { pid in
            let base = "\(proc)/\(pid)"
            guard case .success(let comm) = SystemFiles.text("\(base)/comm"), names.contains(comm.trimmingSpaces),
                  case .success(let bytes) = SystemFiles.read("\(base)/cmdline") else { return nil }
            return RunningProcess(pid: pid, name: comm.trimmingSpaces, arguments: cmdline(bytes),
                                  namespacePath: "\(base)/ns/net")
        }
    }

    /// /proc/PID/cmdline: arguments separated (and usually ended) by NUL; an empty argument stays.
    static func cmdline(_ bytes: [UInt8]) -> [String] {
        guard !bytes.isEmpty else { return [] }
        let body = bytes.last == 0 ? bytes.dropLast() : bytes[...]
        return body.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }
}
