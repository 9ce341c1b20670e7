/// What `apply` prints: one line per timeout that changed (or would, with `--check`), or why
/// nothing did; in JSON the result, the names that changed, the values before and after, the files.
public struct ApplyReport: Report {
    var outcome: ApplyOutcome
    /// The text names them when there is no config.
    var paths: ConfigPaths

    public init(_ outcome: ApplyOutcome, paths: ConfigPaths) {
        self.outcome = outcome
        self.paths = paths
    }

    public func print(to printer: inout Printer) {
        let changes = outcome.changes
        let listsChanges = outcome.kind == .applied || outcome.kind == .checked
        let suffix = outcome.kind == .checked ? " (would change; --check changed nothing)" : ""
        printer.field("result", .string(result), text: listsChanges && !changes.isEmpty ? nil : "\(sentence)\n")
        printer.array("changed") { printer in
            for change in changes {
                printer.item(.string(change.name.rawValue), text: listsChanges ? "\(change.line)\(suffix)\n" : nil)
            }
        }
        outcome.before.print("before", to: &printer)
        outcome.after.print("after", to: &printer)
        printer.array("files") { printer in
            for file in outcome.files { printer.item(.string(file)) }
        }
    }

    private var result: String {
        switch outcome.kind {
        case .noConfig: "no-config"
        case .nothingConfigured: "nothing-configured"
        case .applied: "applied"
        case .checked: "checked"
        }
    }

    /// Why nothing changed.
    private var sentence: String {
        switch outcome.kind {
        case .noConfig: "no config: neither \(paths.main) nor \(paths.dropInPattern) exists; nothing to apply"
        case .nothingConfigured: "the config sets no timeout (\(outcome.files.joined(separator: ", "))); nothing to apply"
        case .applied, .checked: "everything in place: \(outcome.after.listed)"
        }
    }
}
