/// `apply`: makes the kernel hold what the config says, touching only what differs.
public enum Applier {
    public static func run(_ config: EffectiveConfig?, on ipvs: IPVSControl, checkOnly: Bool) throws(Failure) -> ApplyOutcome {
        guard let config else {
            return ApplyOutcome(kind: .noConfig, before: try ipvs.timeouts(), after: try ipvs.timeouts(), files: [])
        }
        let update = config.update
        guard !update.isEmpty else {
            let current = try ipvs.timeouts()
            return ApplyOutcome(kind: .nothingConfigured, before: current, after: current, files: config.files)
        }
        if checkOnly {
            let current = try ipvs.timeouts()
            return ApplyOutcome(kind: .checked, before: current, after: update.applied(to: current), files: config.files)
        }
        let outcome = try TimeoutSetter.apply(update, to: ipvs)
        return ApplyOutcome(kind: .applied, before: outcome.before, after: outcome.after, files: config.files)
    }
}

/// One `apply` (not `--follow`) as the command runs it: where it applies (the namespace it
/// started in or the one named; with `--all-netns` or the config's `netns =`, every such
/// namespace in turn), what it prints, the record it leaves for `metrics`, and its exit
/// status. The kernel and the namespaces are seams, so unit tests reach every decision.
public struct ApplyRun {
    var paths: ConfigPaths
    var checkOnly: Bool
    var detailedExitcode: Bool
    /// `--netns`: applied there alone, whatever the config's `netns =` says.
    var netns: String?
    var allNetns: Bool
    var enter: (String) throws(Failure) -> Void = { (name: String) throws(Failure) in try NetworkNamespace(name).enter() }
    var openIPVS: () throws(Failure) -> IPVSControl = { () throws(Failure) -> IPVSControl in try NetlinkIPVS() }
    var makeVisitor: () throws(Failure) -> NamespaceVisiting = { () throws(Failure) -> NamespaceVisiting in try NamespaceVisitor() }
    var discover: ([String]) -> [NamespaceTarget] = { NamespaceDiscovery.all(patterns: $0) }
    var configured: ([String]) -> [NamespaceTarget] = { NamespaceDiscovery.configured($0) }
    var record: (ApplyRecord) -> Void = { $0.write() }

    public init(paths: ConfigPaths, checkOnly: Bool, detailedExitcode: Bool, netns: String?, allNetns: Bool) {
        self.paths = paths
        self.checkOnly = checkOnly
        self.detailedExitcode = detailedExitcode
        self.netns = netns
        self.allNetns = allNetns
    }

    public struct Result: Equatable {
        /// For standard output: the report, text or JSON; empty with `quiet`.
        public var output = ""
        /// For standard error, a line each.
        public var errors: [String] = []
        public var status = ExitStatus.success
        var changed = false
    }

    /// Applies and says what to print and how to exit; the record is left unless checking.
    public func run(_ format: OutputFormat, quiet: Bool) -> Result {
        var result = Result()
        do {
            let config = try ConfigLoader.load(paths, requireSecure: true)
            let patterns = config?.netns.map(\.value) ?? []
            if netns == nil && (allNetns || !patterns.isEmpty) {
                let visitor = try makeVisitor()
                let outcomes = (allNetns ? discover(patterns) : configured(patterns)).map { target in
                    PerNamespace(target: target, result: visitor.visit(target) { () throws(Failure) in
                        try Applier.run(config, on: openIPVS(), checkOnly: checkOnly)
                    })
                }
                if !quiet { result.output = NamespaceApplyReport(outcomes, paths: paths).rendered(format) }
                for item in outcomes {
                    if case .failure(let failure) = item.result { result.errors.append("\(item.target.label): \(failure.message)") }
                }
                result.status = outcomes.worstStatus()
                result.changed = outcomes.contains { (try? $0.result.get())?.changedSomething ?? false }
            } else {
                if let netns { try enter(netns) }
                let outcome = try Applier.run(config, on: openIPVS(), checkOnly: checkOnly)
                if !quiet { result.output = ApplyReport(outcome, paths: paths).rendered(format) }
                result.changed = outcome.changedSomething
            }
        } catch {
            result.errors.append(error.message)
            result.status = error.status
        }
        if !checkOnly { record(ApplyRecord.now(status: result.status.rawValue, changed: result.changed)) }
        if result.status == .success && detailedExitcode && result.changed { result.status = .changed }
        return result
    }
}
