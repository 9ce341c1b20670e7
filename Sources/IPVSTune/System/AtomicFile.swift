import Glibc

/// Replaces a file so that a reader (or a crash) sees the old file or the new one, never a mix:
/// a temporary file in the same folder, hidden (so a glob such as node_exporter's `*.prom` never
/// matches it), given its mode and owner, filled, synced and closed, then renamed over the target;
/// then, given the folder's descriptor, the folder synced so the rename survives a crash. Every
/// step is checked, since each can fail late (NFS and quotas report some write errors only at
/// fsync or close). On failure the temporary file is removed and the old file is untouched.
enum AtomicFile {
    /// The step that failed, as "cannot set the mode", and its errno; `inPlace` when only the
    /// folder's sync failed, after the rename.
    struct Failed: Error {
        var step: String
        var code: Int32
        var inPlace = false
    }

    static func replace(_ target: String, with bytes: [UInt8], mode: mode_t, owner: (uid: uid_t, gid: gid_t)? = nil,
                        syncingFolder folder: Int32? = nil) throws(Failed) {
        let directory = ConfigSystem.directory(of: target)
        var template = Array("\(directory)/.\(ConfigSystem.baseName(of: target)).XXXXXX".utf8CString)
        // mkstemp, then FD_CLOEXEC: Glibc's module does not export mkostemp (it needs _GNU_SOURCE).
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw Failed(step: "cannot create a temporary file in \(directory)", code: errno) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        do throws(Failed) {
            try fill(fd, with: bytes, mode: mode, owner: owner)
            guard rename(temporary, target) == 0 else { throw Failed(step: "cannot rename the new file into place", code: errno) }
        } catch {
            unlink(temporary)
            throw error
        }
        // EINVAL: the file system cannot sync folders, and there is nothing more to do.
        if let folder, fsync(folder) != 0 && errno != EINVAL {
            throw Failed(step: "cannot sync its folder", code: errno, inPlace: true)
        }
    }

    private static func fill(_ fd: Int32, with bytes: [UInt8], mode: mode_t, owner: (uid: uid_t, gid: gid_t)?) throws(Failed) {
        var closed = false
        defer { if !closed { close(fd) } }
        guard fchmod(fd, mode) == 0 else { throw Failed(step: "cannot set the mode", code: errno) }
        if let owner {
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw Failed(step: "cannot inspect the temporary file", code: errno) }
            if info.st_uid != owner.uid || info.st_gid != owner.gid {
                guard fchown(fd, owner.uid, owner.gid) == 0 else { throw Failed(step: "cannot set the owner", code: errno) }
            }
        }
        if case .failure(let error) = bytes.withUnsafeBytes({ POSIX.writeAll(fd, $0) }) {
            throw Failed(step: "cannot write the new file", code: error.code)
        }
        // EINVAL: the file system cannot sync this file.
        guard fsync(fd) == 0 || errno == EINVAL else { throw Failed(step: "cannot sync the new file", code: errno) }
        closed = true
        guard close(fd) == 0 else { throw Failed(step: "cannot close the new file", code: errno) }
    }
}
