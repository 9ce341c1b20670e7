/// Whether the timeouts survive a reboot and reach every namespace: the config, its drift from
/// the kernel, the boot unit, and namespaces still on the defaults.
enum ConfigChecks {
    /// The config as a whole. nil when it is valid and sets timeouts: drift then speaks for it.
    static func config(_ check: ConfigCheck, _ context: DoctorContext) -> DoctorFinding? {
        let paths = context.configPaths
        if let first = check.problems.first {
            let more = check.problems.count > 1 ? " (and \(DoctorText.plural(check.problems.count - 1, "more problem")))" : ""
            return DoctorFinding(.error, .config,
                "the config cannot be applied: \(first.description)\(more); apply refuses it, so ipvstune.service fails at boot and sets nothing",
                fixes: ["correct what the message names; \(DoctorFix.showConfig(context)) lists every problem"])
        }
        guard let config = check.config else {
            return DoctorFinding(.warning, .config,
                "no config: neither \(paths.main) nor \(paths.dropInPattern) exists, so nothing sets the timeouts at boot and every reboot brings back 900/120/300",
                fixes: [DoctorFix.save(context)])
        }
        if config.timeouts.isEmpty {
            return DoctorFinding(.info, .config,
                "the config (\(config.files.joined(separator: ", "))) sets no timeout: apply and ipvstune.service leave the kernel's values as they are",
                fixes: [DoctorFix.save(context)])
        }
        return nil
    }

    /// The kernel differs from what apply would set.
    static func drift(_ observed: NamespaceObservation, _ config: EffectiveConfig, _ context: DoctorContext) -> DoctorFinding? {
        let configured = TimeoutName.allCases.compactMap { name in config.timeouts[name].map { (name, $0) } }
        guard !configured.isEmpty else { return nil }
        let differing = configured.filter { observed.timeouts[$0.0] != $0.1.value }
        guard !differing.isEmpty else {
            let values = DoctorText.values(configured.map { ($0.0, $0.1.value) })
            return DoctorFinding(.ok, .config, "the kernel holds the config's timeouts: \(values) (\(config.files.joined(separator: ", ")))")
        }
        let details = differing.map { name, setting in
            "\(name.rawValue) is \(observed.timeouts[name]), the config says \(setting.value) (\(setting.location))"
        }
        let why = observed.target.path == nil
            ? "something changed them after boot, or apply has not run since the config was edited"
            : "this namespace was created or changed after the last apply"
        return DoctorFinding(.warning, .config, "the kernel differs from the config: \(DoctorText.list(details)); \(why)",
                             fixes: [DoctorFix.apply(in: observed.target, context)])
    }

    static func bootUnit(_ state: BootUnitState) -> DoctorFinding {
        let enable = "systemctl enable \(BootUnit.name)"
        let consequence = "the config is not applied at boot, and every boot starts from 900/120/300"
        switch state {
        case .enabled(let link):
            return DoctorFinding(.ok, .bootUnit, "\(BootUnit.name) is enabled (\(link)): the config is applied at every boot")
        case .masked(let path):
            return DoctorFinding(.warning, .bootUnit, "\(BootUnit.name) is masked (\(path) links to /dev/null): \(consequence)",
                                 fixes: ["systemctl unmask \(BootUnit.name) && \(enable)"])
        case .dangling(let link):
            return DoctorFinding(.warning, .bootUnit, "\(BootUnit.name) is enabled by \(link), but the unit file is nowhere to be found: \(consequence)",
                                 fixes: ["reinstall ipvstune (make install, or its package), then: systemctl reenable \(BootUnit.name)"])
        case .disabled(let unit):
            return DoctorFinding(.warning, .bootUnit, "\(BootUnit.name) is installed (\(unit)) but not enabled (no link in a *.target.wants folder): \(consequence)",
                                 fixes: [enable])
        case .notInstalled:
            return DoctorFinding(.warning, .bootUnit, "\(BootUnit.name) is not installed (not in /etc/systemd/system, /usr/lib/systemd/system or /lib/systemd/system) and not enabled: \(consequence)",
                                 fixes: ["install it (make install, or the ipvstune package), then: \(enable)"])
        }
    }

    /// A new namespace does not inherit the host's timeouts: one with services still on
    /// 900/120/300 has missed every setting.
    static func netnsDefaults(_ scans: [NamespaceScan], config: EffectiveConfig?, _ context: DoctorContext) -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        for scan in scans {
            if let problem = scan.problem {
                findings.append(DoctorFinding(.info, .netnsDefaults, "cannot look into \(scan.target.label): \(problem)"))
                continue
            }
            guard scan.services > 0, scan.timeouts == .kernelDefaults else { continue }
            var fixes = [DoctorFix.apply(in: NamespaceTarget(path: nil), context, extra: ["--all-netns"])]
            let pattern = suggestedPattern(scan.target.path ?? "")
            let main = context.configPaths.main
            if let config, !config.netns.contains(where: { $0.value == pattern }) {
                fixes.append("add the line 'netns = \(pattern)' to \(main), so every apply (and boot) covers it")
            } else if config == nil {
                fixes.append("with a config (\(DoctorFix.save(context))), add the line 'netns = \(pattern)' to \(main)")
            }
            findings.append(DoctorFinding(.warning, .netnsDefaults,
                "\(scan.target.label) has \(DoctorText.plural(scan.services, "IPVS service")) but still runs the kernel's defaults 900/120/300: a new namespace does not inherit the host's timeouts, so its idle connections are reset after 15 minutes",
                fixes: fixes))
        }
        if findings.allSatisfy({ $0.severity != .warning }) {
            let checked = scans.filter { $0.problem == nil }.count
            let message = scans.isEmpty
                ? "no other network namespaces in \(context.namespaceDirectories.joined(separator: " or "))"
                : "none of \(DoctorText.plural(checked, "other network namespace")) runs the default timeouts with IPVS services"
            findings.insert(DoctorFinding(.ok, .netnsDefaults, message), at: 0)
        }
        return findings
    }

    /// Docker makes one lb_* namespace per overlay network: a glob covers the ones to come.
    static func suggestedPattern(_ path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard let last = parts.last, last.hasPrefix("lb_"), path.contains("/docker/netns/") else { return path }
        return parts.dropLast().joined(separator: "/") + "/lb_*"
    }
}
