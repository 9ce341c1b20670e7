import ArgumentParser
import IPVSTune

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Set the kernel's IPVS timeouts to what the config says.",
        discussion: """
            Reads /etc/ipvstune.conf, then /etc/ipvstune.d/*.conf in name order (the last value \
            wins), and sets only the timeouts that differ. Run at boot by ipvstune.service. \
            A config with any error, or a config file or folder that a user other than root \
            could change, is refused (exit 78) and nothing is applied. With --all-netns (not \
            --check) it goes on in rounds until one changes nothing and no namespace file is \
            still waiting to be mounted (each waited for at most 3 s; at most 20 rounds), so a \
            namespace made meanwhile gets the config too.
            """
    )

    @Flag(help: "Change nothing; report what would change.")
    var check = false

    @Flag(help: "Exit 0 when nothing changed or would change, 2 when something did or would.")
    var detailedExitcode = false

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    @Flag(help: "Print JSON: the result, what changed, and the values before and after.")
    var json = false

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var allNamespaces: AllNamespacesOptions

    func run() throws {
        try allNamespaces.validate(with: namespace)
        let changed: Bool
        do {
            changed = try apply()
        } catch {
            if !check { ApplyRecord.now(status: Self.status(of: error), changed: false).write() }
            throw error
        }
        if !check { ApplyRecord.now(status: 0, changed: changed).write() }
        if detailedExitcode && changed { throw ExitCode(ExitStatus.changed.rawValue) }
    }

    /// The exit status an error ends apply with.
    private static func status(of error: Error) -> Int32 {
        if let failure = error as? Failure { return failure.status.rawValue }
        if let code = error as? ExitCode { return code.rawValue }
        return ExitStatus.osError.rawValue
    }

    /// Applies, prints, and says whether something changed (or with --check would change).
    private func apply() throws -> Bool {
        let paths = configOptions.paths
        let config = try ConfigLoader.load(paths, requireSecure: true)
        let patterns = config?.netns.map(\.value) ?? []
        // The config's own `netns =` paths are covered by every apply, --all-netns adds the rest.
        if namespace.netns == nil && (allNamespaces.allNetns || !patterns.isEmpty) {
            return try runEverywhere(config, paths, patterns: patterns)
        }
        try namespace.enter()
        let outcome = try Applier.run(config, on: NetlinkIPVS(), checkOnly: check)
        if !quiet { emit(ApplyReport(outcome, paths: paths), json: json) }
        return outcome.changedSomething
    }

    /// --all-netns: every namespace, in rounds until they settle (ApplyRounds), so that one
    /// made meanwhile gets the config too; --check looks once. Without --all-netns, the host
    /// and the config's `netns =` paths, once.
    private func runEverywhere(_ config: EffectiveConfig?, _ paths: ConfigPaths, patterns: [String]) throws -> Bool {
        let visitor = try NamespaceVisitor()
        let applyIn = { (target: NamespaceTarget) in
            visitor.visit(target) { () throws(Failure) in try Applier.run(config, on: NetlinkIPVS(), checkOnly: check) }
        }
        let outcomes: [PerNamespace<ApplyOutcome>]
        if allNamespaces.allNetns && !check {
            outcomes = ApplyRounds(patterns: patterns, apply: applyIn).run().outcomes
        } else {
            let targets = allNamespaces.allNetns ? NamespaceDiscovery.all(patterns: patterns) : NamespaceDiscovery.configured(patterns)
            outcomes = targets.map { PerNamespace(target: $0, result: applyIn($0)) }
        }
        if !quiet { emit(NamespaceApplyReport(outcomes, paths: paths), json: json) }
        for item in outcomes {
            if case .failure(let failure) = item.result { Output.error("\(item.target.label): \(failure.message)") }
        }
        let status = outcomes.worstStatus()
        if status != .success { throw ExitCode(status.rawValue) }
        return outcomes.contains { (try? $0.result.get())?.changedSomething ?? false }
    }
}
