import Glibc

/// Writes straight to a file descriptor, without stdio: no shared FILE state, no flush at exit.
public enum Output {
    /// Writes all of `text` to `fd`; false when the descriptor fails (a closed pipe, a full disk).
    @discardableResult
    public static func write(_ text: String, to fd: Int32 = 1) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            if case .failure = POSIX.writeAll(fd, UnsafeRawBufferPointer(bytes)) { return false }
            return true
        }
    }

    public static func error(_ message: String) {
        write("ipvstune: \(message)\n", to: 2)
    }
}
