@testable import IPVSTune

import Glibc

/// A private folder for one test, removed afterwards; helpers write files and links into it.
public final class ConfigScratch {
    public let path: String

    public init() {
        var template = Array("/tmp/ipvstune-config-test.XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { fatalError("mkdtemp: \(errno)") }
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        chmod(path, 0o755)
    }

    deinit { Self.remove(path) }

    public func at(_ name: String) -> String { "\(path)/\(name)" }

    @discardableResult
    public func write(_ name: String, _ text: String, mode: mode_t = 0o644) -> String {
        write(name, bytes: Array(text.utf8), mode: mode)
    }

    @discardableResult
    public func write(_ name: String, bytes: [UInt8], mode: mode_t = 0o644) -> String {
        let file = at(name)
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(fd >= 0, "open \(file): \(errno)")
        bytes.withUnsafeBytes { precondition(bytes.isEmpty || Glibc.write(fd, $0.baseAddress!, $0.count) == $0.count) }
        fchmod(fd, mode)
        close(fd)
        return file
    }

    @discardableResult
    public func mkdir(_ name: String, mode: mode_t = 0o755) -> String {
        let folder = at(name)
        precondition(Glibc.mkdir(folder, mode) == 0, "mkdir \(folder): \(errno)")
        chmod(folder, mode)
        return folder
    }

    @discardableResult
    public func link(_ name: String, to target: String) -> String {
        let file = at(name)
        precondition(symlink(target, file) == 0, "symlink \(file): \(errno)")
        return file
    }

    public func read(_ name: String) -> String? {
        guard case .bytes(let bytes)? = try? ConfigFileReader.read(at(name)) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    public func names() -> [String] {
        POSIX.directoryNames(path)
    }

    public func status(_ name: String) -> stat {
        var info = stat()
        precondition(stat(at(name), &info) == 0)
        return info
    }

    public var paths: ConfigPaths { ConfigPaths(main: at("ipvstune.conf"), dropInDirectory: at("ipvstune.d")) }

    public static func remove(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            chmod(path, 0o755)
            POSIX.directoryNames(path).forEach { remove("\(path)/\($0)") }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}
