#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An errno from a system call, thrown inside the config code and turned into a message at the edge.
struct ConfigErrno: Error, Equatable {
    var code: Int32
}

/// Small wrappers over the C calls the config code needs, so the logic reads without pointer noise.
enum ConfigSystem {
    static func fileStatus(_ path: String, followLinks: Bool = true) throws(ConfigErrno) -> stat {
        var info = stat()
        let result = followLinks ? stat(path, &info) : lstat(path, &info)
        guard result == 0 else { throw ConfigErrno(code: errno) }
        return info
    }

    static func isKind(_ info: stat, _ kind: mode_t) -> Bool { info.st_mode & S_IFMT == kind }

    static func readLink(_ path: String) throws(ConfigErrno) -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { throw ConfigErrno(code: errno) }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

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

    /// Runs a call again when a signal interrupted it.
    static func retrying(_ call: () -> Int32) -> Int32 {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }
}
