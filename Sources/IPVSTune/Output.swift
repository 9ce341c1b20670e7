#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes straight to a file descriptor, without stdio: no shared FILE state, no flush at exit.
public enum Output {
    /// Writes all of `text` to `fd`; false when the descriptor fails (a closed pipe, a full disk).
    @discardableResult
    public static func write(_ text: String, to fd: Int32 = 1) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }

    public static func error(_ message: String) {
        write("ipvstune: \(message)\n", to: 2)
    }
}
