/// What woke the follower.
public enum FollowWake: Equatable, Sendable {
    /// The mount table changed: a namespace may have been mounted or unmounted.
    case mounts
    /// A config file or drop-in changed.
    case config
    /// SIGHUP: read the config again.
    case reload
    /// SIGTERM or SIGINT.
    case stop
}

/// Where the follower's wake-ups and the mount table come from: the kernel (`MountWatch`), or
/// recorded mountinfo texts in tests.
public protocol FollowSource: AnyObject {
    /// Blocks until the mount table or the config may have changed, or a signal came.
    func next() -> FollowWake
    /// The mount table (/proc/self/mountinfo) now.
    func mountTable() -> [UInt8]
}

/// The namespaces mounted in the followed folders, from one read of the mount table to the next.
///
/// A read stands for every change since the one before, and a namespace removed and made again
/// at the same path in between looks the same (path, mount ID and inode are all reused at
/// once): so the caller treats every read's `present` as needing a look, not only what is new.
/// Only the paths of the last read are kept, so memory follows the namespaces that exist.
struct NamespaceFollower {
    var folders = NamespaceDiscovery.directories
    private(set) var followed: Set<String> = []

    /// The namespaces in `table`, each once (by inode; the host's own, `hostInode`, is left
    /// out), and the paths followed before that are no longer there, in path order.
    mutating func update(_ table: [UInt8], hostInode: UInt64?) -> (present: [NamespaceMount], gone: [String]) {
        let mounts = MountTable.namespaces(table, folders: folders)
        var seen: Set<UInt64> = hostInode.map { [$0] } ?? []
        let present = mounts.filter { seen.insert($0.inode).inserted }
        let paths = Set(mounts.map(\.path))
        let gone = followed.subtracting(paths).sorted()
        followed = paths
        return (present, gone)
    }
}
