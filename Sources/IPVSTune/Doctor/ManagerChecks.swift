/// Other programs that set the timeouts: keepalived (`lvs_timeouts`) and kube-proxy
/// (`--ipvs-*-timeout`). Each sets its values when it starts; two owners make the kernel's
/// values depend on which one ran last.
enum ManagerChecks {
    static func keepalived(_ observed: KeepalivedObservation, config: EffectiveConfig?,
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
        let rules = KeepalivedRules(observed.version)
        let place = observed.namespace.path.map { " in \($0)" } ?? ""
        if let missing = rules.missing(parsed) {
            return [inert(lvs, source, missing, rules, observed, place, context)]
        }
        let compared = ManagedValues(lvs.values, keepalive: observed.keepalive, config: config, kernel: observed.kernel)
        let reload = "systemctl reload keepalived"
        var findings: [DoctorFinding] = []
        if let (tcp, recommended) = compared.tooLowTCP {
            var better = lvs
            better.values.tcp = recommended
            findings.append(DoctorFinding(.warning, .keepalived,
                "\(source) sets tcp \(tcp), not above the TCP keepalive time \(DoctorText.seconds(observed.keepalive!.time)): every start and reload of keepalived brings back the resets of idle connections that tcp-keepalive describes",
                fixes: [replaceLine(better, observed.path, then: reload), deleteLine(lvs, observed.path, then: reload)]))
        }
        if !compared.conflicts.isEmpty {
            var agreed = lvs
            for (name, _, setting) in compared.conflicts { agreed.values[name] = setting.value }
            findings.append(DoctorFinding(.warning, .keepalived,
                "\(source) sets \(compared.conflictText { _ in "" }): \(rules.lifecycle), so the kernel has keepalived's values while it runs and goes back to ipvstune's when it stops",
                fixes: [replaceLine(agreed, observed.path, then: reload), deleteLine(lvs, observed.path, then: reload)]))
        }
        guard let kernel = observed.kernel else {
            findings.append(DoctorFinding(.info, .keepalived, "cannot read the timeouts keepalived works on\(place): \(observed.kernelProblem ?? "unknown error"); \(source) was not compared with them"))
            return findings
        }
        if !compared.differing.isEmpty {
            let details = compared.differing.map { "\($0.0.rawValue) \($0.1) where the kernel\(place) has \(kernel[$0.0])" }
            let why = observed.pid.map { "something changed them after keepalived (pid \($0)) set them, and its next reload puts its own back; \(rules.lifecycle)" }
                ?? "keepalived is not running; \(rules.lifecycle)"
            findings.append(DoctorFinding(.warning, .keepalived, "\(source) sets \(DoctorText.list(details)): \(why)",
                fixes: [DoctorFix.set(compared.differing, in: observed.namespace, context)]))
        }
        return findings.isEmpty ? [agreement(source, compared.set, observed, rules, config: config, context)] : findings
    }

    /// lvs_timeouts that this keepalived never applies: a warning while the kernel differs.
    private static func inert(_ lvs: KeepalivedConfig.Timeouts, _ source: String, _ missing: String,
                              _ rules: KeepalivedRules, _ observed: KeepalivedObservation, _ place: String,
                              _ context: DoctorContext) -> DoctorFinding {
        let set = TimeoutName.allCases.compactMap { name in lvs.values[name].map { (name, $0) } }
        let never = "\(source) sets \(DoctorText.values(set)), but \(rules.applies), and \(observed.path) \(missing): keepalived never sets these timeouts"
        let remove = deleteLine(lvs, observed.path, then: nil)
        guard let kernel = observed.kernel else {
            return DoctorFinding(.info, .keepalived, "\(never); the kernel's could not be read\(place): \(observed.kernelProblem ?? "unknown error")", fixes: [remove])
        }
        let differing = set.filter { kernel[$0.0] != $0.1 }
        guard !differing.isEmpty else {
            return DoctorFinding(.info, .keepalived, "\(never); the kernel\(place) has these values from elsewhere", fixes: [remove])
        }
        let now = DoctorText.values(differing.map { ($0.0, kernel[$0.0]) })
        return DoctorFinding(.warning, .keepalived, "\(never), and the kernel\(place) has \(now)",
                             fixes: [remove, DoctorFix.set(differing, in: observed.namespace, context) + " (to have keepalived.conf's values)"])
    }

    /// A command that puts `lvs` on its line, or an instruction when the line holds more.
    private static func replaceLine(_ lvs: KeepalivedConfig.Timeouts, _ path: String, then: String?) -> String {
        guard let indent = lvs.indent else {
            return "write '\(lvs.text)' on line \(lvs.line) of \(path)" + (then.map { ", then \($0)" } ?? "")
        }
        return (["sed", "-i", "\(lvs.line)c\\\(indent)\(lvs.text)", path].map(DoctorFix.shellQuoted).joined(separator: " "))
            + (then.map { " && \($0)" } ?? "")
    }

    private static func deleteLine(_ lvs: KeepalivedConfig.Timeouts, _ path: String, then: String?) -> String {
        guard lvs.indent != nil else {
            return "remove lvs_timeouts from line \(lvs.line) of \(path)" + (then.map { ", then \($0)" } ?? "")
        }
        return (["sed", "-i", "\(lvs.line)d", path].map(DoctorFix.shellQuoted).joined(separator: " "))
            + (then.map { " && \($0)" } ?? "")
    }

    /// Nothing disagrees: ok, or a note when only keepalived holds the values.
    private static func agreement(_ source: String, _ set: [(TimeoutName, UInt32)], _ observed: KeepalivedObservation,
                                  _ rules: KeepalivedRules, config: EffectiveConfig?, _ context: DoctorContext) -> DoctorFinding {
        let values = DoctorText.values(set)
        let unsaved = set.filter { name, value in config?.timeouts[name]?.value != value }
        if unsaved.isEmpty || observed.namespace.path != nil {
            return DoctorFinding(.ok, .keepalived, "\(source) sets \(values), as the kernel and ipvstune's config have")
        }
        return DoctorFinding(.info, .keepalived,
            "\(source) sets \(values), as the kernel has, but ipvstune's config does not: \(rules.lifecycle), so once it stops the kernel goes back to what it had before (900/120/300 after a boot)",
            fixes: [DoctorFix.set(unsaved, in: NamespaceTarget(path: nil), context)])
    }

    static func kubeProxy(_ processes: [KubeProxyObservation], config: EffectiveConfig?,
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
        if let problem = process.configProblem {
            findings.append(DoctorFinding(.info, .kubeProxy, "\(who): \(problem); its mode and IPVS timeouts, which that file decides, were not checked"))
            return findings
        }
        guard flags.mode == "ipvs" else {
            let given = flags.proxyMode.map { $0.isEmpty ? " (the default)" : "" } ?? " (the default)"
            findings.append(DoctorFinding(.ok, .kubeProxy, "\(who) runs in \(flags.mode) mode\(given) and does not touch the IPVS timeouts"))
            return findings
        }
        findings.append(DoctorFinding(.info, .kubeProxy, "\(who) runs in IPVS mode, deprecated since Kubernetes 1.35: nftables mode is the recommended replacement"))
        if flags.timeouts.isEmpty {
            findings.append(DoctorFinding(.ok, .kubeProxy, "\(who) sets no IPVS timeout (\(flags.fromFile ? "no ipvs.*Timeout" : "no --ipvs-*-timeout") above 0s)"))
            return findings
        }
        let compared = ManagedValues(flags.timeouts, keepalive: process.keepalive, config: config, kernel: process.kernel)
        let leave = "or with 0s to leave the timeouts to ipvstune"
        if let (tcp, recommended) = compared.tooLowTCP {
            findings.append(DoctorFinding(.warning, .kubeProxy,
                "\(who) sets tcp \(tcp) (\(flags.written[.tcp]!)), not above the TCP keepalive time \(DoctorText.seconds(process.keepalive!.time)): every start of kube-proxy brings back the resets of idle connections that tcp-keepalive describes",
                fixes: [restart(flags, [(.tcp, recommended)], leave)]))
        }
        if !compared.conflicts.isEmpty {
            findings.append(DoctorFinding(.warning, .kubeProxy,
                "\(who) sets \(compared.conflictText { " (\(flags.written[$0]!))" }): kube-proxy sets them each time it starts, so whichever of the two ran last wins, and each restart of kube-proxy undoes ipvstune",
                fixes: [restart(flags, compared.conflicts.map { ($0.0, $0.2.value) }, leave)]))
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
                fixes: [restart(flags, differing.map { ($0.0, kernel[$0.0]) }, leave, why: " to keep the kernel's values"),
                        DoctorFix.set(differing, in: process.namespace, context) + " (to go back to kube-proxy's values)"]))
        }
        if findings.allSatisfy({ !$0.severity.isProblem }) {
            let saved = config.map { config in compared.set.allSatisfy { config.timeouts[$0.0] != nil } } ?? false
            findings.append(DoctorFinding(.ok, .kubeProxy, "\(who) sets \(DoctorText.values(compared.set)), as the kernel has\(saved ? " and ipvstune's config says" : "")"))
        }
        return findings
    }

    /// Where kube-proxy's values are changed: its flags, or its --config file when it has one.
    private static func restart(_ flags: KubeProxyFlags, _ values: [(TimeoutName, UInt32)], _ leave: String,
                                why: String = "") -> String {
        if flags.fromFile {
            let keys = values.map { name, seconds in
                "ipvs.\(KubeProxyConfigFile.keys.first { $0.1 == name }!.0): \(seconds)s"
            }.joined(separator: ", ")
            return "set \(keys) in \(flags.configFile ?? "its --config file") (with kubeadm, the kube-proxy ConfigMap), then restart kube-proxy\(why), \(leave)"
        }
        let wanted = values.map { "--ipvs-\($0.0.rawValue)-timeout=\($0.1)s" }.joined(separator: " ")
        return "start kube-proxy with \(wanted) (in its DaemonSet or unit)\(why), \(leave)"
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
