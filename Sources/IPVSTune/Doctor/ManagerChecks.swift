/// Other programs that set the timeouts: keepalived (`lvs_timeouts`) and kube-proxy
/// (`--ipvs-*-timeout`). Each sets its values when it starts; two owners make the kernel's
/// values depend on which one ran last.
public enum ManagerChecks {
    public static func keepalived(_ observed: KeepalivedObservation, config: EffectiveConfig?,
                                  _ context: DoctorContext) -> [DoctorFinding] {
        let path = observed.path
        switch observed.source {
        case .absent:
            return [DoctorFinding(.ok, .keepalived, "no keepalived config (\(path)): keepalived sets no timeouts")]
        case .unreadable(let problem):
            return [DoctorFinding(.info, .keepalived, "cannot read \(path): \(problem); its lvs_timeouts were not checked")]
        case .parsed(let parsed):
            var findings = parsed.problems.map { problem in
                DoctorFinding(.warning, .keepalived, "\(path):\(problem.line): \(problem.message)",
                              fixes: ["edit \(path):\(problem.line), then reload keepalived"])
            }
            findings += parsed.includes.map { include in
                DoctorFinding(.info, .keepalived, "\(path):\(include.line) includes \(include.pattern); doctor does not follow includes, so an lvs_timeouts set there is not checked")
            }
            guard let lvs = parsed.lvsTimeouts, !lvs.values.isEmpty else {
                findings.append(DoctorFinding(.ok, .keepalived, "\(path) sets no lvs_timeouts: keepalived leaves the timeouts alone"))
                return findings
            }
            findings += lvsTimeouts(lvs, parsed, observed, config: config, context)
            return findings
        }
    }

    private static func lvsTimeouts(_ lvs: KeepalivedConfig.Timeouts, _ parsed: KeepalivedConfig,
                                    _ observed: KeepalivedObservation, config: EffectiveConfig?,
                                    _ context: DoctorContext) -> [DoctorFinding] {
        let source = "\(observed.path):\(lvs.line)"
        let compared = ManagedValues(lvs.values, keepalive: observed.keepalive, config: config, kernel: observed.kernel)
        let instead = "in \(observed.path) and reload keepalived, or remove lvs_timeouts and leave the timeouts to ipvstune"
        var findings: [DoctorFinding] = []
        if let (tcp, recommended) = compared.tooLowTCP {
            var better = lvs
            better.values.tcp = recommended
            findings.append(DoctorFinding(.warning, .keepalived,
                "\(source) sets tcp \(tcp), not above the TCP keepalive time \(DoctorText.seconds(observed.keepalive!.time)): every start of keepalived brings back the resets of idle connections that tcp-keepalive describes",
                fixes: ["write '\(better.text)' \(instead)"]))
        }
        if !compared.conflicts.isEmpty {
            var agreed = lvs
            for (name, _, setting) in compared.conflicts { agreed.values[name] = setting.value }
            findings.append(DoctorFinding(.warning, .keepalived,
                "\(source) sets \(compared.conflictText { _ in "" }): \(restores), so the kernel's timeouts change with every start and stop of keepalived",
                fixes: ["write '\(agreed.text)' \(instead)"]))
        }
        let place = observed.namespace.path.map { " in \($0)" } ?? ""
        guard let kernel = observed.kernel else {
            findings.append(DoctorFinding(.info, .keepalived, "cannot read the timeouts keepalived works on\(place): \(observed.kernelProblem ?? "unknown error"); \(source) was not compared with them"))
            return findings
        }
        if !compared.differing.isEmpty {
            let details = compared.differing.map { "\($0.0.rawValue) \($0.1) where the kernel\(place) has \(kernel[$0.0])" }
            findings.append(DoctorFinding(.warning, .keepalived, "\(source) sets \(DoctorText.list(details)): \(notApplied(parsed, pid: observed.pid))",
                fixes: [DoctorFix.set(compared.differing, in: observed.namespace, context)]))
        }
        return findings.isEmpty ? [agreement(source, compared.set, observed, config: config, context)] : findings
    }

    /// Why the kernel lacks keepalived's values.
    private static func notApplied(_ parsed: KeepalivedConfig, pid: Int?) -> String {
        guard let pid else {
            return "keepalived is not running (it sets lvs_timeouts only when it starts, and puts back the values it found when it stops)"
        }
        return parsed.syncDaemon
            ? "something changed them after keepalived (pid \(pid)) started; and \(restores)"
            : "keepalived before 2.1.4 applies lvs_timeouts only when lvs_sync_daemon is configured, and this file configures none; and \(restores)"
    }

    /// Nothing disagrees: ok, or a note when only keepalived holds the values.
    private static func agreement(_ source: String, _ set: [(TimeoutName, UInt32)], _ observed: KeepalivedObservation,
                                  config: EffectiveConfig?, _ context: DoctorContext) -> DoctorFinding {
        let values = DoctorText.values(set)
        let unsaved = set.filter { name, value in config?.timeouts[name]?.value != value }
        if unsaved.isEmpty || observed.namespace.path != nil {
            return DoctorFinding(.ok, .keepalived, "\(source) sets \(values), as the kernel and ipvstune's config have")
        }
        return DoctorFinding(.info, .keepalived,
            "\(source) sets \(values), as the kernel has, but ipvstune's config does not: \(restores), so once it stops the kernel goes back to what it had before (900/120/300 after a boot)",
            fixes: [DoctorFix.set(unsaved, in: NamespaceTarget(path: nil), context)])
    }

    static let restores = "keepalived sets lvs_timeouts only when it starts, and puts back the values it found when it stops"

    public static func kubeProxy(_ processes: [KubeProxyObservation], config: EffectiveConfig?,
                                 _ context: DoctorContext) -> [DoctorFinding] {
        guard !processes.isEmpty else { return [DoctorFinding(.ok, .kubeProxy, "no kube-proxy running")] }
        return processes.flatMap { kubeProxy($0, config: config, context) }
    }

    private static func kubeProxy(_ process: KubeProxyObservation, config: EffectiveConfig?,
                                  _ context: DoctorContext) -> [DoctorFinding] {
        let place = process.namespace.path.map { ", in \($0)" } ?? ""
        let who = "kube-proxy (pid \(process.pid)\(place))"
        let flags = process.flags
        var findings = flags.problems.map { DoctorFinding(.info, .kubeProxy, "\(who): \($0)") }
        if let mode = flags.proxyMode, mode != "ipvs" {
            findings.append(DoctorFinding(.ok, .kubeProxy, "\(who) runs in \(mode) mode and does not touch the IPVS timeouts"))
            return findings
        }
        if flags.timeouts.isEmpty {
            findings.append(DoctorFinding(.ok, .kubeProxy, "\(who) sets no IPVS timeout (no --ipvs-*-timeout above 0s)"))
            if let file = flags.configFile {
                findings.append(DoctorFinding(.info, .kubeProxy, "\(who) reads its settings from \(file) (--config): ipvs.tcpTimeout, tcpFinTimeout and udpTimeout set there are not checked"))
            }
            return findings
        }
        let compared = ManagedValues(flags.timeouts, keepalive: process.keepalive, config: config, kernel: process.kernel)
        let leave = "or with 0s to leave the timeouts to ipvstune"
        if let (tcp, recommended) = compared.tooLowTCP {
            findings.append(DoctorFinding(.warning, .kubeProxy,
                "\(who) sets tcp \(tcp) (\(flags.written[.tcp]!)), not above the TCP keepalive time \(DoctorText.seconds(process.keepalive!.time)): every start of kube-proxy brings back the resets of idle connections that tcp-keepalive describes",
                fixes: ["start kube-proxy with \(flag(.tcp, recommended)) (in its DaemonSet or unit), \(leave)"]))
        }
        if !compared.conflicts.isEmpty {
            let wanted = compared.conflicts.map { flag($0.0, $0.2.value) }.joined(separator: " ")
            findings.append(DoctorFinding(.warning, .kubeProxy,
                "\(who) sets \(compared.conflictText { " (\(flags.written[$0]!))" }): kube-proxy sets them each time it starts, so whichever of the two ran last wins, and each restart of kube-proxy undoes ipvstune",
                fixes: ["start kube-proxy with \(wanted) (in its DaemonSet or unit), \(leave)"]))
        }
        guard let kernel = process.kernel else {
            findings.append(DoctorFinding(.info, .kubeProxy, "cannot read the timeouts of the namespace \(who) runs in: \(process.kernelProblem ?? "unknown error")"))
            return findings
        }
        let differing = compared.differing
        if !differing.isEmpty {
            let details = differing.map { "\($0.0.rawValue) \($0.1) (\(flags.written[$0.0]!))" }
            let now = DoctorText.values(differing.map { ($0.0, kernel[$0.0]) })
            findings.append(DoctorFinding(.warning, .kubeProxy,
                "\(who) set \(DoctorText.list(details)) when it started, but the kernel now has \(now): something changed them since, and the next restart of kube-proxy puts its values back",
                fixes: ["start kube-proxy with \(differing.map { flag($0.0, kernel[$0.0]) }.joined(separator: " ")) to keep the kernel's values, \(leave)",
                        DoctorFix.set(differing, in: process.namespace, context) + " (to go back to kube-proxy's values)"]))
        }
        if findings.allSatisfy({ !$0.severity.isProblem }) {
            let saved = config.map { config in compared.set.allSatisfy { config.timeouts[$0.0] != nil } } ?? false
            findings.append(DoctorFinding(.ok, .kubeProxy, "\(who) sets \(DoctorText.values(compared.set)), as the kernel has\(saved ? " and ipvstune's config says" : "")"))
        }
        return findings
    }

    private static func flag(_ name: TimeoutName, _ seconds: UInt32) -> String {
        "--ipvs-\(name.rawValue)-timeout=\(seconds)s"
    }
}

/// What a manager sets, judged in order: a tcp at or below the keepalive time, then values the
/// config disagrees with, then values the kernel does not hold; each timeout in one group at most.
struct ManagedValues {
    var set: [(TimeoutName, UInt32)]
    /// The value and the one to use instead.
    var tooLowTCP: (UInt32, UInt32)?
    var conflicts: [(TimeoutName, UInt32, ConfigSetting<UInt32>)] = []
    var differing: [(TimeoutName, UInt32)] = []

    init(_ values: TimeoutUpdate, keepalive: TCPKeepalive?, config: EffectiveConfig?, kernel: Timeouts?) {
        set = TimeoutName.allCases.compactMap { name in values[name].map { (name, $0) } }
        var rest = set
        if let tcp = values.tcp, let keepalive, tcp <= keepalive.time {
            tooLowTCP = (tcp, min(keepalive.time + keepalive.interval, TimeoutDuration.maximum))
            rest.removeAll { $0.0 == .tcp }
        }
        conflicts = rest.compactMap { name, value in
            config?.timeouts[name].flatMap { $0.value == value ? nil : (name, value, $0) }
        }
        rest.removeAll { name, _ in conflicts.contains { $0.0 == name } }
        if let kernel { differing = rest.filter { kernel[$0.0] != $0.1 } }
    }

    /// `tcp 900 where ipvstune's config says 7275 (/etc/ipvstune.conf:1)`, with `detail` after the value.
    func conflictText(_ detail: (TimeoutName) -> String) -> String {
        DoctorText.list(conflicts.map { name, value, setting in
            "\(name.rawValue) \(value)\(detail(name)) where ipvstune's config says \(setting.value) (\(setting.location))"
        })
    }
}
