/// The families `metrics` writes, from what one run found: a pure function of the scrape.
public struct MetricsReport {
    var scrape: MetricsScrape
    /// Virtual services labelled per namespace; the rest are summed into "other".
    var maxVirtual: Int

    public init(_ scrape: MetricsScrape, maxVirtual: Int = MetricsLabels.defaultMaxVirtual) {
        self.scrape = scrape
        self.maxVirtual = maxVirtual
    }

    public var text: String { Exposition.render(families) }

    var families: [MetricFamily] {
        var timeout = MetricFamily("ipvstune_timeout_seconds", .gauge,
            help: "The kernel's IPVS timeout: tcp (idle ESTABLISHED TCP), tcpfin (FIN_WAIT), udp (idle UDP).")
        var keepalive = MetricFamily("ipvstune_tcp_keepalive_time_seconds", .gauge,
            help: "net.ipv4.tcp_keepalive_time of the namespace: idle seconds before the first TCP keepalive probe.")
        var services = MetricFamily("ipvstune_services", .gauge, help: "IPVS virtual services in the namespace.")
        var persistence = MetricFamily("ipvstune_service_persistence_timeout_seconds", .gauge,
            help: "Persistence timeout of each persistent virtual service (ipvsadm -p).")
        var entries = MetricFamily("ipvstune_entries", .gauge,
            help: "Connection table entries (templates excluded) by virtual service, protocol and state.")
        var templates = MetricFamily("ipvstune_templates", .gauge,
            help: "Persistence templates in the connection table by virtual service and protocol.")
        var expiry = MetricFamily("ipvstune_established_expiry_seconds", .histogram,
            help: "ESTABLISHED TCP connections by seconds left before IPVS forgets them if they stay idle.")
        for namespace in scrape.namespaces {
            let netns = ("netns", namespace.netns)
            let metrics = namespace.metrics
            for name in TimeoutName.allCases {
                timeout.add([netns, ("timeout", name.rawValue)], metrics.timeouts[name])
            }
            if let time = metrics.keepalive?.time { keepalive.add([netns], time) }
            services.add([netns], metrics.services.count)
            let table = capped(metrics)
            for service in metrics.services.sorted(by: { "\($0.virtual)" < "\($1.virtual)" }) {
                guard let seconds = service.persistenceTimeout, table.kept.contains(service.virtual.description) else { continue }
                persistence.add([netns, ("virtual", service.virtual.description), ("proto", service.proto)], seconds)
            }
            for (key, count) in table.entries.sorted(by: { ($0.key.virtual, $0.key.proto, $0.key.state) < ($1.key.virtual, $1.key.proto, $1.key.state) }) {
                entries.add([netns, ("virtual", key.virtual), ("proto", key.proto), ("state", key.state)], count)
            }
            for (key, count) in table.templates.sorted(by: { ($0.key.virtual, $0.key.proto) < ($1.key.virtual, $1.key.proto) }) {
                templates.add([netns, ("virtual", key.virtual), ("proto", key.proto)], count)
            }
            expiry.add([netns], metrics.table.establishedHistogram)
        }
        return [timeout] + configFamilies + [keepalive, services, persistence, entries, templates, expiry]
            + applyFamilies + scrapeFamilies
    }

    /// The config's values and whether the kernel holds them, in every namespace it is meant for.
    var configFamilies: [MetricFamily] {
        var valid = MetricFamily("ipvstune_config_valid", .gauge,
            help: "1 when the config (and its drop-ins) reads without a problem apply would refuse, 0 otherwise.")
        var files = MetricFamily("ipvstune_config_files", .gauge, help: "Config files read: 0 when there is no config.")
        var configured = MetricFamily("ipvstune_config_timeout_seconds", .gauge,
            help: "The timeout the config sets, in each namespace apply covers.")
        var match = MetricFamily("ipvstune_config_match", .gauge,
            help: "1 when the kernel holds every timeout the config sets, 0 when it drifted; for each namespace apply covers.")
        valid.add([], scrape.config.problems.isEmpty ? 1 : 0)
        files.add([], scrape.config.files.count)
        if let config = scrape.config.config, !config.timeouts.isEmpty {
            for namespace in scrape.namespaces where namespace.coveredByConfig {
                var same = true
                for name in TimeoutName.allCases {
                    guard let setting = config.timeouts[name] else { continue }
                    configured.add([("netns", namespace.netns), ("timeout", name.rawValue)], setting.value)
                    if namespace.metrics.timeouts[name] != setting.value { same = false }
                }
                match.add([("netns", namespace.netns)], same ? 1 : 0)
            }
        }
        return [valid, files, configured, match]
    }

    var applyFamilies: [MetricFamily] {
        var time = MetricFamily("ipvstune_apply_last_timestamp_seconds", .gauge, help: "When ipvstune apply last ran (not --check).")
        var success = MetricFamily("ipvstune_apply_last_success", .gauge, help: "1 when the last ipvstune apply succeeded, 0 when it failed.")
        var status = MetricFamily("ipvstune_apply_last_exit_status", .gauge,
            help: "Exit status of the last ipvstune apply (0 success, 65 refused, 69 no IPVS, 77 permission, 78 bad config...).")
        var changed = MetricFamily("ipvstune_apply_last_changed", .gauge, help: "1 when the last ipvstune apply changed a timeout.")
        if let record = scrape.lastApply {
            time.add([], record.time)
            success.add([], record.status == 0 ? 1 : 0)
            status.add([], record.status)
            changed.add([], record.changed ? 1 : 0)
        }
        return [time, success, status, changed]
    }

    var scrapeFamilies: [MetricFamily] {
        var errors = MetricFamily("ipvstune_scrape_errors", .gauge,
            help: "Namespaces listed but gone or without IPVS when read in this run; their series are left out.")
        var namespaces = MetricFamily("ipvstune_scrape_namespaces", .gauge, help: "Namespaces read in this run.")
        var seconds = MetricFamily("ipvstune_scrape_duration_seconds", .gauge, help: "How long this run took to read everything.")
        errors.add([], scrape.errors)
        namespaces.add([], scrape.namespaces.count)
        seconds.add([], (scrape.seconds * 1000).rounded() / 1000)
        return [errors, namespaces, seconds]
    }

    /// The table with only the `maxVirtual` busiest services (counting the services without
    /// entries too) under their own label.
    func capped(_ metrics: NamespaceMetrics) -> (entries: [TableCount.EntryLabels: Int], templates: [TableCount.TemplateLabels: Int], kept: Set<String>) {
        let table = metrics.table.labelled
        var totals: [String: Int] = [:]
        for service in metrics.services { totals[service.virtual.description, default: 0] += 0 }
        for (key, count) in table.entries { totals[key.virtual, default: 0] += count }
        for (key, count) in table.templates { totals[key.virtual, default: 0] += count }
        let kept = MetricsLabels.kept(totals, limit: maxVirtual)
        func label(_ virtual: String) -> String { kept.contains(virtual) ? virtual : MetricsLabels.other }
        var entries: [TableCount.EntryLabels: Int] = [:]
        for (key, count) in table.entries {
            entries[TableCount.EntryLabels(virtual: label(key.virtual), proto: key.proto, state: key.state), default: 0] += count
        }
        var templates: [TableCount.TemplateLabels: Int] = [:]
        for (key, count) in table.templates {
            templates[TableCount.TemplateLabels(virtual: label(key.virtual), proto: key.proto), default: 0] += count
        }
        return (entries, templates, kept)
    }
}
