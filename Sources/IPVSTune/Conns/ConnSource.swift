import Glibc

/// Where `conns` reads from: the kernel's table of the current network namespace, its
/// `_sync` twin with the Origin column, a saved copy, or standard input.
public enum ConnSource {
    public static let table = "/proc/net/ip_vs_conn"
    public static let syncTable = "/proc/net/ip_vs_conn_sync"

    /// A reader over `path`; `-` is standard input.
    public static func open(_ path: String) throws(Failure) -> ConnReader {
        if path == "-" { return ConnReader(fd: 0, name: "standard input") }
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw failure(opening: path, errno: errno) }
        let reader = ConnReader(fd: fd, name: path)
        reader.ownedDescriptor = fd
        return reader
    }

    static func failure(opening path: String, errno code: Int32) -> Failure {
        let isKernelTable = path == table || path == syncTable
        if code == ENOENT && isKernelTable {
            return Failure("\(path) does not exist: IPVS is not loaded in this network namespace (modprobe ip_vs)",
                           status: .unavailable, errno: code)
        }
        if code == ENOENT {
            return Failure("\(path): no such file", status: .noInput, errno: code)
        }
        return Failure("opening \(path): \(Failure.describe(errno: code))", status: .osError, errno: code)
    }
}
