/// The checks of one namespace's own values: pure functions of what was observed there.
enum TimeoutChecks {
    /// Everything checked in one namespace. A namespace nobody named and without services is
    /// not judged: its timeouts matter to no connection.
    static func all(_ observed: NamespaceObservation, config: EffectiveConfig?, keepalived: KeepalivedConfig?,
                           keepalivedPath: String, _ context: DoctorContext) -> [DoctorFinding] {
        var findings: [DoctorFinding] = []
        if observed.isPrimary || !observed.services.isEmpty {
            findings.append(tcpKeepalive(observed, context))
            findings.append(tcpfin(observed, context))
            findings.append(udp(observed, context))
            findings += persistence(observed, keepalived: keepalived, keepalivedPath: keepalivedPath)
            if let finding = ConnMaxCheck.finding(observed) { findings.append(finding) }
        } else {
            findings.append(DoctorFinding(.ok, .namespace, "no IPVS services here: its timeouts affect no connection"))
        }
        if let config, observed.isPrimary || observed.coveredByConfig, let drift = ConfigChecks.drift(observed, config, context) {
            findings.append(drift)
        }
        return findings.map { finding in
            var finding = finding
            finding.namespace = observed.target.label
            return finding
        }
    }

    /// An idle connection must outlive the keepalive time, or IPVS forgets it before the first
    /// probe, and the probe is answered with a reset.
    static func tcpKeepalive(_ observed: NamespaceObservation, _ context: DoctorContext) -> DoctorFinding {
        let tcp = observed.timeouts.tcp
        guard let keepalive = observed.keepalive else {
            return DoctorFinding(.info, .tcpKeepalive, "\(observed.keepaliveProblem ?? "cannot read the TCP keepalive time"): the tcp timeout (\(DoctorText.seconds(tcp))) was not compared with it")
        }
        let time = DoctorText.seconds(keepalive.time)
        guard tcp <= keepalive.time else {
            return DoctorFinding(.ok, .tcpKeepalive, "tcp timeout \(DoctorText.seconds(tcp)) is above the TCP keepalive time \(time): keepalive probes refresh idle connections before IPVS forgets them")
        }
        let recommended = min(keepalive.time + keepalive.interval, TimeoutDuration.maximum)
        return DoctorFinding(.warning, .tcpKeepalive,
            "tcp timeout \(DoctorText.seconds(tcp)) is not above the TCP keepalive time \(time): IPVS forgets an idle connection before the first keepalive probe can refresh it, and the probe, like every later packet, is answered with a reset; use the keepalive time plus one probe interval (\(keepalive.interval) s)",
            fixes: [DoctorFix.set([(.tcp, recommended)], in: observed.target, context)])
    }

    static func tcpfin(_ observed: NamespaceObservation, _ context: DoctorContext) -> DoctorFinding {
        let value = observed.timeouts.tcpfin
        return usualRange(.tcpfin, .tcpfinTimeout, DoctorThresholds.tcpfin, observed, context,
            low: "IPVS forgets a connection \(value) s after its first FIN, so the rest of a half-closed transfer, or the other side's FIN, finds no entry and is dropped or reset, and the real server is left retransmitting",
            high: "closed connections stay in the table that long, using memory, and the lc and wlc schedulers count them as inactive connections, which skews balancing")
    }

    static func udp(_ observed: NamespaceObservation, _ context: DoctorContext) -> DoctorFinding {
        let value = observed.timeouts.udp
        return usualRange(.udp, .udpTimeout, DoctorThresholds.udp, observed, context,
            low: "a UDP flow quiet for \(value) s is forgotten and its next datagram can be sent to another real server, which breaks QUIC, VPN, SIP and other flows that keep state; only short request-reply traffic such as DNS is safe",
            high: "every client address and port keeps its entry that long after its last datagram; with DNS, where each query comes from a new port, the table grows by one entry per query, costing memory and skewing the lc and wlc schedulers")
    }

    /// A timeout outside its usual range, with what each extreme breaks; the fix is the default.
    private static func usualRange(_ name: TimeoutName, _ id: DoctorCheck, _ range: ClosedRange<UInt32>,
                                   _ observed: NamespaceObservation, _ context: DoctorContext,
                                   low: String, high: String) -> DoctorFinding {
        let value = observed.timeouts[name]
        let fallback = Timeouts.kernelDefaults[name]
        let described = "\(name.rawValue) timeout \(DoctorText.seconds(value))"
        let fix = [DoctorFix.set([(name, fallback)], in: observed.target, context)]
        if value < range.lowerBound {
            return DoctorFinding(.warning, id, "\(described) is unusually low (the default is \(fallback) s): \(low)", fixes: fix)
        }
        if value > range.upperBound {
            return DoctorFinding(.warning, id, "\(described) is unusually high (the default is \(fallback) s): \(high)", fixes: fix)
        }
        return DoctorFinding(.ok, id, "\(described) is in the usual range, \(range.lowerBound) s to \(DoctorText.seconds(range.upperBound))")
    }

    /// A persistence timeout shorter than the idle timeout is no fault: while any connection a
    /// template controls lives, the kernel re-arms the template 60 s at a time, so a client is
    /// not moved while it has connections. The two protect different things (a client's set of
    /// connections, one connection) and need not be equal; a long persistence timeout costs
    /// balance. One case does move a live client: a UDP service with one-packet scheduling keeps
    /// no connection entries, so nothing holds its templates past the persistence timeout.
    static func persistence(_ observed: NamespaceObservation, keepalived: KeepalivedConfig?,
                                   keepalivedPath: String) -> [DoctorFinding] {
        let persistent = observed.services.filter { $0.persistenceTimeout != nil && $0.proto != "SCTP" }
        var findings: [DoctorFinding] = []
        for service in persistent {
            let persistence = service.persistenceTimeout!
            let (name, timeout) = service.proto == "UDP" ? ("udp", observed.timeouts.udp) : ("tcp", observed.timeouts.tcp)
            guard persistence < timeout else { continue }
            if service.onePacket && service.proto == "UDP" {
                var fixes = [DoctorFix.ipvsadmPersistence(service, seconds: timeout)]
                if let keepalived, keepalived.defines(service) {
                    fixes.insert(DoctorFix.keepalivedPersistence(service, seconds: timeout, path: keepalivedPath), at: 0)
                }
                findings.append(DoctorFinding(.warning, .persistence,
                    "\(service.name) schedules each datagram on its own (one-packet scheduling), so no connection entry holds its templates: a client that sends nothing for \(persistence) s (its persistence timeout) is moved to another real server at its next datagram, where a flow without -o would stay for the \(timeout) s of the udp timeout",
                    fixes: fixes))
                continue
            }
            findings.append(DoctorFinding(.info, .persistence,
                "\(service.name) keeps a client on its real server for \(persistence) s after its last new connection (its persistence timeout), less than the \(timeout) s an idle connection lives (the \(name) timeout): that is safe, because while any connection the template placed still lives the kernel re-arms the template 60 s at a time (its one-minute grace), so a client moves only after all its connections have ended; the two timeouts protect different things and need not be equal, and a longer persistence timeout makes balancing coarser"))
        }
        guard findings.isEmpty else { return findings }
        let message = persistent.isEmpty
            ? "no persistent services"
            : "\(DoctorText.plural(persistent.count, "persistent service")): every persistence timeout is at least the idle timeout of its connections"
        return [DoctorFinding(.ok, .persistence, message)]
    }
}
