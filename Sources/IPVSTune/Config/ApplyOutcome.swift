/// What `apply` did, or with `--check` would do: the kernel's values before and after.
public struct ApplyOutcome: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// Neither the main file nor a drop-in exists.
        case noConfig
        /// Files exist but set no timeout.
        case nothingConfigured
        case applied
        case checked
    }

    public var kind: Kind
    public var before: Timeouts
    public var after: Timeouts
    public var files: [String]

    public var changes: [TimeoutChange] { TimeoutChange.between(before, after) }

    /// What `--detailed-exitcode` reports: something changed or would change.
    public var changedSomething: Bool { !changes.isEmpty }

    public func text(paths: ConfigPaths) -> String {
        switch kind {
        case .noConfig:
            return "no config: neither \(paths.main) nor \(paths.dropInPattern) exists; nothing to apply\n"
        case .nothingConfigured:
            return "the config sets no timeout (\(files.joined(separator: ", "))); nothing to apply\n"
        case .applied, .checked:
            let changes = self.changes
            guard !changes.isEmpty else {
                let values = TimeoutName.allCases.map { "\($0.rawValue) \(after[$0])" }.joined(separator: ", ")
                return "everything in place: \(values)\n"
            }
            let suffix = kind == .checked ? " (would change; --check changed nothing)" : ""
            return changes.map { "\($0.name.rawValue) \($0.from) -> \($0.to)\(suffix)\n" }.joined()
        }
    }

    public var json: String { jsonValue.rendered + "\n" }

    public var jsonValue: JSON {
        JSON.object([
            ("result", .string(kindName)),
            ("changed", .array(changes.map { .string($0.name.rawValue) })),
            ("before", before.json),
            ("after", after.json),
            ("files", .array(files.map { .string($0) })),
        ])
    }

    private var kindName: String {
        switch kind {
        case .noConfig: "no-config"
        case .nothingConfigured: "nothing-configured"
        case .applied: "applied"
        case .checked: "checked"
        }
    }
}

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
