import CIPVS

import Glibc

/// One network namespace to visit: the one ipvstune started in ("host"), or a file.
public struct NamespaceTarget: Hashable, Sendable {
    /// nil for the namespace the process started in.
    var path: String?

    init(path: String?) { self.path = path }

    public var label: String { path ?? "host" }
}

/// Finds the namespaces `--all-netns` visits, each once.
public enum NamespaceDiscovery {
    /// Where `ip netns` and Docker keep their namespaces.
    public static let directories = ["/run/netns", "/var/run/docker/netns"]

    /// The starting namespace first, then every namespace file in `directories` and every
    /// path matching `patterns` (globs from the config's `netns =`), in name order. A
    /// namespace reachable by several paths (or the host's own) is listed once.
    public static func all(directories: [String] = directories, patterns: [String] = []) -> [NamespaceTarget] {
        scan(directories: directories, patterns: patterns).targets
    }

    /// `all`'s namespaces, and the files among the candidates that are not namespaces yet.
    static func scan(directories: [String] = directories, patterns: [String] = []) -> DiscoveredNamespaces {
        var seen: Set<FileIdentity> = []
        if let host = FileIdentity("/proc/self/ns/net") { seen.insert(host) }
        var found = DiscoveredNamespaces(targets: [NamespaceTarget(path: nil)], pending: [])
        let candidates = directories.flatMap { entries(of: $0) } + patterns.flatMap { expand($0) }
        for path in candidates {
            // A file not (yet) bind-mounted to a namespace is not visited: `ip netns add` and
            // Docker create the file a moment before they mount the namespace on it.
            guard isNetworkNamespace(path) else {
                if let file = PendingFile(path), !found.pending.contains(file) { found.pending.append(file) }
                continue
            }
            guard let identity = FileIdentity(path), !seen.contains(identity) else { continue }
            seen.insert(identity)
            found.targets.append(NamespaceTarget(path: path))
        }
        return found
    }

    /// Only the given patterns, after the starting namespace: what `apply` covers by default.
    public static func configured(_ patterns: [String]) -> [NamespaceTarget] {
        all(directories: [], patterns: patterns)
    }

    static func isNetworkNamespace(_ path: String) -> Bool {
        cipvs_is_namespace_file(path) == 1
    }

    static func entries(of directory: String) -> [String] {
        POSIX.directoryNames(directory).map { "\(directory)/\($0)" }
    }

    static func expand(_ pattern: String) -> [String] {
        var matches = glob_t()
        defer { globfree(&matches) }
        guard glob(pattern, 0, nil, &matches) == 0 else { return [] }
        return (0..<Int(matches.gl_pathc)).compactMap { index in
            matches.gl_pathv[index].map { String(cString: $0) }
        }
    }
}

/// One look at the namespace folders: the namespaces to visit (as `NamespaceDiscovery.all`
/// lists them) and the files there that are not namespaces yet, in name order.
struct DiscoveredNamespaces: Equatable, Sendable {
    var targets: [NamespaceTarget]
    var pending: [PendingFile]

    init(targets: [NamespaceTarget], pending: [PendingFile]) {
        self.targets = targets
        self.pending = pending
    }
}

/// A namespace file's identity: a bind-mounted namespace shows the namespace's own inode.
struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}
