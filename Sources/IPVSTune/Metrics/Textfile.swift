import Glibc

/// A file for node_exporter's textfile collector, which may read it at any moment: replaced
/// through AtomicFile, so the collector sees the old file or the new one, never part of either.
public enum Textfile {
    static let mode: mode_t = 0o644

    public static func write(_ text: String, to path: String) throws(Failure) {
        do {
            try AtomicFile.replace(path, with: Array(text.utf8), mode: mode)
        } catch {
            throw failure(path, errno: error.code)
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
