/// Everything the checks look at, gathered beforehand: the checks themselves are pure functions
/// of these values, so they are tested without a kernel.

/// A namespace's TCP keepalive settings (net.ipv4.tcp_keepalive_time and _intvl, per namespace).
public struct TCPKeepalive: Equatable, Sendable {
    /// Idle seconds before the first probe.
    public var time: UInt32
    /// Seconds between probes.
    public var interval: UInt32

    public init(time: UInt32, interval: UInt32) {
        self.time = time
        self.interval = interval
    }

    public static let kernelDefaults = TCPKeepalive(time: 7200, interval: 75)
}

/// One namespace's IPVS as the timeout checks need it.
public struct NamespaceObservation: Equatable, Sendable {
    public var target: NamespaceTarget
    public var timeouts: Timeouts
    public var services: [VirtualService]
    /// nil when /proc/sys could not be read; `keepaliveProblem` then says why.
    public var keepalive: TCPKeepalive?
    public var keepaliveProblem: String?
    /// The host, or the namespace named with --netns: checked even without services.
    public var isPrimary: Bool
    /// `apply` covers it: the host, or a namespace the config's `netns =` lines name.
    public var coveredByConfig: Bool
    /// The connection table's cap and fill (Linux 7.x); nil on kernels without conn_max.
    public var connLimit: ConnLimit? = nil

    public init(target: NamespaceTarget, timeouts: Timeouts, services: [VirtualService] = [],
                keepalive: TCPKeepalive? = .kernelDefaults, keepaliveProblem: String? = nil,
                isPrimary: Bool = true, coveredByConfig: Bool = true) {
        self.target = target
        self.timeouts = timeouts
        self.services = services
        self.keepalive = keepalive
        self.keepaliveProblem = keepaliveProblem
        self.isPrimary = isPrimary
        self.coveredByConfig = coveredByConfig
    }
}

/// Another namespace's timeouts and service count, for the netns-defaults check.
public struct NamespaceScan: Equatable, Sendable {
    public var target: NamespaceTarget
    /// nil when the namespace could not be read; `problem` says why.
    public var timeouts: Timeouts?
    public var services: Int
    public var problem: String?

    public init(target: NamespaceTarget, timeouts: Timeouts?, services: Int, problem: String? = nil) {
        self.target = target
        self.timeouts = timeouts
        self.services = services
        self.problem = problem
    }
}

/// keepalived.conf, and the timeouts of the namespace keepalived works in.
public struct KeepalivedObservation: Equatable, Sendable {
    public enum Source: Equatable, Sendable {
        case absent
        case unreadable(String)
        case parsed(KeepalivedConfig)
    }

    public var path: String
    public var source: Source
    /// The host's namespace, or the one its `net_namespace` names.
    public var namespace: NamespaceTarget
    /// That namespace's timeouts; nil when they could not be read (`kernelProblem` says why).
    public var kernel: Timeouts?
    public var kernelProblem: String?
    /// That namespace's TCP keepalive settings, when readable.
    public var keepalive: TCPKeepalive?
    /// The keepalived process, when one runs.
    public var pid: Int?
    /// keepalived's version (dpkg's record, else `keepalived --version`); nil when neither told.
    public var version: KeepalivedVersion?

    public init(path: String, source: Source, namespace: NamespaceTarget = NamespaceTarget(path: nil), kernel: Timeouts? = nil,
                kernelProblem: String? = nil, keepalive: TCPKeepalive? = .kernelDefaults, pid: Int? = nil,
                version: KeepalivedVersion? = nil) {
        self.path = path
        self.source = source
        self.namespace = namespace
        self.kernel = kernel
        self.kernelProblem = kernelProblem
        self.keepalive = keepalive
        self.pid = pid
        self.version = version
    }

    public var config: KeepalivedConfig? {
        if case .parsed(let config) = source { return config }
        return nil
    }
}

/// A running kube-proxy, its settings (flags, or its --config file), and the timeouts of the namespace it runs in.
public struct KubeProxyObservation: Equatable, Sendable {
    public var pid: Int
    public var flags: KubeProxyFlags
    /// The namespace it runs in.
    public var namespace: NamespaceTarget
    public var kernel: Timeouts?
    public var kernelProblem: String?
    public var keepalive: TCPKeepalive?
    /// Why the --config file could not be read (then `flags` are the command line's alone).
    public var configProblem: String?

    public init(pid: Int, flags: KubeProxyFlags, namespace: NamespaceTarget = NamespaceTarget(path: nil), kernel: Timeouts?,
                kernelProblem: String? = nil, keepalive: TCPKeepalive? = .kernelDefaults, configProblem: String? = nil) {
        self.configProblem = configProblem
        self.pid = pid
        self.flags = flags
        self.namespace = namespace
        self.kernel = kernel
        self.kernelProblem = kernelProblem
        self.keepalive = keepalive
    }
}

/// What is checked once for the whole system: config, boot unit, other managers, other namespaces.
public struct SystemObservation: Equatable, Sendable {
    public var config: ConfigCheck
    public var bootUnit: BootUnitState
    public var keepalived: KeepalivedObservation
    public var kubeProxies: [KubeProxyObservation]
    /// Every namespace in /run/netns and /var/run/docker/netns but the host's.
    public var otherNamespaces: [NamespaceScan]

    public init(config: ConfigCheck, bootUnit: BootUnitState, keepalived: KeepalivedObservation,
                kubeProxies: [KubeProxyObservation] = [], otherNamespaces: [NamespaceScan] = []) {
        self.config = config
        self.bootUnit = bootUnit
        self.keepalived = keepalived
        self.kubeProxies = kubeProxies
        self.otherNamespaces = otherNamespaces
    }
}

/// What fix commands must repeat so they act on the same files the doctor read.
public struct DoctorContext: Equatable, Sendable {
    public var configPaths: ConfigPaths
    /// The path given with --config, repeated in fix commands; nil for /etc/ipvstune.conf.
    public var configArgument: String?

    /// Where other namespaces were looked for, for messages.
    public var namespaceDirectories: [String]

    public init(configPaths: ConfigPaths = .system, configArgument: String? = nil,
                namespaceDirectories: [String] = NamespaceDiscovery.directories) {
        self.configPaths = configPaths
        self.configArgument = configArgument
        self.namespaceDirectories = namespaceDirectories
    }
}
