/// What `apply` did, or with `--check` would do: the kernel's values before and after.
public struct ApplyOutcome: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// Neither the main file nor a drop-in exists.
        case noConfig
        /// Files exist but set no timeout.
        case nothingConfigured
        case applied
        case checked
    }

    var kind: Kind
    var before: Timeouts
    var after: Timeouts
    var files: [String]

    var changes: [TimeoutChange] { TimeoutChange.between(before, after) }

    /// What `--detailed-exitcode` reports: something changed or would change.
    public var changedSomething: Bool { !changes.isEmpty }
}
