import Glibc

/// Small wrappers over the C calls the config code needs, so the logic reads without pointer noise.
enum ConfigSystem {
    static func fileStatus(_ path: String, followLinks: Bool = true) throws(SystemError) -> stat {
        var info = stat()
        let result = followLinks ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else { throw SystemError(errno) }
        return info
    }

    static func isKind(_ info: stat, _ kind: mode_t) -> Bool { info.st_mode & S_IFMT == kind }

    /// The folder part of a path, as dirname(1) gives it for the paths we handle.
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Octal as chmod takes it: 0644.
    static func octal(_ mode: mode_t) -> String {
        let digits = String(mode & 0o7777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
