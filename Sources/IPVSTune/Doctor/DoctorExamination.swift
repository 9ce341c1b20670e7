import Glibc

/// Runs code inside a network namespace and comes back: NamespaceVisitor, or a stand-in in tests.
public protocol NamespaceVisiting {
    func visit<T>(_ target: NamespaceTarget, _ body: () throws(Failure) -> T) -> Result<T, Failure>
}

extension NamespaceVisitor: NamespaceVisiting {}

/// Every file doctor reads, so tests can point each at a folder of their own.
public struct DoctorPaths: Equatable, Sendable {
    var procSys = "/proc/sys"
    var proc = "/proc"
    public var keepalivedConf = "/etc/keepalived/keepalived.conf"
    /// keepalived's version comes from dpkg's record, else from the first of these that runs.
    var dpkgStatus = "/var/lib/dpkg/status"
    var keepalivedPrograms = ["/usr/sbin/keepalived", "/usr/local/sbin/keepalived", "/sbin/keepalived"]
    var systemdDirectories = BootUnit.directories
    var namespaceDirectories = NamespaceDiscovery.directories
    /// Where keepalived's `net_namespace NAME` lives (/var/run/netns, which is /run/netns).
    var namedNamespaces = NetworkNamespace.namedDirectory
    public var config = ConfigPaths.system

    init() {}

    public static let system = DoctorPaths()
}

/// Which namespaces get the per-namespace checks.
public enum DoctorScope: Equatable, Sendable {
    /// The namespace doctor runs in.
    case current
    /// `--netns`: this namespace file.
    case namespace(String)
    /// `--all-netns`: the host, every namespace in the namespace folders, and the config's `netns =`.
    case all
}

/// `doctor`: gathers observations (the only part that touches the system), then runs the pure
/// checks over them.
public struct DoctorExamination {
    var paths: DoctorPaths
    /// The path given with --config, repeated in fix commands.
    var configArgument: String?
    var visitor: NamespaceVisiting
    /// Opens IPVS in the namespace the calling thread is in.
    var openIPVS: () throws(Failure) -> IPVSControl
    /// Judge the config as `apply` does, insecure files included.
    var requireSecureConfig = true
    /// Lists namespaces: the host first, then those in the folders and matching the globs.
    var discover: ([String], [String]) -> [NamespaceTarget] = { NamespaceDiscovery.all(directories: $0, patterns: $1) }

    public init(paths: DoctorPaths = .system, configArgument: String? = nil, visitor: NamespaceVisiting,
                openIPVS: @escaping () throws(Failure) -> IPVSControl) {
        self.paths = paths
        self.configArgument = configArgument
        self.visitor = visitor
        self.openIPVS = openIPVS
    }

    /// Failures in the namespace(s) named (or the host) end the run: nothing can be judged
    /// without IPVS. Any other namespace that cannot be read becomes a finding.
    public func examine(_ scope: DoctorScope) throws(Failure) -> DoctorReport {
        let context = DoctorContext(configPaths: paths.config, configArgument: configArgument,
                                    namespaceDirectories: paths.namespaceDirectories)
        let configCheck = ConfigLoader.check(paths.config, requireSecure: requireSecureConfig)
        let config = configCheck.config
        let patterns = config?.netns.map(\.value) ?? []
        let discovered = discover(paths.namespaceDirectories, [])
        let covered = Set(discover([], patterns).compactMap { $0.path.flatMap(FileIdentity.init) })

        let targets: [NamespaceTarget] = switch scope {
        case .current: [NamespaceTarget(path: nil)]
        case .namespace(let path): [NamespaceTarget(path: path)]
        case .all: discover(paths.namespaceDirectories, patterns)
        }
        var results: [PerNamespace<NamespaceObservation>] = []
        for target in targets {
            let primary = scope != .all || target.path == nil
            let result = visitor.visit(target) { () throws(Failure) in
                try observe(target, primary: primary, covered: covered)
            }
            if case .failure(let failure) = result, primary { throw failure }
            results.append(PerNamespace(target: target, result: result))
        }

        let processes = ProcessTable.find(["kube-proxy", "hyperkube", "keepalived"], proc: paths.proc)
        let system = SystemObservation(
            config: configCheck,
            bootUnit: BootUnit.state(directories: paths.systemdDirectories),
            keepalived: observeKeepalived(processes),
            kubeProxies: processes.filter(KubeProxyFlags.isKubeProxy).map { observeKubeProxy($0, discovered) },
            otherNamespaces: scope == .all ? results.filter { $0.target.path != nil }.map(Self.scan) : scanOthers(discovered))
        return DoctorReport(findings: DoctorChecks.findings(namespaces: results, system: system, context),
                            groupedByNamespace: scope == .all)
    }

    /// Runs inside the namespace: its IPVS, and its own /proc/sys/net.
    func observe(_ target: NamespaceTarget, primary: Bool, covered: Set<FileIdentity>) throws(Failure) -> NamespaceObservation {
        let ipvs = try openIPVS()
        let timeouts = try ipvs.timeouts()
        let services = try ipvs.services()
        var observed = NamespaceObservation(target: target, timeouts: timeouts, services: services, isPrimary: primary,
                                            coveredByConfig: target.path.flatMap(FileIdentity.init).map(covered.contains) ?? (target.path == nil))
        switch TCPKeepalive.read(procSys: paths.procSys) {
        case .success(let keepalive): observed.keepalive = keepalive
        case .failure(let problem):
            observed.keepalive = nil
            observed.keepaliveProblem = problem.message
        }
        observed.connLimit = ConnLimit.read(procSys: paths.procSys, proc: paths.proc)
        return observed
    }

    static func scan(_ item: PerNamespace<NamespaceObservation>) -> NamespaceScan {
        switch item.result {
        case .success(let observed):
            return NamespaceScan(target: item.target, timeouts: observed.timeouts, services: observed.services.count)
        case .failure(let failure):
            return NamespaceScan(target: item.target, timeouts: nil, services: 0, problem: failure.message)
        }
    }

    /// The other namespaces' timeouts and service counts, for netns-defaults.
    func scanOthers(_ discovered: [NamespaceTarget]) -> [NamespaceScan] {
        discovered.filter { $0.path != nil }.map { target in
            let result = visitor.visit(target) { () throws(Failure) -> (Timeouts, Int) in
                let ipvs = try openIPVS()
                return (try ipvs.timeouts(), try ipvs.services().count)
            }
            switch result {
            case .success(let (timeouts, services)): return NamespaceScan(target: target, timeouts: timeouts, services: services)
            case .failure(let failure): return NamespaceScan(target: target, timeouts: nil, services: 0, problem: failure.message)
            }
        }
    }

    /// A manager's namespace: its timeouts, and its keepalive time to judge the manager's values by.
    func kernelTimeouts(in target: NamespaceTarget) -> (Timeouts?, String?, TCPKeepalive?) {
        let result = visitor.visit(target) { () throws(Failure) -> (Timeouts, TCPKeepalive?) in
            (try openIPVS().timeouts(), try? TCPKeepalive.read(procSys: paths.procSys).get())
        }
        switch result {
        case .success(let (timeouts, keepalive)): return (timeouts, nil, keepalive)
        case .failure(let failure): return (nil, failure.message, nil)
        }
    }

    func observeKeepalived(_ processes: [RunningProcess]) -> KeepalivedObservation {
        let path = paths.keepalivedConf
        var observed = KeepalivedObservation(path: path, source: .absent,
                                             pid: processes.first { $0.name == "keepalived" }?.pid)
        switch SystemFiles.text(path) {
        case .success(let text): observed.source = .parsed(KeepalivedConfig.parse(text))
        case .failure(let error) where error.code == ENOENT: return observed
        case .failure(let error):
            observed.source = .unreadable(error.description)
            return observed
        }
        guard let parsed = observed.config, !(parsed.lvsTimeouts?.values.isEmpty ?? true) else { return observed }
        observed.version = keepalivedVersion()
        if let name = parsed.netNamespace { observed.namespace = NamespaceTarget(path: "\(paths.namedNamespaces)/\(name)") }
        (observed.kernel, observed.kernelProblem, observed.keepalive) = kernelTimeouts(in: observed.namespace)
        return observed
    }

    /// dpkg's record when the package is installed (no process to start), else `--version`.
    func keepalivedVersion() -> KeepalivedVersion? {
        // dpkg's status lists every package: a large system's passes the usual 1 MiB bound.
        if case .success(let bytes) = SystemFiles.read(paths.dpkgStatus, limit: 64 << 20),
           let version = KeepalivedVersion.dpkgStatus(String(decoding: bytes, as: UTF8.self)) {
            return version
        }
        for program in paths.keepalivedPrograms where access(program, X_OK) == 0 {
            if case .success(let exit) = POSIX.run(program, ["--version"], outputLimit: 65_536) {
                return KeepalivedVersion.banner(String(decoding: exit.output, as: UTF8.self))
            }
        }
        return nil
    }

    func observeKubeProxy(_ process: RunningProcess, _ discovered: [NamespaceTarget]) -> KubeProxyObservation {
        var flags = KubeProxyFlags.parse(process.arguments)
        var problem: String?
        if let file = flags.configFile {
            // The path is kube-proxy's own: inside its container, relative to its working folder.
            let seen = file.hasPrefix("/") ? "\(paths.proc)/\(process.pid)/root\(file)" : "\(paths.proc)/\(process.pid)/cwd/\(file)"
            switch SystemFiles.text(seen) {
            case .success(let text): flags = flags.applying(KubeProxyConfigFile.parse(text))
            case .failure(let error): problem = "cannot read \(file) (--config, as \(seen)): \(error)"
            }
        }
        let namespace = namespace(of: process, discovered)
        var observed = KubeProxyObservation(pid: process.pid, flags: flags, namespace: namespace, kernel: nil, configProblem: problem)
        if !flags.setsNothing { (observed.kernel, observed.kernelProblem, observed.keepalive) = kernelTimeouts(in: namespace) }
        return observed
    }

    /// The host's when it is the host's; otherwise the discovered namespace of the same
    /// identity, by its name; otherwise the process's own namespace file.
    func namespace(of process: RunningProcess, _ discovered: [NamespaceTarget]) -> NamespaceTarget {
        guard let identity = FileIdentity(process.namespacePath) else { return NamespaceTarget(path: nil) }
        if identity == FileIdentity("\(paths.proc)/self/ns/net") { return NamespaceTarget(path: nil) }
        return discovered.first { $0.path.flatMap(FileIdentity.init) == identity } ?? NamespaceTarget(path: process.namespacePath)
    }
}
