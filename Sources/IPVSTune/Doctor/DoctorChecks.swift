/// Every check over everything gathered: a pure function, so a whole doctor run can be tested
/// from values alone.
enum DoctorChecks {
    /// The per-namespace findings in visiting order (a namespace that could not be read is an
    /// error), then the system's: config, boot unit, keepalived, kube-proxy, other namespaces.
    static func findings(namespaces: [PerNamespace<NamespaceObservation>], system: SystemObservation,
                                _ context: DoctorContext) -> [DoctorFinding] {
        let config = system.config.config
        let keepalived = system.keepalived
        var findings: [DoctorFinding] = []
        for item in namespaces {
            switch item.result {
            case .success(let observed):
                findings += TimeoutChecks.all(observed, config: config, keepalived: keepalived.config,
                                              keepalivedPath: keepalived.path, context)
            case .failure(let failure):
                findings.append(DoctorFinding(.error, .namespace, "cannot check this namespace: \(failure.message)",
                                              namespace: item.target.label))
            }
        }
        if let finding = ConfigChecks.config(system.config, context) { findings.append(finding) }
        findings.append(ConfigChecks.bootUnit(system.bootUnit))
        findings += ManagerChecks.keepalived(keepalived, config: config, context)
        findings += ManagerChecks.kubeProxy(system.kubeProxies, config: config, context)
        findings += ConfigChecks.netnsDefaults(system.otherNamespaces, config: config, context)
        return findings
    }
}
