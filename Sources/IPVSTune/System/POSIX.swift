import Glibc

/// An errno kept as a value, described the way our messages describe errors.
struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    var code: Int32
    init(_ code: Int32) { self.code = code }
    var description: String { Failure.describe(errno: code) }
}

/// The small system calls ipvstune makes itself, each with its EINTR loop in this one place.
enum POSIX {
    /// Writes every byte to `fd`; the errno when the descriptor fails (a closed pipe, a full disk).
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Result<Void, SystemError> {
        guard let base = bytes.baseAddress else { return .success(()) }
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return .failure(SystemError(errno))
            }
            offset += written
        }
        return .success(())
    }

    /// One read into `buffer`, again after EINTR: the byte count, 0 at the end.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Result<Int, SystemError> {
        while true {
            let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if count >= 0 { return .success(count) }
            if errno != EINTR { return .failure(SystemError(errno)) }
        }
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

    /// The entries of a folder, without `.` and `..`, in name order; none when it cannot be read.
    static func directoryNames(_ path: String) -> [String] {
        guard let stream = opendir(path) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}

extension POSIX {
    /// Runs `program` with `arguments` (no shell, no PATH search) and returns what it wrote to
    /// stdout and stderr together, up to `limit` bytes, once it has exited; ENOENT when it
    /// cannot be started.
    static func output(_ program: String, _ arguments: [String], limit: Int = 65_536) -> Result<[UInt8], SystemError> {
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else { return .failure(SystemError(errno)) }
        // Only the duplicates on 1 and 2 reach the program.
        _ = fcntl(pipeFDs[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(pipeFDs[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 1)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 2)
        var pid = pid_t()
        let argv: [UnsafeMutablePointer<CChar>?] = ([program] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, program, &actions, nil, argv, environ)
        close(pipeFDs[1])
        defer { close(pipeFDs[0]) }
        guard spawned == 0 else { return .failure(SystemError(spawned)) }
        let bytes = readAll(pipeFDs[0], limit: limit)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return bytes
    }
}
