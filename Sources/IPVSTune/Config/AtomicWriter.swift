import Glibc

/// Replaces a config file through AtomicFile, keeping the old file's mode and owner. A symlinked
/// target is written through: the link stays and the file at the end of its chain is replaced.
/// Extended attributes, ACLs and SELinux labels of the old file are not copied.
enum ConfigAtomicWriter {
    /// For a file that does not exist yet: readable by all, written by root.
    static let newFileMode: mode_t = 0o644

    /// Writes `text` to `path` under the folder lock.
    static func write(_ text: String, to path: String) throws(Failure) {
        let target = try resolve(path)
        let lock = try ConfigFolderLock(ConfigSystem.directory(of: target), for: path)
        try replace(target, with: Array(text.utf8), folder: lock.fd, shownAs: path)
    }

    static func resolve(_ path: String) throws(Failure) -> String {
        do {
            return try ConfigPathResolver.target(path)
        } catch {
            throw Failure.configWrite(path, "cannot follow its symbolic links", errno: error.code)
        }
    }

    /// The caller holds the lock of `folder`, the descriptor of the target's folder.
    static func replace(_ target: String, with bytes: [UInt8], folder: Int32, shownAs path: String) throws(Failure) {
        let owner = try ownership(of: target, shownAs: path)
        do {
            try AtomicFile.replace(target, with: bytes, mode: owner.mode, owner: (owner.uid, owner.gid), syncingFolder: folder)
        } catch {
            throw Failure.configWrite(path, error.step, errno: error.code, outcome: error.inPlace
                                      ? "the new file is in place but may not survive a crash" : "nothing was changed")
        }
    }

    /// Mode and owner for the new file: the old file's, or 0644 root for a new one.
    private static func ownership(of target: String, shownAs path: String) throws(Failure) -> (mode: mode_t, uid: uid_t, gid: gid_t) {
        let info: stat
        do {
            info = try ConfigSystem.fileStatus(target)
        } catch {
            guard error.code == ENOENT else { throw Failure.configWrite(path, "cannot inspect \(target)", errno: error.code) }
            return (newFileMode, geteuid(), geteuid() == 0 ? 0 : getegid())
        }
        guard ConfigSystem.isKind(info, S_IFREG) else {
            let code = ConfigSystem.isKind(info, S_IFDIR) ? EISDIR : EINVAL
            throw Failure.configWrite(path, "\(target) is not a regular file", errno: code)
        }
        return (info.st_mode & 0o7777, info.st_uid, info.st_gid)
    }
}
