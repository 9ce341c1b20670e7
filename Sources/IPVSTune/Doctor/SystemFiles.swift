import Glibc

/// Small reads from /proc, /proc/sys and /etc for doctor: whole files, size not trusted
/// (/proc reports 0), bounded so a wrong path cannot make doctor read a disk image.
enum SystemFiles {
    static let limit = 1 << 20

    /// The bytes, or the errno that stopped the read.
    static func read(_ path: String, limit: Int = limit) -> Result<[UInt8], SystemError> {
        POSIX.readFile(path, limit: limit)
    }

    static func text(_ path: String) -> Result<String, SystemError> {
        read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A sysctl holding one whole number, such as net/ipv4/tcp_keepalive_time.
    static func number(_ path: String) -> Result<UInt32, SystemError> {
        text(path).flatMap { text in
            guard let value = UInt32(text.trimmingSpaces) else { return .failure(SystemError(EINVAL)) }
            return .success(value)
        }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func readLink(_ path: String) -> String? {
        try? POSIX.readLink(path).get()
    }

    static func glob(_ pattern: String) -> [String] { NamespaceDiscovery.expand(pattern) }
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
