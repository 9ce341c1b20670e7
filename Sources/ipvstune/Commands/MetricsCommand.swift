import ArgumentParser
import IPVSTune

struct MetricsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Print Prometheus metrics, or write them for node_exporter's textfile collector.",
        discussion: """
            Prints the Prometheus text format for the current namespace, --netns, or every \
            namespace (--all-netns), each series labelled netns: the timeouts \
            (ipvstune_timeout_seconds), the TCP keepalive time, whether the kernel holds the \
            config's timeouts (ipvstune_config_match, with ipvstune_config_timeout_seconds) in \
            each namespace apply covers, table entries by virtual service, protocol and state \
            (ipvstune_entries), templates (ipvstune_templates), ESTABLISHED connections by \
            seconds to expiry (the histogram ipvstune_established_expiry_seconds), each \
            persistent service's timeout, the last apply's time and exit status (from \
            /var/lib/ipvstune/last-apply, which apply writes), and ipvstune_scrape_errors: \
            namespaces gone before they were read, whose series are left out. The busiest \
            --max-virtual services of each namespace keep their own virtual label; the rest \
            are summed into virtual="other".

            With --textfile the text replaces that file atomically (a temporary file in the \
            same folder, then a rename): node_exporter never reads half a file. \
            ipvstune-metrics.timer does so every minute into \
            /var/lib/prometheus/node-exporter/ipvstune.prom. A folder that does not exist or \
            cannot be written is an error (exit 71), found before any work; the old file is kept. \
            ip_vs is never loaded: without it the exit status is 69.
            """
    )

    @Option(help: ArgumentHelp("Write the metrics to this file atomically instead of printing them, e.g. /var/lib/prometheus/node-exporter/ipvstune.prom.", valueName: "path"))
    var textfile: String?

    @Option(help: ArgumentHelp("Label at most this many virtual services per namespace (the busiest); sum the rest into virtual=\"other\".", valueName: "count"))
    var maxVirtual = MetricsLabels.defaultMaxVirtual

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var allNamespaces: AllNamespacesOptions

    func run() throws {
        try allNamespaces.validate(with: namespace)
        guard maxVirtual >= 0 else { throw Failure("--max-virtual must be 0 or more, e.g. --max-virtual 50", status: .usage) }
        if let textfile { try Textfile.checkFolder(of: textfile) }
        let started = Clock.monotonic()
        let config = ConfigLoader.check(configOptions.paths, requireSecure: true)
        try namespace.enter()
        let scope: MetricsCollector.Scope = allNamespaces.allNetns ? .all : namespace.netns.map { .named($0) } ?? .current
        let collector = MetricsCollector(visitor: try NamespaceVisitor()) { () throws(Failure) -> IPVSControl in
            try NetlinkIPVS(loadModule: false)
        }
        var scrape = try collector.collect(scope, config: config, lastApply: ApplyRecord.read())
        scrape.seconds = Clock.monotonic() - started
        let text = MetricsReport(scrape, maxVirtual: maxVirtual).text
        if let textfile { return try Textfile.write(text, to: textfile) }
        emit(text)
    }
}
