import Glibc

/// An errno kept as a value, described the way our messages describe errors.
struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    var code: Int32
    init(_ code: Int32) { self.code = code }
    var description: String { Failure.describe(errno: code) }
}

/// The small system calls ipvstune makes itself: the one EINTR loop, reads, writes, folders and
/// programs, each in this one place.
enum POSIX {
    /// Calls `call` again while a signal interrupts it: its result, with errno set when negative.
    static func retrying<Value: BinaryInteger>(_ call: () -> Value) -> Value {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }

    /// Writes every byte to `fd`; the errno when the descriptor fails (a closed pipe, a full disk).
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Void, SystemError> {
        guard let base = bytes.baseAddress else { return .success(()) }
        var offset = 0
        while offset < bytes.count {
            let written = retrying { write(fd, base + offset, bytes.count - offset) }
            guard written >= 0 else { return .failure(SystemError(errno)) }
            offset += written
        }
        return .success(())
    }

    /// One read into `buffer`: the byte count, 0 at the end.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, SystemError> {
        let count = retrying { Glibc.read(fd, buffer.baseAddress, buffer.count) }
        return count >= 0 ? .success(count) : .failure(SystemError(errno))
    }

    /// Everything `fd` holds up to its end; EFBIG past `limit` bytes. Sizes are not trusted:
    /// /proc reports 0, and a file may grow while it is read.
    static func readAll(_ fd: Int32, limit: Int) -> Result<[UInt8], SystemError> {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            switch chunk.withUnsafeMutableBytes({ read(fd, into: $0) }) {
            case .failure(let error): return .failure(error)
            case .success(0): return .success(bytes)
            case .success(let count):
                bytes += chunk[0..<count]
                guard bytes.count <= limit else { return .failure(SystemError(EFBIG)) }
            }
        }
    }

    /// A whole small file: opened without blocking (a FIFO must not hang us), then `readAll`.
    static func readFile(_ path: String, limit: Int) -> Result<[UInt8], SystemError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)
        guard fd >= 0 else { return .failure(SystemError(errno)) }
        defer { close(fd) }
        return readAll(fd, limit: limit)
    }

    /// Waits for events on `fds` (their `revents` filled in), again after EINTR; `timeout` in
    /// milliseconds, -1 for none. The count of descriptors with events.
    static func poll(_ fds: inout [pollfd], timeout: Int32) -> Result<Int, SystemError> {
        while true {
            let count = Glibc.poll(&fds, nfds_t(fds.count), timeout)
            if count >= 0 { return .success(Int(count)) }
            if errno != EINTR { return .failure(SystemError(errno)) }
        }
    }

    /// Where a symbolic link points, as written in the link.
    static func readLink(_ path: String) -> Result<String, SystemError> {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return .failure(SystemError(errno)) }
        return .success(String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    /// The names in a folder, without `.` and `..`, as bytes in byte order (as sysctl.d and systemd
    /// sort, whatever the locale); the errno of opendir or readdir.
    static func directoryEntries(_ path: String) -> Result<[[UInt8]], SystemError> {
        guard let stream = opendir(path) else { return .failure(SystemError(errno)) }
        defer { closedir(stream) }
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else { break }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != Array(".".utf8) && name != Array("..".utf8) { names.append(name) }
        }
        guard errno == 0 else { return .failure(SystemError(errno)) }
        return .success(names.sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// The names in a folder as text, in name order; none when it cannot be read.
    static func directoryNames(_ path: String) -> [String] {
        guard case .success(let names) = directoryEntries(path) else { return [] }
        return names.map { String(decoding: $0, as: UTF8.self) }.sorted()
    }

    /// What a program did: its exit status (nil when it did not exit normally) and its output.
    struct Exit {
        var status: Int32?
        var output: [UInt8]
    }

    /// Runs `program` with `arguments` (no shell, no PATH search, standard input /dev/null) and
    /// waits for it. With `outputLimit` its stdout and stderr together are kept, up to that many
    /// bytes (EFBIG past it); without, they go to /dev/null. ENOENT when it cannot be started.
    static func run(_ program: String, _ arguments: [String], outputLimit: Int? = nil) -> Result<Exit, SystemError> {
        var pipeFDs: [Int32] = [-1, -1]
        if outputLimit != nil {
            guard pipe(&pipeFDs) == 0 else { return .failure(SystemError(errno)) }
            // Only the duplicates on 1 and 2 reach the program.
            _ = fcntl(pipeFDs[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(pipeFDs[1], F_SETFD, FD_CLOEXEC)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for fd: Int32 in [1, 2] {
            if outputLimit != nil {
                posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], fd)
            } else {
                posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            }
        }
        var pid = pid_t()
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
        var output: Result<[UInt8], SystemError> = .success([])
        if let outputLimit {
            close(pipeFDs[1])
            if spawned == 0 { output = readAll(pipeFDs[0], limit: outputLimit) }
            // Closed before the wait: a program still writing past the limit gets EPIPE, not a hang.
            close(pipeFDs[0])
        }
        guard spawned == 0 else { return .failure(SystemError(spawned)) }
        var status: Int32 = 0
        let waited = retrying { waitpid(pid, &status, 0) } >= 0
        // WIFEXITED: no signal in the low 7 bits; WEXITSTATUS: the next 8.
        let exitStatus = waited && status & 0x7f == 0 ? (status >> 8) & 0xff : nil
        return output.map { Exit(status: exitStatus, output: $0) }
    }
}
