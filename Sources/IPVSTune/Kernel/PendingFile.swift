import Glibc

/// A regular file in a namespace folder that is not a namespace: made by `ip netns add` or
/// Docker and not mounted yet, or unmounted and left there (Docker leaves them for a while
/// after a restart, and may mount a new namespace on one later, after opening it again).
/// `changed` is its ctime: opening it again with O_TRUNC makes it another pending file.
struct PendingFile: Hashable, Sendable {
    var path: String
    var changed: Int

    init(path: String, changed: Int) {
        self.path = path
        self.changed = changed
    }

    /// nil when `path` is a namespace, is gone, or is not a regular file.
    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, !NamespaceDiscovery.isNetworkNamespace(path) else {
            return nil
        }
        self.init(path: path, changed: info.st_ctim.tv_sec * 1_000_000_000 + info.st_ctim.tv_nsec)
    }

    /// The same file, still not a namespace.
    var isStillPending: Bool { PendingFile(path) == self }
}
