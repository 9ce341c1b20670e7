import Glibc

/// An exclusive flock on the folder that holds the config file, held across read-modify-write so
/// two `save`s cannot interleave. The folder, not the file: the file is replaced by rename, so a
/// lock on it would lock the old inode; and a `<file>.lock` would leave litter in /etc and could
/// not be created on a read-only file system, hiding the clearer EROFS from the write itself.
/// Saves of different files in one folder wait for each other, which costs nothing here.
final class ConfigFolderLock {
    /// Also used to fsync the folder after the rename.
    let fd: Int32

    /// Blocks until the lock is ours.
    init(_ directory: String, for path: String) throws(Failure) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure.configWrite(path, "cannot open folder \(directory)", errno: errno) }
        guard POSIX.retrying({ flock(fd, LOCK_EX) }) == 0 else {
            let code = errno
            close(fd)
            throw Failure.configWrite(path, "cannot lock folder \(directory)", errno: code)
        }
        self.fd = fd
    }

    /// Closing the descriptor releases the lock, also when the process dies.
    deinit { close(fd) }
}
