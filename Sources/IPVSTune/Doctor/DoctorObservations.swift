/// Everything the checks look at, gathered beforehand: the checks themselves are pure functions
/// of these values, so they are tested without a kernel.

/// A namespace's TCP keepalive settings (net.ipv4.tcp_keepalive_time and _intvl, per namespace).
struct TCPKeepalive: Equatable, Sendable {
    /// Idle seconds before the first probe.
    var time: UInt32
    /// Seconds between probes.
    var interval: UInt32

    static let kernelDefaults = TCPKeepalive(time: 7200, interval: 75)
}

/// One namespace's IPVS as the timeout checks need it.
struct NamespaceObservation: Equatable, Sendable {
    var target: NamespaceTarget
    var timeouts: Timeouts
    var services: [VirtualService] = []
    /// nil when /proc/sys could not be read; `keepaliveProblem` then says why.
    var keepalive: TCPKeepalive? = .kernelDefaults
    var keepaliveProblem: String?
    /// The host, or the namespace named with --netns: checked even without services.
    var isPrimary = true
    /// `apply` covers it: the host, or a namespace the config's `netns =` lines name.
    var coveredByConfig = true
    /// The connection table's cap and fill (Linux 7.x); nil on kernels without conn_max.
    var connLimit: ConnLimit? = nil
}

/// Another namespace's timeouts and service count, for the netns-defaults check.
struct NamespaceScan: Equatable, Sendable {
    var target: NamespaceTarget
    /// nil when the namespace could not be read; `problem` says why.
    var timeouts: Timeouts?
    var services: Int
    var problem: String?
}

/// keepalived.conf, and the timeouts of the namespace keepalived works in.
struct KeepalivedObservation: Equatable, Sendable {
    enum Source: Equatable, Sendable {
        case absent
        case unreadable(String)
        case parsed(KeepalivedConfig)
    }

    var path: String
    var source: Source
    /// The host's namespace, or the one its `net_namespace` names.
    var namespace = NamespaceTarget(path: nil)
    /// That namespace's timeouts; nil when they could not be read (`kernelProblem` says why).
    var kernel: Timeouts?
    var kernelProblem: String?
    /// That namespace's TCP keepalive settings, when readable.
    var keepalive: TCPKeepalive? = .kernelDefaults
    /// The keepalived process, when one runs.
    var pid: Int?
    /// keepalived's version (dpkg's record, else `keepalived --version`); nil when neither told.
    var version: KeepalivedVersion?

    var config: KeepalivedConfig? {
        if case .parsed(let config) = source { return config }
        return nil
    }
}

/// A running kube-proxy, its settings (flags, or its --config file), and the timeouts of the namespace it runs in.
struct KubeProxyObservation: Equatable, Sendable {
    var pid: Int
    var flags: KubeProxyFlags
    /// The namespace it runs in.
    var namespace = NamespaceTarget(path: nil)
    var kernel: Timeouts?
    var kernelProblem: String?
    var keepalive: TCPKeepalive? = .kernelDefaults
    /// Why the --config file could not be read (then `flags` are the command line's alone).
    var configProblem: String?
}

/// What is checked once for the whole system: config, boot unit, other managers, other namespaces.
struct SystemObservation: Equatable, Sendable {
    var config: ConfigCheck
    var bootUnit: BootUnitState
    var keepalived: KeepalivedObservation
    var kubeProxies: [KubeProxyObservation] = []
    /// Every namespace in /run/netns and /var/run/docker/netns but the host's.
    var otherNamespaces: [NamespaceScan] = []
}

/// What fix commands must repeat so they act on the same files the doctor read.
struct DoctorContext: Equatable, Sendable {
    var configPaths: ConfigPaths = .system
    /// The path given with --config, repeated in fix commands; nil for /etc/ipvstune.conf.
    var configArgument: String?

    /// Where other namespaces were looked for, for messages.
    var namespaceDirectories: [String] = NamespaceDiscovery.directories
}
