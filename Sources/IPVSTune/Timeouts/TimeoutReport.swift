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
