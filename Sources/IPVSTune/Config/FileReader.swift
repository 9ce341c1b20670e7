import Glibc

/// Reads one config file whole, refusing what is not a small regular file.
enum ConfigFileReader {
    /// Far above any real config; a bigger file is a mistake (a log, an image) and not worth reading.
    static let maximumBytes = 1 << 20

    enum Contents: Equatable {
        case missing
        case bytes([UInt8])
    }

    /// `.missing` only when nothing is at the path; a link to nothing is a problem, because
    /// someone meant a config to be there.
    static func read(_ path: String) throws(ConfigProblem) -> Contents {
        // O_NONBLOCK: opening a FIFO must not hang `apply` at boot; fstat rejects it below.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            guard code == ENOENT else { throw unreadable(path, errno: code) }
            if let target = danglingTarget(path) {
                throw ConfigProblem(path: path, "is a symbolic link to \(target), which does not exist: fix the link or remove it")
            }
            return .missing
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw unreadable(path, errno: errno) }
        try requireSmallRegularFile(path, info)
        return .bytes(try readAll(path, fd))
    }

    private static func requireSmallRegularFile(_ path: String, _ info: stat) throws(ConfigProblem) {
        if ConfigSystem.isKind(info, S_IFDIR) {
            throw ConfigProblem(path: path, "is a folder, not a config file: move it away (drop-ins go in files ending in .conf)")
        }
        guard ConfigSystem.isKind(info, S_IFREG) else {
            throw ConfigProblem(path: path, "is not a regular file (a device, FIFO or socket): replace it with a text file or remove it")
        }
        guard Int(info.st_size) <= maximumBytes else { throw tooLarge(path) }
    }

    /// The file may grow after fstat: the limit holds for what is actually read.
    private static func readAll(_ path: String, _ fd: Int32) throws(ConfigProblem) -> [UInt8] {
        switch POSIX.readAll(fd, limit: maximumBytes) {
        case .success(let bytes): return bytes
        case .failure(let error) where error.code == EFBIG: throw tooLarge(path)
        case .failure(let error): throw unreadable(path, errno: error.code)
        }
    }

    private static func danglingTarget(_ path: String) -> String? {
        guard let chain = try? ConfigPathResolver.chain(path), chain.count > 1 else { return nil }
        return chain.last
    }

    private static func tooLarge(_ path: String) -> ConfigProblem {
        ConfigProblem(path: path, "is larger than \(maximumBytes / 1024) KiB, too large for a config file: is this the right file?")
    }

    static func unreadable(_ path: String, errno code: Int32) -> ConfigProblem {
        let advice: String
        switch code {
        case EACCES, EPERM: advice = "permission denied: run as root, or make it readable (chmod 644)"
        case ELOOP: advice = "too many levels of symbolic links: fix the link"
        case ENOTDIR: advice = "a part of the path is not a folder: check the path"
        case EIO: advice = "I/O error: check the disk (dmesg)"
        default: advice = Failure.describe(errno: code)
        }
        return ConfigProblem(path: path, "cannot read: \(advice)")
    }
}

extension ConfigProblem: Error {}
