/// What `get` shows: three values for people, or JSON; and the sync daemons that run, since
/// they carry connection state (and its timeouts) to other directors. `get NAME`: one value.
public struct TimeoutReport: Report {
    var timeouts: Timeouts
    var daemons: [SyncDaemon]
    var only: TimeoutName?

    public init(_ timeouts: Timeouts, daemons: [SyncDaemon] = []) {
        self.timeouts = timeouts
        self.daemons = daemons
    }

    /// The number alone, for scripts; `{"tcp":900}` in JSON.
    public init(_ timeouts: Timeouts, only name: TimeoutName) {
        self.init(timeouts)
        only = name
    }

    public func print(to printer: inout Printer) {
        if let only { return printer.field(only.rawValue, .number(timeouts[only]), text: "\(timeouts[only])\n") }
        for name in TimeoutName.allCases {
            let seconds = timeouts[name]
            printer.text(name.rawValue.padded(to: 8))
            printer.field(name.rawValue, .number(seconds), text: String(seconds).rightAligned(to: 8))
            printer.text(" s  " + "(\(TimeoutDuration.format(UInt64(seconds))))".padded(to: 10) + name.meaning + "\n")
        }
        // Present only when a daemon runs, so the common case keeps the shape scripts already parse.
        guard !daemons.isEmpty else { return }
        printer.array("daemons") { printer in
            for daemon in daemons {
                printer.text("sync    ")
                printer.object { printer in daemon.print(to: &printer) }
                printer.text("\n")
            }
        }
    }
}

extension Timeouts {
    /// `"before":{"tcp":900,"tcpfin":120,"udp":300}`, JSON only: the text tells what changed.
    func print(_ key: String, to printer: inout Printer) {
        printer.object(key) { printer in
            for name in TimeoutName.allCases { printer.field(name.rawValue, .number(self[name])) }
        }
    }

    /// `tcp 7200, tcpfin 120, udp 300`.
    var listed: String {
        TimeoutName.allCases.map { "\($0.rawValue) \(self[$0])" }.joined(separator: ", ")
    }
}
