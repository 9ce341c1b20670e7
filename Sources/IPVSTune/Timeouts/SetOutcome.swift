/// The result of `set` (and later `apply`): the kernel's values before and after.
public struct SetOutcome: Equatable, Sendable {
    public var before: Timeouts
    public var after: Timeouts

    init(before: Timeouts, after: Timeouts) {
        self.before = before
        self.after = after
    }

    var changes: [TimeoutChange] { TimeoutChange.between(before, after) }
}
