/// What `save` did.
public struct ConfigSaveOutcome: Equatable, Sendable {
    /// The path asked for.
    var path: String
    /// The file actually written: the end of the path's symlink chain.
    public var target: String
    /// False when the file already held these values: it was not rewritten.
    public var changed: Bool
    /// True when the file did not exist before.
    var created: Bool
}

/// `save`: puts timeouts into the main config file, changing only the values, under the folder lock.
public enum ConfigSaver {
    /// The first line of a file that `save` creates, so a reader knows where it came from.
    static let newFileHeader = "# IPVS timeouts for 'ipvstune apply', written by 'ipvstune save': seconds or durations such as 90s, 15m, 2h, 1d.\n"

    public static func save(_ timeouts: Timeouts, to path: String = ConfigPaths.system.main) throws(Failure) -> ConfigSaveOutcome {
        try save(TimeoutUpdate(tcp: timeouts.tcp, tcpfin: timeouts.tcpfin, udp: timeouts.udp), to: path)
    }

    /// Read, rewrite and replace happen under one lock, so a concurrent save is never lost half-way.
    /// Status .config when the existing file cannot be read or has problems, .osError when writing fails.
    static func save(_ update: TimeoutUpdate, to path: String = ConfigPaths.system.main) throws(Failure) -> ConfigSaveOutcome {
        let target = try ConfigAtomicWriter.resolve(path)
        let lock = try ConfigFolderLock(ConfigSystem.directory(of: target), for: path)
        let old: ConfigFileReader.Contents
        do {
            old = try ConfigFileReader.read(target)
        } catch {
            throw Failure.config([error])
        }
        let created = old == .missing
        let before: [UInt8]
        if case .bytes(let bytes) = old { before = bytes } else { before = Array(newFileHeader.utf8) }
        let after = try ConfigRewriter.rewrite(bytes: before, path: path, to: update)
        guard created || after != before else {
            return ConfigSaveOutcome(path: path, target: target, changed: false, created: false)
        }
        try ConfigAtomicWriter.replace(target, with: after, folder: lock.fd, shownAs: path)
        return ConfigSaveOutcome(path: path, target: target, changed: true, created: created)
    }
}

extension ConfigSaver {
    /// `save` and `set --save`: saves into the main file of `paths` and says what happened,
    /// including values a drop-in overrides.
    public static func save(_ timeouts: Timeouts, _ paths: ConfigPaths) throws(Failure) -> String {
        let outcome = try save(timeouts, to: paths.main)
        let values = TimeoutName.allCases.map { "\($0.rawValue) \(timeouts[$0])" }.joined(separator: ", ")
        var text = outcome.changed
            ? "saved \(values) to \(outcome.target)\n"
            : "\(outcome.target) already holds \(values); not rewritten\n"
        if let config = try? ConfigLoader.load(paths) {
            for (name, location) in config.timeoutsOverridden(outside: paths.main).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                text += "note: \(name.rawValue) is overridden by \(location); apply uses that value\n"
            }
        }
        return text
    }
}
