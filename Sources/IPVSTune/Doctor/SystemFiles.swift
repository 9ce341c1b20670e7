#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Small reads from /proc, /proc/sys and /etc for doctor: whole files, size not trusted
/// (/proc reports 0), bounded so a wrong path cannot make doctor read a disk image.
enum SystemFiles {
    static let limit = 1 << 20

    /// The bytes, or the errno that stopped the read.
    static func read(_ path: String, limit: Int = limit) -> Result<[UInt8], SystemFileError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard fd >= 0 else { return .failure(SystemFileError(errno)) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(SystemFileError(errno))
            }
            if count == 0 { return .success(bytes) }
            bytes += chunk[0..<count]
        }
        return .failure(SystemFileError(EFBIG))
    }

    static func text(_ path: String) -> Result<String, SystemFileError> {
        read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A sysctl holding one whole number, such as net/ipv4/tcp_keepalive_time.
    static func number(_ path: String) -> Result<UInt32, SystemFileError> {
        text(path).flatMap { text in
            guard let value = UInt32(text.trimmingSpaces) else { return .failure(SystemFileError(EINVAL)) }
            return .success(value)
        }
    }

    /// Names in a folder, sorted; empty when it cannot be read.
    static func entries(_ directory: String) -> [String] {
        NamespaceDiscovery.entries(of: directory).map { String($0.dropFirst(directory.count + 1)) }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func readLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func glob(_ pattern: String) -> [String] { NamespaceDiscovery.expand(pattern) }
}

/// An errno kept as a value, described the way our messages describe errors.
struct SystemFileError: Error, Equatable, Sendable, CustomStringConvertible {
    var code: Int32
    init(_ code: Int32) { self.code = code }
    var description: String { Failure.describe(errno: code) }
}

/// Why something doctor wanted to look at could not be read, in a message's words.
struct ReadProblem: Error, Equatable, Sendable {
    var message: String
    init(_ message: String) { self.message = message }
}

extension TCPKeepalive {
    /// The namespace's settings: /proc/sys/net follows the network namespace of the reading thread.
    static func read(procSys: String) -> Result<TCPKeepalive, ReadProblem> {
        let base = "\(procSys)/net/ipv4"
        switch (SystemFiles.number("\(base)/tcp_keepalive_time"), SystemFiles.number("\(base)/tcp_keepalive_intvl")) {
        case (.success(let time), .success(let interval)):
            return .success(TCPKeepalive(time: time, interval: interval))
        case (.failure(let error), _):
            return .failure(ReadProblem("cannot read \(base)/tcp_keepalive_time: \(error)"))
        case (_, .failure(let error)):
            return .failure(ReadProblem("cannot read \(base)/tcp_keepalive_intvl: \(error)"))
        }
    }
}
