import ArgumentParser
import IPVSTune

import Glibc

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Report the connections IPVS forgets while they are idle, as it happens.",
        discussion: """
            Follows the connection table of the current namespace, --netns, or every namespace \
            (--all-netns), until SIGINT or SIGTERM, and prints one line (or JSON object) per \
            event: idle-expiry, an ESTABLISHED TCP connection or a UDP flow the kernel removed \
            at its idle timeout (its next packet gets a reset, or a new real server); \
            template-grace, a persistence template kept past its timeout for the connections \
            it placed; netns-gone, a namespace that went away. At the end, and with \
            --summary-every, it prints the events counted per namespace and virtual service.

            How: each read of the table keeps only the entries with a few seconds left; an \
            entry gone from a later read after its time ran out was forgotten at its timeout, \
            while one that was refreshed, changed state (FIN, reset) or went early (a flush, a \
            real server removed) is not reported. The kernel gives no snapshot and no \
            notification, so reads must come often enough: the interval follows the timeouts \
            (below the tcp and udp timeouts, and the 10 s a reset connection stays in CLOSE) \
            and the time a read takes, and a table too large to read that often is a warning \
            on stderr. Memory stays with the entries near expiry, whatever the table's size.
            """
    )

    @Option(help: ArgumentHelp("Seconds between reads of the table, instead of the interval chosen from the timeouts and the read's cost, e.g. 2s.", valueName: "duration"))
    var interval: String?

    @Option(help: ArgumentHelp("Also print the counts this often, e.g. 1h.", valueName: "duration"))
    var summaryEvery: String?

    @Flag(help: "Print JSON: one object per line for each event and for each summary.")
    var json = false

    @Option(help: ArgumentHelp("Also keep the event totals as Prometheus counters in this file, replaced atomically when they change and at exit, e.g. /var/lib/prometheus/node-exporter/ipvstune-watch.prom.", valueName: "path"))
    var textfile: String?

    @Flag(help: "Say on stderr how often the table is read, and why, whenever that changes.")
    var verbose = false

    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var allNamespaces: AllNamespacesOptions

    func run() throws {
        try allNamespaces.validate(with: namespace)
        let interval = try duration(self.interval, "--interval")
        let summaryEvery = try duration(self.summaryEvery, "--summary-every")
        // A signal stops the watch between two reads; a closed output stops it too.
        StopSignals.block()
        signal(SIGPIPE, SIG_IGN)
        let scope: Watcher.Scope = allNamespaces.allNetns ? .all : namespace.netns.map { .named($0) } ?? .current
        let watcher = try Watcher(scope: scope, interval: interval)
        let format = OutputFormat(json: json)
        var counters = WatchCounters()
        var exporter = textfile.map { WatchTextfile(path: $0) }
        try exporter?.write(counters, running: true)
        var said: (schedule: String?, warning: String?) = (nil, nil)
        var nextSummary = summaryEvery.map { Clock.monotonic() + $0 }
        while true {
            let events = watcher.round(clock: Clock.monotonic)
            for var event in events {
                event.time = Clock.rfc3339()
                counters.count(event)
                guard Output.write(event.rendered(format)) else { exporter?.stop(counters); return }
            }
            if !events.isEmpty { exporter?.update(counters) }
            if let warning = watcher.warning, warning != said.warning { Output.error("warning: \(warning)") }
            said.warning = watcher.warning
            if verbose && watcher.scheduleText != said.schedule { Output.error(watcher.scheduleText) }
            said.schedule = watcher.scheduleText
            if let due = nextSummary, Clock.monotonic() >= due, let every = summaryEvery {
                counters.time = Clock.rfc3339()
                guard Output.write(counters.rendered(format)) else { exporter?.stop(counters); return }
                nextSummary = due + every
            }
            if StopSignals.sleep(until: min(watcher.nextRound, nextSummary ?? .infinity)) { break }
        }
        counters.time = Clock.rfc3339()
        Output.write(counters.rendered(format))
        exporter?.stop(counters)
    }

    private func duration(_ text: String?, _ option: String) throws(Failure) -> Double? {
        guard let text else { return nil }
        let seconds: UInt32
        do {
            seconds = try TimeoutDuration.parse(text)
        } catch {
            throw Failure("bad \(option): \(error)", status: .usage)
        }
        guard seconds > 0 else { throw Failure("\(option) must be at least 1 s, e.g. \(option) 2s", status: .usage) }
        return Double(seconds)
    }
}

/// `--textfile`: the counters written at the start (exit 71 when that fails), after each round
/// with events, and at the end with ipvstune_watch_running 0. A later failure is a warning
/// on stderr, once per message, and the watch goes on.
struct WatchTextfile {
    let path: String
    let startTime = Int64(Glibc.time(nil))
    var warned: String?

    func write(_ counters: WatchCounters, running: Bool) throws(Failure) {
        try Textfile.write(WatchMetrics(counters, running: running, startTime: startTime).text, to: path)
    }

    mutating func update(_ counters: WatchCounters, running: Bool = true) {
        do {
            try write(counters, running: running)
            warned = nil
        } catch {
            if warned != error.message { Output.error("warning: \(error.message)") }
            warned = error.message
        }
    }

    mutating func stop(_ counters: WatchCounters) { update(counters, running: false) }
}
