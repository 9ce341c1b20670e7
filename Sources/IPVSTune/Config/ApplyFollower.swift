import Glibc

/// `apply --all-netns --follow`: the config in every namespace, and in each new one the moment
/// its nsfs mount appears in /run/netns or /run/docker/netns; again everywhere when the config
/// changes or on SIGHUP, until SIGTERM.
///
/// Every wake-up is one pass: read the mount table, report the namespaces whose mount went away
/// (and forget them), then apply in every namespace. Apply reads the timeouts and sets only what
/// differs, so a namespace already in place costs one GET, and one made again at the same path
/// between two reads (same path, mount ID and inode) is caught all the same. The host's own
/// namespace is applied after a config change or SIGHUP only, never at start nor for a mount:
/// ipvstune.service sets it at boot (the follower starts after it), a package upgrade that
/// restarts the follower must leave the kernel's timeouts alone, and a manager such as
/// keepalived may set them afterwards (`doctor` reports that conflict).
/// A config that fails to load is reported and the last good one stays in force.
public final class ApplyFollower {
    public typealias ApplyIn = (NamespaceTarget, EffectiveConfig?) -> Result<ApplyOutcome, Failure>

    let source: FollowSource
    let loadConfig: () -> Result<EffectiveConfig?, Failure>
    let applyIn: ApplyIn
    /// Prints an event; false when the output is closed, which ends the run.
    let emit: (FollowEvent) -> Bool
    /// One line on stderr.
    let warn: (String) -> Void
    var now: () -> String = Clock.rfc3339
    /// The starting namespace's inode: a mount of it in the folders is not another namespace.
    var hostInode: UInt64? = FileIdentity("/proc/self/ns/net")?.inode
    /// The config's `netns =` paths and globs that are namespaces now.
    var configured: ([String]) -> [NamespaceTarget] = { NamespaceDiscovery.configured($0).filter { $0.path != nil } }
    var namespaces = NamespaceFollower()

    private(set) var config: EffectiveConfig?
    /// The last failure said per namespace, so a namespace that keeps failing is said once.
    private var failed: [String: String] = [:]

    public init(config: EffectiveConfig?, source: FollowSource, loadConfig: @escaping () -> Result<EffectiveConfig?, Failure>,
                applyIn: @escaping ApplyIn, emit: @escaping (FollowEvent) -> Bool, warn: @escaping (String) -> Void) {
        self.config = config
        self.source = source
        self.loadConfig = loadConfig
        self.applyIn = applyIn
        self.emit = emit
        self.warn = warn
    }

    /// Applies in every namespace but the host's, calls `ready`, then follows until a stop
    /// signal or a closed output.
    public func run(ready: () -> Void) {
        guard pass(host: false) else { return }
        ready()
        while true {
            let wake = source.next()
            switch wake {
            case .stop: return
            case .config, .reload: reload()
            case .mounts: break
            }
            guard pass(host: wake != .mounts) else { return }
        }
    }

    private func reload() {
        switch loadConfig() {
        case .success(let loaded): config = loaded
        case .failure(let failure):
            let message = "\(failure.message): keeping the settings loaded before"
            warn(message)
            _ = emit(FollowEvent(kind: .configError, time: now(), message: message))
        }
    }

    /// One look at every namespace (the host's too with `host`); false when the output is closed.
    func pass(host: Bool) -> Bool {
        let (present, gone) = namespaces.update(source.mountTable(), hostInode: hostInode)
        for path in gone {
            failed[path] = nil
            guard emit(FollowEvent(kind: .gone, time: now(), netns: path)) else { return false }
        }
        var targets = (host ? [NamespaceTarget(path: nil)] : []) + present.map { NamespaceTarget(path: $0.path) }
        let mounted = Set(targets)
        targets += configured(config?.netns.map(\.value) ?? []).filter { !mounted.contains($0) }
        for target in targets {
            switch applyIn(target, config) {
            case .success(let outcome):
                failed[target.label] = nil
                guard outcome.changedSomething else { continue }
                let event = FollowEvent(kind: .set, time: now(), netns: target.label, before: outcome.before, after: outcome.after)
                guard emit(event) else { return false }
            case .failure(let failure):
                // Gone between the read and the visit is not worth a line: the next read says so.
                if target.path != nil && !NamespaceDiscovery.isNetworkNamespace(target.path!) { continue }
                if failed[target.label] != failure.message { warn("\(target.label): \(failure.message)") }
                failed[target.label] = failure.message
            }
        }
        return true
    }
}
