/// What `set` prints: one line per timeout that changed, or that nothing did; in JSON the names
/// that changed and the values before and after.
extension SetOutcome: Report {
    public func print(to printer: inout Printer) {
        let changes = self.changes
        printer.array("changed") { printer in
            for change in changes { printer.item(.string(change.name.rawValue), text: "\(change.line)\n") }
        }
        if changes.isEmpty { printer.text("nothing changed: \(after.listed) already in place\n") }
        before.print("before", to: &printer)
        after.print("after", to: &printer)
    }
}

extension TimeoutChange {
    /// `tcp 900 -> 7200`.
    var line: String { "\(name.rawValue) \(from) -> \(to)" }
}
