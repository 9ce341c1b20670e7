import Glibc

/// Loads a kernel module the way an operator would, with the system's modprobe.
enum Modprobe {
    static let searchPath = ["/sbin/modprobe", "/usr/sbin/modprobe", "/bin/modprobe", "/usr/bin/modprobe"]

    /// True when modprobe exists and exited 0. Its output is discarded: we report ourselves.
    static func load(_ module: String) -> Bool {
        guard let path = searchPath.first(where: { access($0, X_OK) == 0 }) else { return false }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        var pid = pid_t()
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), strdup("-q"), strdup(module), nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else { return false }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { return false }
        }
        // WIFEXITED && WEXITSTATUS == 0
        return status & 0x7f == 0 && (status >> 8) & 0xff == 0
    }
}
