/// The result of `set` (and later `apply`): the kernel's values before and after.
public struct SetOutcome: Equatable, Sendable {
    public var before: Timeouts
    public var after: Timeouts

    public init(before: Timeouts, after: Timeouts) {
        self.before = before
        self.after = after
    }

    public var changes: [TimeoutChange] { TimeoutChange.between(before, after) }

    public var text: String {
        let changes = self.changes
        guard !changes.isEmpty else {
            let values = TimeoutName.allCases.map { "\($0.rawValue) \(after[$0])" }.joined(separator: ", ")
            return "nothing changed: \(values) already in place\n"
        }
        return changes.map { "\($0.name.rawValue) \($0.from) -> \($0.to)\n" }.joined()
    }

    public var json: String {
        JSON.object([
            ("changed", .array(changes.map { .string($0.name.rawValue) })),
            ("before", before.json),
            ("after", after.json),
        ]).rendered + "\n"
    }
}
