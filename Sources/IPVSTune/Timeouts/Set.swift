/// The result of `set` (and later `apply`): the kernel's values before and after.
public struct SetOutcome: Equatable, Sendable {
    public var before: Timeouts
    public var after: Timeouts

    var changes: [TimeoutChange] { TimeoutChange.between(before, after) }
}

/// Sets timeouts the way every command does: read, skip when all is in place, write, read back.
public enum TimeoutSetter {
    /// Everything requested goes in one request, not only what differed when we read: two
    /// racing commands then leave the kernel with one's values or the other's, never a mix.
    public static func apply(_ update: TimeoutUpdate, to ipvs: IPVSControl) throws(Failure) -> SetOutcome {
        let before = try ipvs.timeouts()
        guard !update.changes(from: before).isEmpty else { return SetOutcome(before: before, after: before) }
        try ipvs.setTimeouts(update)
        return SetOutcome(before: before, after: try ipvs.timeouts())
    }
}

extension TimeoutSetter {
    /// `set --save` as one step: the values go into the config file too, and when the file
    /// cannot take them the kernel's values are put back. Returns what `save` says.
    public static func apply(_ update: TimeoutUpdate, to ipvs: IPVSControl, savingTo paths: ConfigPaths) throws(Failure) -> (SetOutcome, saved: String) {
        let outcome = try apply(update, to: ipvs)
        do {
            return (outcome, try ConfigSaver.save(outcome.after, paths))
        } catch {
            guard outcome.before != outcome.after else { throw error }
            let restore = TimeoutUpdate(tcp: outcome.before.tcp, tcpfin: outcome.before.tcpfin, udp: outcome.before.udp)
            do {
                try ipvs.setTimeouts(restore)
            } catch let rollback {
                throw Failure("\(error.message); and the kernel's timeouts could not be put back: \(rollback.message)",
                              status: error.status, errno: error.errno)
            }
            throw Failure("\(error.message); the kernel's timeouts were put back", status: error.status, errno: error.errno)
        }
    }
}

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
