import Glibc

/// Loads a kernel module the way an operator would, with the system's modprobe.
enum Modprobe {
    static let searchPath = ["/sbin/modprobe", "/usr/sbin/modprobe", "/bin/modprobe", "/usr/bin/modprobe"]

    /// True when modprobe exists and exited 0. Its output is discarded: we report ourselves.
    static func load(_ module: String) -> Bool {
        guard let path = searchPath.first(where: { access($0, X_OK) == 0 }),
              case .success(let exit) = POSIX.run(path, ["-q", module]) else { return false }
        return exit.status == 0
    }
}
