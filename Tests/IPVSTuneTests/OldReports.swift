@testable import IPVSTune

/// The renderers as they were before the one print path, copied verbatim, so the new path can
/// be compared with them byte for byte. Temporary: removed once the comparison has passed.
enum OldReports {
    static func timeoutsJSON(_ t: Timeouts) -> JSON {
        .object(TimeoutName.allCases.map { ($0.rawValue, .uint(UInt64(t[$0]))) })
    }

    static func daemonText(_ d: SyncDaemon) -> String {
        var out = "\(d.role.rawValue) on \(d.interface), syncid \(d.syncid)"
        if let group = d.group { out += ", group \(group)" }
        if let port = d.port { out += ":\(port)" }
        return out
    }

    static func daemonJSON(_ d: SyncDaemon) -> JSON {
        .object([
            ("role", .string(d.role.rawValue)),
            ("interface", .string(d.interface)),
            ("syncid", .uint(UInt64(d.syncid))),
            ("maxlen", .uint(UInt64(d.maxlen))),
            ("group", d.group.map { .string($0) } ?? .null),
            ("port", d.port.map { .uint(UInt64($0)) } ?? .null),
            ("ttl", d.ttl.map { .uint(UInt64($0)) } ?? .null),
        ])
    }

    // MARK: get

    static func timeoutText(_ timeouts: Timeouts, daemons: [SyncDaemon] = []) -> String {
        var out = ""
        for name in TimeoutName.allCases {
            let seconds = String(timeouts[name])
            let human = "(\(TimeoutDuration.format(UInt64(timeouts[name]))))"
            out += name.rawValue.padded(to: 8) + seconds.leftPadded(to: 8) + " s  " + human.padded(to: 10) + name.meaning + "\n"
        }
        for daemon in daemons { out += "sync    \(daemonText(daemon))\n" }
        return out
    }

    static func timeoutJSON(_ timeouts: Timeouts, daemons: [SyncDaemon] = []) -> String {
        guard !daemons.isEmpty, case .object(var members) = timeoutsJSON(timeouts) else { return timeoutsJSON(timeouts).rendered + "\n" }
        members.append(("daemons", .array(daemons.map(daemonJSON))))
        return JSON.object(members).rendered + "\n"
    }

    static func single(_ timeouts: Timeouts, _ name: TimeoutName) -> String {
        "\(timeouts[name])\n"
    }

    static func singleJSON(_ timeouts: Timeouts, _ name: TimeoutName) -> String {
        JSON.object([(name.rawValue, .uint(UInt64(timeouts[name])))]).rendered + "\n"
    }

    // MARK: set

    static func setText(_ o: SetOutcome) -> String {
        let changes = o.changes
        guard !changes.isEmpty else {
            let values = TimeoutName.allCases.map { "\($0.rawValue) \(o.after[$0])" }.joined(separator: ", ")
            return "nothing changed: \(values) already in place\n"
        }
        return changes.map { "\($0.name.rawValue) \($0.from) -> \($0.to)\n" }.joined()
    }

    static func setJSON(_ o: SetOutcome) -> String {
        JSON.object([
            ("changed", .array(o.changes.map { .string($0.name.rawValue) })),
            ("before", timeoutsJSON(o.before)),
            ("after", timeoutsJSON(o.after)),
        ]).rendered + "\n"
    }

    // MARK: apply

    static func applyText(_ o: ApplyOutcome, paths: ConfigPaths) -> String {
        switch o.kind {
        case .noConfig:
            return "no config: neither \(paths.main) nor \(paths.dropInPattern) exists; nothing to apply\n"
        case .nothingConfigured:
            return "the config sets no timeout (\(o.files.joined(separator: ", "))); nothing to apply\n"
        case .applied, .checked:
            let changes = o.changes
            guard !changes.isEmpty else {
                let values = TimeoutName.allCases.map { "\($0.rawValue) \(o.after[$0])" }.joined(separator: ", ")
                return "everything in place: \(values)\n"
            }
            let suffix = o.kind == .checked ? " (would change; --check changed nothing)" : ""
            return changes.map { "\($0.name.rawValue) \($0.from) -> \($0.to)\(suffix)\n" }.joined()
        }
    }

    static func applyJSONValue(_ o: ApplyOutcome) -> JSON {
        let kindName = switch o.kind {
        case .noConfig: "no-config"
        case .nothingConfigured: "nothing-configured"
        case .applied: "applied"
        case .checked: "checked"
        }
        return JSON.object([
            ("result", .string(kindName)),
            ("changed", .array(o.changes.map { .string($0.name.rawValue) })),
            ("before", timeoutsJSON(o.before)),
            ("after", timeoutsJSON(o.after)),
            ("files", .array(o.files.map { .string($0) })),
        ])
    }

    static func applyJSON(_ o: ApplyOutcome) -> String { applyJSONValue(o).rendered + "\n" }

    // MARK: namespaces

    static func namespaceText(_ states: [PerNamespace<NamespaceState>]) -> String {
        let width = Swift.max(12, states.map { $0.target.label.count + 2 }.max() ?? 0)
        var out = "NAMESPACE".padded(to: width) + "TCP".leftPadded(to: 8) + "TCPFIN".leftPadded(to: 8)
            + "UDP".leftPadded(to: 8) + "SERVICES".leftPadded(to: 10) + "\n"
        for item in states {
            out += item.target.label.padded(to: width)
            switch item.result {
            case .success(let state):
                out += String(state.timeouts.tcp).leftPadded(to: 8) + String(state.timeouts.tcpfin).leftPadded(to: 8)
                    + String(state.timeouts.udp).leftPadded(to: 8) + String(state.services).leftPadded(to: 10)
                out += state.daemons.map { "  sync \($0.role.rawValue) on \($0.interface)" }.joined() + "\n"
            case .failure(let failure):
                out += "error: \(failure.message)\n"
            }
        }
        return out
    }

    static func namespaceJSON(_ states: [PerNamespace<NamespaceState>]) -> String {
        JSON.object([("namespaces", .array(states.map { item in
            var members: [(String, JSON)] = [("namespace", .string(item.target.label)),
                                              ("path", item.target.path.map { .string($0) } ?? .null)]
            switch item.result {
            case .success(let state):
                if case .object(let timeouts) = timeoutsJSON(state.timeouts) { members += timeouts }
                members += [("services", .uint(UInt64(state.services))),
                            ("daemons", .array(state.daemons.map(daemonJSON))), ("error", .null)]
            case .failure(let failure):
                members.append(("error", .string(failure.message)))
            }
            return .object(members)
        }))]).rendered + "\n"
    }

    static func namespaceApplyText(_ outcomes: [PerNamespace<ApplyOutcome>], paths: ConfigPaths) -> String {
        outcomes.map { item in
            guard case .success(let outcome) = item.result else { return "" }
            return applyText(outcome, paths: paths).split(separator: "\n").map { "\(item.target.label): \($0)\n" }.joined()
        }.joined()
    }

    static func namespaceApplyJSON(_ outcomes: [PerNamespace<ApplyOutcome>]) -> String {
        JSON.object([("namespaces", .array(outcomes.map { item in
            var members: [(String, JSON)] = [("namespace", .string(item.target.label)),
                                              ("path", item.target.path.map { .string($0) } ?? .null)]
            switch item.result {
            case .success(let outcome):
                if case .object(let fields) = applyJSONValue(outcome) { members += fields }
                members.append(("error", .null))
            case .failure(let failure):
                members.append(("error", .string(failure.message)))
            }
            return .object(members)
        }))]).rendered + "\n"
    }

    // MARK: services

    static func serviceText(_ services: [VirtualService]) -> String {
        guard !services.isEmpty else { return "no virtual services\n" }
        var out = "SERVICE".padded(to: 34) + "SCHEDULER".padded(to: 11) + "PERSISTENCE\n"
        out += "  -> REAL SERVER".padded(to: 34) + "FORWARD".padded(to: 9)
            + "WEIGHT".leftPadded(to: 7) + "ACTIVE".leftPadded(to: 9) + "INACTIVE".leftPadded(to: 10)
            + "PERSISTENT".leftPadded(to: 12) + "\n"
        for service in services {
            var persistence = service.persistenceTimeout.map { "\($0) s" } ?? "-"
            if let engine = service.persistenceEngine { persistence += " pe \(engine)" }
            if service.onePacket { persistence += " ops" }
            out += service.name.padded(to: 34) + service.scheduler.padded(to: 11) + persistence + "\n"
            for server in service.realServers {
                out += ("  -> " + server.endpoint).padded(to: 34) + server.forward.padded(to: 9)
                    + String(server.weight).leftPadded(to: 7) + String(server.active).leftPadded(to: 9)
                    + String(server.inactive).leftPadded(to: 10) + String(server.persistent).leftPadded(to: 12) + "\n"
            }
        }
        return out
    }

    static func serviceJSON(_ services: [VirtualService]) -> String {
        JSON.object([("services", .array(services.map(serviceJSON)))]).rendered + "\n"
    }

    static func serviceJSON(_ s: VirtualService) -> JSON {
        .object([
            ("name", .string(s.name)),
            ("family", .string(s.family.rawValue)),
            ("proto", s.firewallMark == nil ? .string(s.proto) : .null),
            ("address", s.address.map { .string($0) } ?? .null),
            ("port", s.firewallMark == nil ? .uint(UInt64(s.port)) : .null),
            ("fwmark", s.firewallMark.map { .uint(UInt64($0)) } ?? .null),
            ("scheduler", .string(s.scheduler)),
            ("persistent", .bool(s.isPersistent)),
            ("persistence_timeout", s.persistenceTimeout.map { .uint(UInt64($0)) } ?? .null),
            ("persistence_engine", s.persistenceEngine.map { .string($0) } ?? .null),
            ("one_packet", .bool(s.onePacket)),
            ("real_servers", .array(s.realServers.map(serverJSON))),
        ])
    }

    static func serverJSON(_ r: RealServer) -> JSON {
        .object([
            ("address", .string(r.address)),
            ("port", .uint(UInt64(r.port))),
            ("forward", .string(r.forward)),
            ("weight", .uint(UInt64(r.weight))),
            ("active", .uint(UInt64(r.active))),
            ("inactive", .uint(UInt64(r.inactive))),
            ("persistent", .uint(UInt64(r.persistent))),
        ])
    }

    // MARK: doctor

    static func doctorText(_ r: DoctorReport) -> String {
        var out = ""
        if r.groupedByNamespace {
            var labels: [String] = []
            for finding in r.findings where !labels.contains(finding.namespace ?? "") { labels.append(finding.namespace ?? "") }
            labels = labels.filter { !$0.isEmpty } + (labels.contains("") ? [""] : [])
            for label in labels {
                out += "[\(label.isEmpty ? "system" : label)]\n"
                for finding in r.findings where (finding.namespace ?? "") == label { out += findingText(finding) }
                out += "\n"
            }
        } else {
            for finding in r.findings { out += findingText(finding) }
        }
        return out + doctorSummary(r) + "\n"
    }

    static func findingText(_ finding: DoctorFinding) -> String {
        var out = finding.severity.rawValue.padded(to: 9) + finding.id.padded(to: 16) + finding.message + "\n"
        let indent = String(repeating: " ", count: 9)
        for (index, fix) in finding.fixes.enumerated() {
            out += indent + (index == 0 ? "fix: " : " or: ") + fix + "\n"
        }
        return out
    }

    static func doctorSummary(_ r: DoctorReport) -> String {
        "summary: " + [DoctorText.plural(r.count(.error), "error"), DoctorText.plural(r.count(.warning), "warning"),
                       "\(r.count(.info)) info", "\(r.count(.ok)) ok"].joined(separator: ", ")
    }

    static func doctorJSON(_ r: DoctorReport) -> String {
        JSON.object([
            ("findings", .array(r.findings.map(findingJSON))),
            ("summary", .object(DoctorSeverity.allCases.reversed().map { ($0.rawValue, .uint(UInt64(r.count($0)))) })),
            ("status", .uint(UInt64(r.status.rawValue))),
        ]).rendered + "\n"
    }

    static func findingJSON(_ f: DoctorFinding) -> JSON {
        .object([
            ("severity", .string(f.severity.rawValue)),
            ("id", .string(f.id)),
            ("namespace", f.namespace.map { .string($0) } ?? .null),
            ("message", .string(f.message)),
            ("fixes", .array(f.fixes.map { .string($0) })),
        ])
    }

    // MARK: show-config

    static func configText(_ config: EffectiveConfig?, paths: ConfigPaths) -> String {
        guard let config else {
            return "no config: neither \(paths.main) nor \(paths.dropInPattern) exists\n"
        }
        var out = "files: " + config.files.joined(separator: " ") + "\n"
        for name in TimeoutName.allCases {
            out += name.rawValue + spaces(8 - name.rawValue.count)
            guard let setting = config.timeouts[name] else {
                out += "not set: apply leaves the kernel's value\n"
                continue
            }
            let seconds = String(setting.value)
            let human = "(\(TimeoutDuration.format(UInt64(setting.value))))"
            out += spaces(8 - seconds.count) + seconds + " s  " + human + spaces(10 - human.count)
            out += "from \(setting.location)\n"
        }
        for namespace in config.netns {
            out += "netns   \(namespace.value)  from \(namespace.location)\n"
        }
        return out
    }

    static func configJSON(_ config: EffectiveConfig?, paths: ConfigPaths) -> String {
        let timeouts = TimeoutName.allCases.map { name in
            (name.rawValue, config?.timeouts[name].map { JSON.uint(UInt64($0.value)) } ?? .null)
        }
        let sources = TimeoutName.allCases.map { name in
            (name.rawValue, config?.timeouts[name].map { location($0.location) } ?? .null)
        }
        let netns = (config?.netns ?? []).map { setting in
            JSON.object([("path", .string(setting.value)), ("source", location(setting.location))])
        }
        return JSON.object([
            ("configured", .bool(config != nil)),
            ("main", .string(paths.main)),
            ("dropins", .string(paths.dropInPattern)),
            ("files", .array((config?.files ?? []).map { .string($0) })),
            ("timeouts", .object(timeouts)),
            ("sources", .object(sources)),
            ("netns", .array(netns)),
        ]).rendered + "\n"
    }

    private static func location(_ location: ConfigLocation) -> JSON {
        .object([("file", .string(location.path)), ("line", .uint(UInt64(location.line)))])
    }

    private static func spaces(_ count: Int) -> String {
        String(repeating: " ", count: max(1, count))
    }
}
