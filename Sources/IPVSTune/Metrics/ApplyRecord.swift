import Glibc

/// The result and time of the last `apply` (not `--check`), which apply leaves for `metrics`
/// in a small file replaced atomically. Recording never changes what apply prints or returns:
/// a file that cannot be written is skipped without a word.
public struct ApplyRecord: Equatable, Sendable {
    /// ipvstune.service's StateDirectory=ipvstune.
    public static let path = "/var/lib/ipvstune/last-apply"

    /// Seconds since the epoch.
    var time: Int64
    /// apply's exit status, except that --detailed-exitcode's 2 (changed) counts as 0.
    var status: Int32
    /// Whether the kernel's timeouts changed.
    var changed: Bool

    /// Now, with this outcome.
    public static func now(status: Int32, changed: Bool) -> ApplyRecord {
        ApplyRecord(time: Int64(Glibc.time(nil)), status: status, changed: changed)
    }

    var text: String {
        "# the last ipvstune apply, for ipvstune metrics\ntime=\(time)\nstatus=\(status)\nchanged=\(changed ? 1 : 0)\n"
    }

    /// Writes the record, making its folder (0755) when missing; false when it could not.
    @discardableResult
    public func write(to path: String = ApplyRecord.path) -> Bool {
        let folder = ConfigSystem.directory(of: path)
        if access(folder, F_OK) != 0 && mkdir(folder, 0o755) != 0 { return false }
        do {
            try Textfile.write(text, to: path)
            return true
        } catch {
            return false
        }
    }

    /// The record at `path`; nil when there is none or it does not read as one.
    public static func read(_ path: String = ApplyRecord.path) -> ApplyRecord? {
        guard case .success(let bytes) = POSIX.readFile(path, limit: 4096) else { return nil }
        return parse(String(decoding: bytes, as: UTF8.self))
    }

    static func parse(_ text: String) -> ApplyRecord? {
        var values: [Substring: Int64] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let value = Int64(parts[1]) else { return nil }
            values[parts[0]] = value
        }
        guard let time = values["time"], let status = values["status"], let changed = values["changed"],
              let code = Int32(exactly: status) else { return nil }
        return ApplyRecord(time: time, status: code, changed: changed != 0)
    }
}
