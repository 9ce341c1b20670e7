import CIPVS

import Glibc

/// One network namespace to visit: the one ipvstune started in ("host"), or a file.
public struct NamespaceTarget: Hashable, Sendable {
    /// nil for the namespace the process started in.
    var path: String?

    init(path: String?) { self.path = path }

    public var label: String { path ?? "host" }
}

/// Finds the namespaces `--all-netns` visits, each once. The mount table is the one source:
/// a namespace file is usable once an nsfs mount sits on it, and `apply --follow` and `watch`
/// learn of new ones from the same table (`NamespaceFollower`).
public enum NamespaceDiscovery {
    /// Where `ip netns` and Docker keep their namespaces.
    public static let directories = ["/run/netns", "/var/run/docker/netns"]

    /// The starting namespace first, then every namespace mounted in `directories` and every
    /// path matching `patterns` (globs from the config's `netns =`), in name order. A
    /// namespace reachable by several paths (or the host's own) is listed once. A file in the
    /// folders with no namespace mounted on it yet is not one.
    public static func all(directories: [String] = directories, patterns: [String] = []) -> [NamespaceTarget] {
        let table = (try? POSIX.readFile("/proc/self/mountinfo", limit: MountWatch.tableLimit).get()) ?? []
        return all(mounted: MountTable.namespaces(table, folders: directories), patterns: patterns)
    }

    static func all(mounted: [NamespaceMount], patterns: [String]) -> [NamespaceTarget] {
        var seen: Set<FileIdentity> = []
        if let host = FileIdentity("/proc/self/ns/net") { seen.insert(host) }
        var targets = [NamespaceTarget(path: nil)]
        let candidates = mounted.map(\.path) + patterns.flatMap { expand($0) }
        for path in candidates {
            guard isNetworkNamespace(path), let identity = FileIdentity(path), seen.insert(identity).inserted else { continue }
            targets.append(NamespaceTarget(path: path))
        }
        return targets
    }

    /// Only the given patterns, after the starting namespace: what `apply` covers by default.
    public static func configured(_ patterns: [String]) -> [NamespaceTarget] {
        all(mounted: [], patterns: patterns)
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
