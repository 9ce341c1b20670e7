import Glibc

/// When ipvstune last changed each timeout of each network namespace, kept beside the
/// last-apply record. `explain` needs it: an entry's idle time is its state's timeout minus
/// its expiry only if that timeout did not change after the entry's last packet. A change
/// made by another tool (ipvsadm, keepalived) is not in it.
struct TimeoutChangeLog: Equatable, Sendable {
    static let path = "/var/lib/ipvstune/timeout-changes"
    /// Namespaces come and go; the oldest lines beyond this many are dropped.
    static let limit = 256

    /// A namespace as the kernel knows it: the device and inode of its nsfs file.
    struct Key: Hashable, Sendable {
        var namespace: String
        var name: TimeoutName
    }

    /// Seconds since the epoch of the last change, by namespace and timeout.
    var changes: [Key: Int64] = [:]

    /// The namespace of the calling thread, as a key: `4:4026531840`.
    static func currentNamespace() -> String? {
        FileIdentity("/proc/thread-self/ns/net").map { "\($0.device):\($0.inode)" }
    }

    /// The last change of each timeout in `namespace`.
    func changes(in namespace: String?) -> [TimeoutName: Int64] {
        guard let namespace else { return [:] }
        var found: [TimeoutName: Int64] = [:]
        for name in TimeoutName.allCases { found[name] = changes[Key(namespace: namespace, name: name)] }
        return found
    }

    var text: String {
        var text = "# when ipvstune last changed each timeout, per network namespace (device:inode), for ipvstune explain\n"
        let newest = changes.sorted { ($0.value, $0.key.namespace, $0.key.name.rawValue) > ($1.value, $1.key.namespace, $1.key.name.rawValue) }
        for (key, time) in newest.prefix(TimeoutChangeLog.limit).reversed() {
            text += "\(key.namespace) \(key.name.rawValue) \(time)\n"
        }
        return text
    }

    /// Lines that do not read are skipped: the log only ever makes `idle` more careful.
    static func parse(_ text: String) -> TimeoutChangeLog {
        var log = TimeoutChangeLog()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let words = line.split(separator: " ")
            guard words.count == 3, let name = TimeoutName(rawValue: String(words[1])), let time = Int64(words[2]) else { continue }
            let key = Key(namespace: String(words[0]), name: name)
            log.changes[key] = max(log.changes[key] ?? time, time)
        }
        return log
    }

    static func read(_ path: String = TimeoutChangeLog.path) -> TimeoutChangeLog {
        guard case .success(let bytes) = POSIX.readFile(path, limit: 1 << 20) else { return TimeoutChangeLog() }
        return parse(String(decoding: bytes, as: UTF8.self))
    }

    /// Notes that `names` changed now in the calling thread's namespace. Like the last-apply
    /// record, a log that cannot be written is skipped without a word.
    static func record(_ names: [TimeoutName], at time: Int64 = Int64(Glibc.time(nil)), path: String = TimeoutChangeLog.path) {
        guard !names.isEmpty, let namespace = currentNamespace() else { return }
        var log = read(path)
        for name in names { log.changes[Key(namespace: namespace, name: name)] = time }
        let folder = ConfigSystem.directory(of: path)
        if access(folder, F_OK) != 0 && mkdir(folder, 0o755) != 0 { return }
        try? Textfile.write(log.text, to: path)
    }
}
