/// What `watch --textfile` keeps beside the metrics: its event totals as counters, per
/// namespace and virtual service (the first `maxVirtual` seen in each namespace, the rest
/// summed into "other"), whether it runs, and since when.
public struct WatchMetrics {
    var counters: WatchCounters
    var running: Bool
    /// Seconds since the epoch when the watch started: the counters start from 0 then.
    var startTime: Int64
    var maxVirtual: Int

    public init(_ counters: WatchCounters, running: Bool, startTime: Int64, maxVirtual: Int = MetricsLabels.defaultMaxVirtual) {
        self.counters = counters
        self.running = running
        self.startTime = startTime
        self.maxVirtual = maxVirtual
    }

    public var text: String { Exposition.render(families) }

    var families: [MetricFamily] {
        var idle = MetricFamily("ipvstune_watch_idle_expiries_total", .counter,
            help: "ESTABLISHED TCP connections and UDP flows ipvstune watch saw IPVS forget at their idle timeout.")
        var grace = MetricFamily("ipvstune_watch_template_graces_total", .counter,
            help: "Persistence templates ipvstune watch saw kept past their timeout for the connections they placed.")
        var up = MetricFamily("ipvstune_watch_running", .gauge, help: "1 while ipvstune watch runs; 0 once it has stopped.")
        var start = MetricFamily("ipvstune_watch_start_time_seconds", .gauge, help: "When ipvstune watch started counting from 0.")
        var summed: [String: [String: [WatchEvent.Kind: Int]]] = [:]
        var order: [String] = []
        for row in counters.totals {
            if summed[row.netns] == nil { order.append(row.netns) }
            let labelled = summed[row.netns, default: [:]].count < maxVirtual || summed[row.netns]?[row.virtual] != nil
            let virtual = labelled ? row.virtual : MetricsLabels.other
            for (kind, count) in row.counts { summed[row.netns, default: [:]][virtual, default: [:]][kind, default: 0] += count }
        }
        for netns in order {
            for (virtual, counts) in summed[netns, default: [:]].sorted(by: { $0.key < $1.key }) {
                idle.add([("netns", netns), ("virtual", virtual)], counts[.idleExpiry] ?? 0)
                grace.add([("netns", netns), ("virtual", virtual)], counts[.templateGrace] ?? 0)
            }
        }
        up.add([], running ? 1 : 0)
        start.add([], startTime)
        return [idle, grace, up, start]
    }
}
