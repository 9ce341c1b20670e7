import CIPVS

import Glibc

/// The kernel's side of following: `poll()` on an open /proc/self/mountinfo returns
/// POLLPRI|POLLERR after every mount or unmount in this mount namespace (as systemd watches
/// mounts), inotify reports changes of the config files, and a signalfd the signals. Nothing
/// is polled at an interval: the process sleeps in `poll()` until one of them speaks.
///
/// The mount table covers every folder, so a namespace folder made later (Docker installed
/// after boot) needs no watch of its own: its first mount is a change of the table.
public final class MountWatch: FollowSource {
    /// The largest mount table read: about 100,000 mounts.
    static let tableLimit = 16 << 20

    private let mountinfo: Int32
    private var inotify: Int32 = -1
    private var signals: Int32 = -1
    /// The config's folders watched, by watch descriptor: which names in each matter.
    private var watched: [Int32: (folder: String, names: Set<String>?)] = [:]
    private let config: ConfigPaths?

    /// `config` nil: mount changes only (watch). With `config`, changes of the main file and
    /// of the drop-ins wake it too, and SIGHUP, SIGTERM and SIGINT are taken from here on.
    public init(config: ConfigPaths? = nil) throws(Failure) {
        mountinfo = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC)
        guard mountinfo >= 0 else {
            throw Failure("cannot open /proc/self/mountinfo: \(Failure.describe(errno: errno)): is /proc mounted?", status: .osError, errno: errno)
        }
        self.config = config
        guard let config else { return }
        inotify = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard inotify >= 0 else {
            throw Failure("cannot watch the config (inotify): \(Failure.describe(errno: errno))", status: .osError, errno: errno)
        }
        let wanted = [SIGHUP, SIGTERM, SIGINT]
        signals = cipvs_signal_fd(wanted, Int32(wanted.count))
        guard signals >= 0 else {
            throw Failure("cannot take signals (signalfd): \(Failure.describe(errno: -signals))", status: .osError, errno: -signals)
        }
        watchConfig(config)
    }

    deinit {
        close(mountinfo)
        if inotify >= 0 { close(inotify) }
        if signals >= 0 { close(signals) }
    }

    /// The main file's folder (for the file and for the drop-in folder appearing), and the
    /// drop-in folder when it exists. Adding a watch again for the same folder is harmless.
    private func watchConfig(_ config: ConfigPaths) {
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ATTRIB | IN_CREATE)
        let mainFolder = ConfigSystem.directory(of: config.main)
        var names: Set<String> = [ConfigSystem.baseName(of: config.main)]
        if ConfigSystem.directory(of: config.dropInDirectory) == mainFolder { names.insert(ConfigSystem.baseName(of: config.dropInDirectory)) }
        let main = inotify_add_watch(inotify, mainFolder, mask)
        if main >= 0 { watched[main] = (mainFolder, names) }
        let dropIns = inotify_add_watch(inotify, config.dropInDirectory, mask | UInt32(IN_ONLYDIR))
        if dropIns >= 0 { watched[dropIns] = (config.dropInDirectory, nil) }
    }

    public func mountTable() -> [UInt8] {
        guard lseek(mountinfo, 0, SEEK_SET) == 0 else { return [] }
        return (try? POSIX.readAll(mountinfo, limit: Self.tableLimit).get()) ?? []
    }

    /// True when the mount table changed since the last look (or the first time), waiting at
    /// most `milliseconds` for it.
    public func mountsChanged(waiting milliseconds: Int32 = 0) -> Bool {
        var fds = [pollfd(fd: mountinfo, events: Int16(POLLPRI), revents: 0)]
        guard case .success(let count) = POSIX.poll(&fds, timeout: milliseconds) else { return false }
        return count > 0 && fds[0].revents & Int16(POLLPRI | POLLERR) != 0
    }

    public func next() -> FollowWake {
        while true {
            var fds = [pollfd(fd: signals, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: mountinfo, events: Int16(POLLPRI), revents: 0),
                       pollfd(fd: inotify, events: Int16(POLLIN), revents: 0)]
            guard case .success = POSIX.poll(&fds, timeout: -1) else { return .stop }
            if fds[0].revents != 0, let wake = takeSignal() { return wake }
            if fds[1].revents & Int16(POLLPRI | POLLERR) != 0 { return .mounts }
            if fds[2].revents != 0 && configChanged() { return .config }
        }
    }

    private func takeSignal() -> FollowWake? {
        var wake: FollowWake?
        while case let number = cipvs_signal_read(signals), number > 0 {
            wake = number == SIGHUP && wake != .stop ? .reload : .stop
        }
        return wake
    }

    /// Reads every pending inotify event; true when one is about the config.
    private func configChanged() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var relevant = false
        while case .success(let count) = buffer.withUnsafeMutableBytes({ POSIX.read(inotify, into: $0) }), count > 0 {
            var offset = 0
            while offset + 16 <= count {
                let field = { (at: Int) in buffer[offset + at..<offset + at + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
                let descriptor = Int32(bitPattern: field(0))
                let mask = field(4)
                let length = Int(field(12))
                let name = String(decoding: buffer[(offset + 16)..<min(count, offset + 16 + length)].prefix { $0 != 0 }, as: UTF8.self)
                offset += 16 + length
                if mask & UInt32(IN_IGNORED) != 0 { watched[descriptor] = nil; relevant = true; continue }
                guard let folder = watched[descriptor] else { continue }
                if let names = folder.names, !names.contains(name) { continue }
                relevant = true
            }
        }
        // A drop-in folder made (or made again) since: watch it from now on.
        if relevant, let config { watchConfig(config) }
        return relevant
    }
}
