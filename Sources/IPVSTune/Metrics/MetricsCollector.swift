/// What `metrics` reads in one namespace.
struct NamespaceMetrics: Equatable, Sendable {
    var timeouts: Timeouts
    /// nil when /proc/sys/net/ipv4 could not be read.
    var keepalive: TCPKeepalive?
    var services: [VirtualService] = []
    var table = TableCount()
}

/// One namespace that answered: its label, whether the config is meant for it, what it holds.
struct ScrapedNamespace: Equatable, Sendable {
    var netns: String
    /// `apply` sets the config there: the host (or the namespace named), and the config's `netns =`.
    var coveredByConfig: Bool
    var metrics: NamespaceMetrics
}

/// Everything one run of `metrics` found: the input of `MetricsReport`.
public struct MetricsScrape: Equatable, Sendable {
    var namespaces: [ScrapedNamespace] = []
    /// Namespaces listed but gone (or without IPVS) by the time they were read: left out.
    var errors = 0
    var config: ConfigCheck
    var lastApply: ApplyRecord?
    public var seconds = 0.0

    init(config: ConfigCheck, lastApply: ApplyRecord? = nil) {
        self.config = config
        self.lastApply = lastApply
    }
}

/// Reads every namespace in scope, one after the other in this process, as `get --all-netns`.
public struct MetricsCollector {
    public enum Scope: Equatable, Sendable {
        /// The namespace the process is in, labelled "host".
        case current
        /// `--netns NAME`: the process has entered it already; NAME is its label.
        case named(String)
        /// `--all-netns`: the host, the namespace folders and the config's `netns =` paths.
        case all
    }

    var visitor: NamespaceVisiting
    /// Opens IPVS in the namespace the calling thread is in.
    var openIPVS: () throws(Failure) -> IPVSControl
    var readTable: () throws(Failure) -> TableCount = { () throws(Failure) in try TableCount.read() }
    var readKeepalive: () -> TCPKeepalive? = { try? TCPKeepalive.read(procSys: "/proc/sys").get() }
    /// The host first, then the folders' namespaces and those matching the globs.
    var discover: ([String]) -> [NamespaceTarget] = { NamespaceDiscovery.all(patterns: $0) }
    /// The namespaces the config's `netns =` globs name.
    var configured: ([String]) -> [NamespaceTarget] = { NamespaceDiscovery.configured($0) }

    public init(visitor: NamespaceVisiting, openIPVS: @escaping () throws(Failure) -> IPVSControl) {
        self.visitor = visitor
        self.openIPVS = openIPVS
    }

    /// The first namespace must answer, or this throws as `get` would; any other that fails
    /// is counted in `errors` and left out.
    public func collect(_ scope: Scope, config: ConfigCheck, lastApply: ApplyRecord?) throws(Failure) -> MetricsScrape {
        var scrape = MetricsScrape(config: config, lastApply: lastApply)
        let patterns = config.config?.netns.map(\.value) ?? []
        let targets: [NamespaceTarget] = scope == .all ? discover(patterns) : [NamespaceTarget(path: nil)]
        let covered = Coverage(configured(patterns))
        for (index, target) in targets.enumerated() {
            let result = visitor.visit(target) { () throws(Failure) -> NamespaceMetrics in try read() }
            switch result {
            case .success(let metrics):
                let label = if case .named(let name) = scope { name } else { target.label }
                scrape.namespaces.append(ScrapedNamespace(netns: label, coveredByConfig: covered.contains(target), metrics: metrics))
            case .failure(let failure):
                if index == 0 { throw failure }
                scrape.errors += 1
            }
        }
        return scrape
    }

    /// Inside the namespace: its timeouts, keepalive, services and table.
    func read() throws(Failure) -> NamespaceMetrics {
        let ipvs = try openIPVS()
        let timeouts = try ipvs.timeouts()
        let services = try ipvs.services()
        return NamespaceMetrics(timeouts: timeouts, keepalive: readKeepalive(), services: services, table: try readTable())
    }

    /// The namespaces `apply` sets: the starting one, and the config's by path or by identity.
    struct Coverage {
        var paths: Set<String>
        var identities: Set<FileIdentity>

        init(_ targets: [NamespaceTarget]) {
            paths = Set(targets.compactMap(\.path))
            identities = Set(paths.compactMap(FileIdentity.init))
        }

        func contains(_ target: NamespaceTarget) -> Bool {
            guard let path = target.path else { return true }
            return paths.contains(path) || FileIdentity(path).map(identities.contains) ?? false
        }
    }
}
