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
