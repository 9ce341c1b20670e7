import Glibc

/// Replaces a config file so that a reader (or a crash) sees the old file or the new one, never
/// a mix: write a temporary file in the same folder, give it the old file's mode and owner, fsync,
/// rename over the target, fsync the folder. A symlinked target is written through: the link
/// stays and the file at the end of its chain is replaced. On failure the temporary file is
/// removed and the old file is untouched. Extended attributes, ACLs and SELinux labels of the
/// old file are not copied.
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
        var template = Array("\(ConfigSystem.directory(of: target))/.\(ConfigSystem.baseName(of: target)).XXXXXX".utf8CString)
        // mkstemp, then FD_CLOEXEC: Glibc's module does not export mkostemp (it needs _GNU_SOURCE).
        let fd = mkstemp(&template)
        guard fd >= 0 else {
            let code = errno
            throw Failure.configWrite(path, "cannot create a temporary file in \(ConfigSystem.directory(of: target))", errno: code)
        }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        do throws(Failure) {
            try fill(fd, with: bytes, owner: owner, shownAs: path)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw Failure.configWrite(path, "cannot rename the new file into place", errno: code)
        }
        // The rename is in place; without this fsync a crash could still bring the old file back.
        // EINVAL: the file system cannot sync folders, and there is nothing more to do.
        if fsync(folder) != 0 && errno != EINVAL {
            throw Failure.configWrite(path, "cannot sync its folder", errno: errno,
                                      outcome: "the new file is in place but may not survive a crash")
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

    /// Mode, owner and bytes, then fsync and close: every step checked, since each can fail late
    /// (NFS and quotas report some write errors only at fsync or close).
    private static func fill(_ fd: Int32, with bytes: [UInt8], owner: (mode: mode_t, uid: uid_t, gid: gid_t),
                             shownAs path: String) throws(Failure) {
        var closed = false
        defer { if !closed { close(fd) } }
        guard fchmod(fd, owner.mode) == 0 else { throw Failure.configWrite(path, "cannot set the mode", errno: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure.configWrite(path, "cannot inspect the temporary file", errno: errno) }
        if info.st_uid != owner.uid || info.st_gid != owner.gid {
            guard fchown(fd, owner.uid, owner.gid) == 0 else { throw Failure.configWrite(path, "cannot set the owner", errno: errno) }
        }
        try writeAll(fd, bytes, shownAs: path)
        guard fsync(fd) == 0 else { throw Failure.configWrite(path, "cannot sync the new file", errno: errno) }
        closed = true
        guard close(fd) == 0 else { throw Failure.configWrite(path, "cannot close the new file", errno: errno) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], shownAs path: String) throws(Failure) {
        if case .failure(let error) = bytes.withUnsafeBytes({ POSIX.writeAll(fd, $0) }) {
            throw Failure.configWrite(path, "cannot write the new file", errno: error.code)
        }
    }
}
