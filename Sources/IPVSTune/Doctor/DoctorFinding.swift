/// How much a finding matters. Warnings and errors make `doctor` exit 1; ok and info do not.
enum DoctorSeverity: String, CaseIterable, Comparable, Sendable {
    case ok
    case info
    case warning
    case error

    static func < (lhs: DoctorSeverity, rhs: DoctorSeverity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Something an operator should act on.
    var isProblem: Bool { self >= .warning }
}

/// What `doctor` checks. A check reports `ok` when it found nothing wrong, so every check the
/// operator reads about left a line, and scripts can look for one id whatever the outcome.
public enum DoctorCheck: String, CaseIterable, Sendable {
    case tcpKeepalive = "tcp-keepalive"
    case tcpfinTimeout = "tcpfin-timeout"
    case udpTimeout = "udp-timeout"
    case persistence
    case connMax = "conn-max"
    case config
    case bootUnit = "boot-unit"
    case keepalived
    case kubeProxy = "kube-proxy"
    case netnsDefaults = "netns-defaults"
    /// A namespace `--all-netns` could not look into.
    case namespace

    /// One line for `doctor --help`.
    public var summary: String {
        switch self {
        case .tcpKeepalive: "tcp timeout above the TCP keepalive time"
        case .tcpfinTimeout: "tcpfin timeout within \(DoctorThresholds.tcpfin.lowerBound) s to \(DoctorThresholds.tcpfin.upperBound) s"
        case .udpTimeout: "udp timeout within \(DoctorThresholds.udp.lowerBound) s to \(DoctorThresholds.udp.upperBound) s"
        case .persistence: "how persistence holds clients: the 60 s grace; one-packet UDP has none"
        case .connMax: "room below net.ipv4.vs.conn_max for new connections (Linux 7.x)"
        case .config: "a valid config exists and the kernel holds its values"
        case .bootUnit: "ipvstune.service is enabled: the config is applied at boot"
        case .keepalived: "keepalived's lvs_timeouts, by its version's rules, match kernel and config"
        case .kubeProxy: "kube-proxy's IPVS timeouts (flags or --config) match the kernel and config"
        case .netnsDefaults: "no namespace with IPVS services still runs 900/120/300"
        case .namespace: "--all-netns could read every namespace"
        }
    }
}

/// One thing `doctor` found: how much it matters, why in an operator's words, and what fixes it.
struct DoctorFinding: Equatable, Sendable {
    var severity: DoctorSeverity
    var check: DoctorCheck
    /// One sentence: what is the case, and what it does to connections.
    var message: String
    /// Commands (or, where no command exists, one short instruction), the preferred one first.
    var fixes: [String]
    /// The namespace the finding is about ("host" or a path); nil for the system as a whole.
    var namespace: String?

    init(_ severity: DoctorSeverity, _ check: DoctorCheck, _ message: String, fixes: [String] = [],
                namespace: String? = nil) {
        self.severity = severity
        self.check = check
        self.message = message
        self.fixes = fixes
        self.namespace = namespace
    }

    var id: String { check.rawValue }
}

/// Where "unusual" starts for the timeouts without a hard rule. Defaults: tcpfin 120 s, udp 300 s.
enum DoctorThresholds {
    /// Below 30 s a half-closed connection loses its entry while the server is still finishing;
    /// above 10 minutes closed connections crowd the table and skew lc/wlc.
    static let tcpfin: ClosedRange<UInt32> = 30...600
    /// Below 30 s flows with state (QUIC, VPN, SIP keepalives every 20-30 s) are rescheduled;
    /// above an hour a resolver's one-port-per-query traffic fills the table.
    static let udp: ClosedRange<UInt32> = 30...3600
}
