/// What `get` shows: one value, three values for people, or JSON; and the sync daemons that
/// run, since they carry connection state (and its timeouts) to other directors.
public enum TimeoutReport {
    public static func text(_ timeouts: Timeouts, daemons: [SyncDaemon] = []) -> String {
        var out = ""
        for name in TimeoutName.allCases {
            let seconds = String(timeouts[name])
            let human = "(\(TimeoutDuration.format(UInt64(timeouts[name]))))"
            out += name.rawValue.padded(to: 8) + seconds.leftPadded(to: 8) + " s  " + human.padded(to: 10) + name.meaning + "\n"
        }
        for daemon in daemons { out += "sync    \(daemon.text)\n" }
        return out
    }

    /// `{"tcp":900,"tcpfin":120,"udp":300}`, with `"daemons":[...]` only when one runs, so
    /// the common case keeps the shape scripts already parse.
    public static func json(_ timeouts: Timeouts, daemons: [SyncDaemon] = []) -> String {
        guard !daemons.isEmpty, case .object(var members) = timeouts.json else { return timeouts.json.rendered + "\n" }
        members.append(("daemons", .array(daemons.map(\.json))))
        return JSON.object(members).rendered + "\n"
    }

    public static func single(_ timeouts: Timeouts, _ name: TimeoutName) -> String {
        "\(timeouts[name])\n"
    }
}

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

extension String {
    func padded(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
