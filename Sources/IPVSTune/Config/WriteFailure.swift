import Glibc

extension Failure {
    /// A failed write of a config file: status .osError (the file system refused, not the config
    /// was wrong), one line naming the file, the step, what to do and what state the file is in.
    /// The errno is kept.
    static func configWrite(_ path: String, _ step: String, errno code: Int32,
                            outcome: String = "nothing was changed") -> Failure {
        let advice: String
        switch code {
        case EROFS: advice = "the file system is read-only: remount it read-write, or save on a writable file system"
        case ENOSPC: advice = "no space left on the device: free some space and save again"
        case EDQUOT: advice = "disk quota exceeded: free some space and save again"
        case EFBIG: advice = "file too large for this process (ulimit -f): raise the limit and save again"
        case EACCES, EPERM: advice = "permission denied: run as root"
        case ENOENT: advice = "the folder does not exist: create it first"
        case ENOTDIR: advice = "a part of the path is not a folder: check the path"
        case EISDIR: advice = "it is a folder: move the folder away or save elsewhere"
        case ELOOP: advice = "too many levels of symbolic links: fix the link"
        case EIO: advice = "I/O error: check the disk (dmesg)"
        default: advice = Failure.describe(errno: code)
        }
        return Failure("cannot save \(path): \(step): \(advice); \(outcome)", status: .osError, errno: code)
    }
}
