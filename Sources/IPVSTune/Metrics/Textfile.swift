import Glibc

/// Replaces a file for node_exporter's textfile collector, which may read it at any moment: a
/// temporary file in the same folder (named so that the collector's `*.prom` never matches
/// it), filled and synced, then renamed over the target. A reader sees the old file or the new
/// one, never part of either. On failure the temporary file is removed and the old file stays.
public enum Textfile {
    static let mode: mode_t = 0o644

    public static func write(_ text: String, to path: String) throws(Failure) {
        let folder = ConfigSystem.directory(of: path)
        var template = Array("\(folder)/.\(ConfigSystem.baseName(of: path)).XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw failure(path, errno: errno) }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var code: Int32 = 0
        if fchmod(fd, mode) != 0 { code = errno }
        if code == 0, case .failure(let error) = Array(text.utf8).withUnsafeBytes({ POSIX.writeAll(fd, $0) }) { code = error.code }
        if code == 0 && fsync(fd) != 0 && errno != EINVAL { code = errno }
        if close(fd) != 0 && code == 0 { code = errno }
        if code == 0 && rename(temporary, path) != 0 { code = errno }
        guard code == 0 else {
            unlink(temporary)
            throw failure(path, errno: code)
        }
    }

    /// Whether a file can be written at `path`, before the work of making it.
    public static func checkFolder(of path: String) throws(Failure) {
        let folder = ConfigSystem.directory(of: path)
        var info = stat()
        guard stat(folder, &info) == 0 else { throw failure(path, errno: errno) }
        guard ConfigSystem.isKind(info, S_IFDIR) else { throw failure(path, errno: ENOTDIR) }
        guard access(folder, W_OK | X_OK) == 0 else { throw failure(path, errno: errno) }
    }

    static func failure(_ path: String, errno code: Int32) -> Failure {
        let folder = ConfigSystem.directory(of: path)
        let what: String
        switch code {
        case ENOENT: what = "the folder \(folder) does not exist: create it (node_exporter's package does), or give another path"
        case ENOTDIR: what = "\(folder) is not a folder: give another path"
        case EACCES, EPERM: what = "permission denied in \(folder): run as root, or give a folder this user can write"
        case EROFS: what = "\(folder) is on a read-only file system: give a writable folder"
        case ENOSPC, EDQUOT: what = "no space left in \(folder): free some space"
        case EISDIR: what = "it is a folder: give a file name such as \(path)/ipvstune.prom"
        default: what = "\(Failure.describe(errno: code)): check \(folder)"
        }
        return Failure("cannot write \(path): \(what); any old file was kept", status: .osError, errno: code)
    }
}
