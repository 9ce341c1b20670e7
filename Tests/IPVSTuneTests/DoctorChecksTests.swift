@testable import IPVSTune
import XCTest

/// The checks as pure functions: observations in, findings out, no kernel.
final class DoctorChecksTests: XCTestCase {
    let host = NamespaceTarget(path: nil)
    let blue = NamespaceTarget(path: "/run/netns/blue")
    let context = DoctorContext()

    func observed(_ tcp: UInt32 = 7275, _ tcpfin: UInt32 = 120, _ udp: UInt32 = 300, services: [VirtualService] = [],
                  keepalive: TCPKeepalive? = .kernelDefaults, target: NamespaceTarget? = nil) -> NamespaceObservation {
        NamespaceObservation(target: target ?? host, timeouts: Timeouts(tcp: tcp, tcpfin: tcpfin, udp: udp),
                             services: services, keepalive: keepalive)
    }

    // MARK: tcp-keepalive

    func testTCPTimeoutAtOrBelowKeepaliveIsAWarningWithKeepalivePlusOneInterval() {
        for tcp: UInt32 in [900, 7200] {
            let finding = TimeoutChecks.tcpKeepalive(observed(tcp), context)
            XCTAssertEqual(finding.severity, .warning, "tcp \(tcp)")
            XCTAssertEqual(finding.check, .tcpKeepalive)
            XCTAssertEqual(finding.fixes, ["ipvstune set --tcp 7275 --save"])
            XCTAssertTrue(finding.message.contains("7200 s (2h)"), finding.message)
            XCTAssertTrue(finding.message.contains("reset"), finding.message)
        }
    }

    func testTCPTimeoutAboveKeepaliveIsOK() {
        XCTAssertEqual(TimeoutChecks.tcpKeepalive(observed(7201), context).severity, .ok)
        let custom = observed(900, keepalive: TCPKeepalive(time: 600, interval: 30))
        XCTAssertEqual(TimeoutChecks.tcpKeepalive(custom, context).severity, .ok)
    }

    func testKeepaliveOfTheNamespaceDecidesTheRecommendation() {
        let finding = TimeoutChecks.tcpKeepalive(observed(900, keepalive: TCPKeepalive(time: 1800, interval: 10), target: blue), context)
        XCTAssertEqual(finding.fixes, ["ipvstune set --netns /run/netns/blue --tcp 1810"])
    }

    func testFixRepeatsTheConfigNamedOnTheCommandLine() {
        let custom = DoctorContext(configPaths: ConfigPaths(main: "/srv/lb.conf", dropInDirectory: "/srv/lb.d"),
                                   configArgument: "/srv/lb.conf")
        XCTAssertEqual(TimeoutChecks.tcpKeepalive(observed(900), custom).fixes, ["ipvstune set --tcp 7275 --save --config /srv/lb.conf"])
        XCTAssertEqual(TimeoutChecks.tcpKeepalive(observed(900, target: blue), custom).fixes,
                       ["ipvstune set --netns /run/netns/blue --tcp 7275 --save --config /srv/lb.conf"])
    }

    func testUnreadableKeepaliveIsANote() {
        var input = observed(900, keepalive: nil)
        input.keepaliveProblem = "cannot read /proc/sys/net/ipv4/tcp_keepalive_time: no such file or directory"
        let finding = TimeoutChecks.tcpKeepalive(input, context)
        XCTAssertEqual(finding.severity, .info)
        XCTAssertTrue(finding.message.hasPrefix("cannot read /proc/sys/net/ipv4/tcp_keepalive_time"))
    }

    func testRecommendationNeverExceedsTheLargestTimeout() {
        let finding = TimeoutChecks.tcpKeepalive(observed(900, keepalive: TCPKeepalive(time: 2_678_400, interval: 75)), context)
        XCTAssertEqual(finding.fixes, ["ipvstune set --tcp 2678400 --save"])
    }

    // MARK: tcpfin and udp

    func testTCPFINThresholds() {
        for (value, severity, word) in [(29, DoctorSeverity.warning, "low"), (30, .ok, "usual"), (120, .ok, "usual"),
                                        (600, .ok, "usual"), (601, .warning, "high"), (3600, .warning, "high")] {
            let finding = TimeoutChecks.tcpfin(observed(7275, UInt32(value)), context)
            XCTAssertEqual(finding.severity, severity, "tcpfin \(value)")
            XCTAssertTrue(finding.message.contains(word), finding.message)
            XCTAssertEqual(finding.fixes, severity == .ok ? [] : ["ipvstune set --tcpfin 120 --save"])
        }
        XCTAssertTrue(TimeoutChecks.tcpfin(observed(7275, 5), context).message.contains("half-closed"))
        XCTAssertTrue(TimeoutChecks.tcpfin(observed(7275, 3600), context).message.contains("wlc"))
    }

    func testUDPThresholds() {
        for (value, severity, word) in [(10, DoctorSeverity.warning, "low"), (30, .ok, "usual"), (300, .ok, "usual"),
                                        (3600, .ok, "usual"), (3601, .warning, "high")] {
            let finding = TimeoutChecks.udp(observed(7275, 120, UInt32(value)), context)
            XCTAssertEqual(finding.severity, severity, "udp \(value)")
            XCTAssertTrue(finding.message.contains(word), finding.message)
        }
        XCTAssertTrue(TimeoutChecks.udp(observed(7275, 120, 10), context).message.contains("another real server"))
        XCTAssertEqual(TimeoutChecks.udp(observed(7275, 120, 5, target: blue), context).fixes,
                       ["ipvstune set --netns /run/netns/blue --udp 300"])
    }

    // MARK: persistence

    func service(_ proto: String = "TCP", address: IPAddress? = "10.1.0.100", port: UInt16 = 80, mark: UInt32? = nil,
                 persistence: UInt32?, netmask: UInt32 = UInt32.max, family: VirtualService.Family = .inet,
                 scheduler: String = "rr") -> VirtualService {
        VirtualService(family: family, proto: proto, address: address, port: port, firewallMark: mark, scheduler: scheduler,
                       persistenceTimeout: persistence, persistenceNetmask: netmask)
    }

    func testPersistenceShorterThanTheIdleTimeoutIsAnExplainedNoteWithoutAFix() {
        let findings = TimeoutChecks.persistence(observed(900, services: [service(persistence: 60)]), keepalived: nil,
                                                 keepalivedPath: "/etc/keepalived/keepalived.conf")
        XCTAssertEqual(findings.map(\.severity), [.info])
        XCTAssertEqual(findings[0].check, .persistence)
        XCTAssertEqual(findings[0].fixes, [], "nothing to equalize: the grace protects live clients")
        let message = findings[0].message
        XCTAssertTrue(message.hasPrefix("TCP 10.1.0.100:80 keeps a client on its real server for 60 s after its last new connection (its persistence timeout), less than the 900 s an idle connection lives (the tcp timeout): that is safe"), message)
        XCTAssertTrue(message.contains("re-arms the template 60 s at a time"), message)
        XCTAssertTrue(message.contains("only after all its connections have ended"), message)
        XCTAssertTrue(message.contains("need not be equal"), message)
        XCTAssertFalse(DoctorReport(findings: findings).status == .findings)
    }

    func testOnePacketUDPIsTheCaseThatMovesALiveClient() {
        var ops = service("UDP", port: 53, persistence: 30)
        ops.onePacket = true
        ops.persistenceEngine = "sip"
        let plainUDP = service("UDP", port: 54, persistence: 30)
        let findings = TimeoutChecks.persistence(observed(900, services: [ops, plainUDP]), keepalived: nil, keepalivedPath: "k")
        XCTAssertEqual(findings.map(\.severity), [.warning, .info])
        XCTAssertTrue(findings[0].message.hasPrefix("UDP 10.1.0.100:53 schedules each datagram on its own (one-packet scheduling), so no connection entry holds its templates: a client that sends nothing for 30 s (its persistence timeout) is moved"), findings[0].message)
        XCTAssertEqual(findings[0].fixes, ["ipvsadm -E -u 10.1.0.100:53 -s rr -p 300 -o --pe sip"], "the fix keeps -o and the engine")
        XCTAssertTrue(findings[1].message.contains("(the udp timeout): that is safe"), findings[1].message)
        var tcpOPS = service(persistence: 30)
        tcpOPS.onePacket = true  // the kernel honours -o for UDP only
        XCTAssertEqual(TimeoutChecks.persistence(observed(900, services: [tcpOPS]), keepalived: nil, keepalivedPath: "k").map(\.severity), [.info])
    }

    func testOnePacketFixRepeatsWhatIpvsadmEditWouldReset() {
        // 255.255.255.0 as the kernel sends it: network byte order.
        let mask = UInt32(bigEndian: 0xFFFF_FF00)
        var fwmark = service("UDP", address: "10.1.0.100", port: 5060, persistence: 60, netmask: mask, scheduler: "wlc")
        fwmark.onePacket = true
        var v6 = service("UDP", address: "fd01::100", persistence: 60, netmask: 64, family: .inet6, scheduler: "sh")
        v6.onePacket = true
        let findings = TimeoutChecks.persistence(observed(900, services: [fwmark, v6]), keepalived: nil, keepalivedPath: "k")
        XCTAssertEqual(findings.map(\.fixes), [
            ["ipvsadm -E -u 10.1.0.100:5060 -s wlc -p 300 -M 255.255.255.0 -o"],
            ["ipvsadm -E -u [fd01::100]:80 -s sh -p 300 -M 64 -o"],
        ])
    }

    func testPersistenceAtLeastTheTimeoutIsOK() {
        let findings = TimeoutChecks.persistence(observed(900, services: [service(persistence: 900), service(port: 81, persistence: nil)]),
                                                 keepalived: nil, keepalivedPath: "k")
        XCTAssertEqual(findings.map(\.severity), [.ok])
        XCTAssertTrue(findings[0].message.contains("1 persistent service"), findings[0].message)
        XCTAssertEqual(TimeoutChecks.persistence(observed(900), keepalived: nil, keepalivedPath: "k").map(\.message),
                       ["no persistent services"])
    }

    func testPersistenceOfAKeepalivedServiceIsFixedInKeepalivedFirst() {
        let keepalived = KeepalivedConfig.parse("virtual_server 10.1.0.100 53 {\n  persistence_timeout 60\n  ops\n}\n")
        var ops = service("UDP", port: 53, persistence: 60)
        ops.onePacket = true
        let findings = TimeoutChecks.persistence(observed(900, services: [ops]), keepalived: keepalived,
                                                 keepalivedPath: "/etc/keepalived/keepalived.conf")
        XCTAssertEqual(findings[0].fixes, [
            "persistence_timeout 300 in the virtual_server 10.1.0.100 53 block of /etc/keepalived/keepalived.conf, then reload keepalived",
            "ipvsadm -E -u 10.1.0.100:53 -s rr -p 300 -o",
        ])
    }

    // MARK: one namespace

    func testANamespaceNobodyNamedIsJudgedOnlyWithServices() {
        var quiet = observed(900, target: blue)
        quiet.isPrimary = false
        quiet.coveredByConfig = false
        let findings = TimeoutChecks.all(quiet, config: nil, keepalived: nil, keepalivedPath: "k", context)
        XCTAssertEqual(findings.map(\.check), [.namespace])
        XCTAssertEqual(findings.map(\.severity), [.ok])
        XCTAssertEqual(findings[0].namespace, "/run/netns/blue")

        quiet.services = [service(persistence: nil)]
        let busy = TimeoutChecks.all(quiet, config: nil, keepalived: nil, keepalivedPath: "k", context)
        XCTAssertEqual(busy.map(\.check), [.tcpKeepalive, .tcpfinTimeout, .udpTimeout, .persistence])
        XCTAssertTrue(busy.allSatisfy { $0.namespace == "/run/netns/blue" })
    }

    func testDriftIsCheckedWhereTheConfigApplies() {
        let config = effectiveConfig(tcp: 7275)
        let hostFindings = TimeoutChecks.all(observed(900), config: config, keepalived: nil, keepalivedPath: "k", context)
        XCTAssertEqual(hostFindings.last?.check, .config)
        var other = observed(900, target: blue)
        other.isPrimary = false
        other.coveredByConfig = false
        XCTAssertFalse(TimeoutChecks.all(other, config: config, keepalived: nil, keepalivedPath: "k", context).contains { $0.check == .config })
        other.coveredByConfig = true
        XCTAssertTrue(TimeoutChecks.all(other, config: config, keepalived: nil, keepalivedPath: "k", context).contains { $0.check == .config })
    }

    // MARK: config

    func testNoConfigIsAWarningFixedBySave() {
        let finding = ConfigChecks.config(ConfigCheck(files: [], config: nil, problems: []), context)
        XCTAssertEqual(finding?.severity, .warning)
        XCTAssertEqual(finding?.fixes, ["ipvstune save"])
        XCTAssertTrue(finding?.message.contains("/etc/ipvstune.conf") ?? false)
    }

    func testBrokenConfigIsAnError() {
        let problems = [ConfigProblem(path: "/etc/ipvstune.conf", line: 2, "unknown key 'tpc'"),
                        ConfigProblem(path: "/etc/ipvstune.conf", line: 3, "x")]
        let finding = ConfigChecks.config(ConfigCheck(files: ["/etc/ipvstune.conf"], config: nil, problems: problems), context)
        XCTAssertEqual(finding?.severity, .error)
        XCTAssertTrue(finding?.message.contains("/etc/ipvstune.conf:2: unknown key 'tpc' (and 1 more problem)") ?? false,
                      finding?.message ?? "")
        XCTAssertTrue(finding?.fixes.first?.contains("ipvstune show-config") ?? false)
    }

    func testConfigWithoutTimeoutsIsANoteAndAValidOneLeavesItToDrift() {
        let empty = EffectiveConfig(files: ["/etc/ipvstune.conf"])
        XCTAssertEqual(ConfigChecks.config(ConfigCheck(files: empty.files, config: empty, problems: []), context)?.severity, .info)
        let valid = effectiveConfig(tcp: 7275)
        XCTAssertNil(ConfigChecks.config(ConfigCheck(files: valid.files, config: valid, problems: []), context))
    }

    func testDriftNamesEachDifferenceAndItsLine() {
        let config = effectiveConfig(tcp: 7275, udp: 60)
        let finding = ConfigChecks.drift(observed(900, 120, 60), config, context)
        XCTAssertEqual(finding?.severity, .warning)
        XCTAssertEqual(finding?.fixes, ["ipvstune apply"])
        XCTAssertTrue(finding?.message.contains("tcp is 900, the config says 7275 (/etc/ipvstune.conf:1)") ?? false, finding?.message ?? "")
        XCTAssertFalse(finding?.message.contains("udp is") ?? true)
        XCTAssertEqual(ConfigChecks.drift(observed(900, target: blue), config, context)?.fixes, ["ipvstune apply --netns /run/netns/blue"])
        let same = ConfigChecks.drift(observed(7275, 120, 60), config, context)
        XCTAssertEqual(same?.severity, .ok)
        XCTAssertEqual(same?.message, "the kernel holds the config's timeouts: tcp 7275, udp 60 (/etc/ipvstune.conf)")
    }

    // MARK: boot unit

    func testBootUnitStates() {
        XCTAssertEqual(ConfigChecks.bootUnit(.enabled(link: "/etc/systemd/system/multi-user.target.wants/ipvstune.service")).severity, .ok)
        let disabled = ConfigChecks.bootUnit(.disabled(unit: "/lib/systemd/system/ipvstune.service"))
        XCTAssertEqual(disabled.severity, .warning)
        XCTAssertEqual(disabled.fixes, ["systemctl enable ipvstune.service"])
        XCTAssertEqual(ConfigChecks.bootUnit(.masked(path: "/etc/systemd/system/ipvstune.service")).fixes,
                       ["systemctl unmask ipvstune.service && systemctl enable ipvstune.service"])
        XCTAssertEqual(ConfigChecks.bootUnit(.notInstalled).severity, .warning)
        XCTAssertEqual(ConfigChecks.bootUnit(.dangling(link: "x")).severity, .warning)
    }

    // MARK: netns-defaults

    func testNamespaceWithServicesOnDefaultsIsAWarning() {
        let scans = [
            NamespaceScan(target: NamespaceTarget(path: "/var/run/docker/netns/lb_web"), timeouts: .kernelDefaults, services: 2),
            NamespaceScan(target: NamespaceTarget(path: "/run/netns/empty"), timeouts: .kernelDefaults, services: 0),
            NamespaceScan(target: NamespaceTarget(path: "/run/netns/tuned"), timeouts: Timeouts(tcp: 7275, tcpfin: 120, udp: 300), services: 1),
            NamespaceScan(target: NamespaceTarget(path: "/run/netns/gone"), timeouts: nil, services: 0, problem: "not found"),
        ]
        let findings = ConfigChecks.netnsDefaults(scans, config: effectiveConfig(tcp: 7275), context)
        XCTAssertEqual(findings.map(\.severity), [.warning, .info])
        XCTAssertTrue(findings[0].message.hasPrefix("/var/run/docker/netns/lb_web has 2 IPVS services but still runs the kernel's defaults 900/120/300"))
        XCTAssertEqual(findings[0].fixes, ["ipvstune apply --all-netns",
                                           "add the line 'netns = /var/run/docker/netns/lb_*' to /etc/ipvstune.conf, so every apply (and boot) covers it"])
    }

    func testNoNamespaceOnDefaultsIsOK() {
        XCTAssertEqual(ConfigChecks.netnsDefaults([], config: nil, context).map(\.severity), [.ok])
        let scans = [NamespaceScan(target: NamespaceTarget(path: "/run/netns/blue"), timeouts: .kernelDefaults, services: 0)]
        let findings = ConfigChecks.netnsDefaults(scans, config: nil, context)
        XCTAssertEqual(findings.map(\.severity), [.ok])
        XCTAssertTrue(findings[0].message.contains("1 other network namespace"), findings[0].message)
    }

    // MARK: keepalived

    func keepalived(_ text: String, kernel: Timeouts = Timeouts(tcp: 7275, tcpfin: 120, udp: 300), pid: Int? = 42,
                    version: KeepalivedVersion? = KeepalivedVersion(2, 2, 7)) -> KeepalivedObservation {
        KeepalivedObservation(path: "/etc/keepalived/keepalived.conf", source: .parsed(KeepalivedConfig.parse(text)),
                              kernel: kernel, pid: pid, version: version)
    }

    let virtualServer = "virtual_server 10.1.0.100 80 {\n    lb_algo rr\n    protocol TCP\n}\n"
    /// lvs_timeouts on line 3, with a virtual_server: keepalived 2.1.4 and later applies it.
    var lvs7275: String { "global_defs {\n    router_id lb1\n    lvs_timeouts tcp 7275 udp 300\n}\n" + virtualServer }
    let lvs7275Alone = "global_defs {\n    router_id lb1\n    lvs_timeouts tcp 7275 udp 300\n}\n"
    let lvs7275Synced = "global_defs {\n    lvs_sync_daemon eth0 VI_1\n    lvs_timeouts tcp 7275 udp 300\n}\n"

    func testKeepalivedAbsentOrWithoutLvsTimeoutsIsOK() {
        let absent = KeepalivedObservation(path: "/etc/keepalived/keepalived.conf", source: .absent)
        XCTAssertEqual(ManagerChecks.keepalived(absent, config: nil, context).map(\.severity), [.ok])
        XCTAssertEqual(ManagerChecks.keepalived(keepalived("global_defs {\n}\n"), config: nil, context).map(\.severity), [.ok])
    }

    func testKeepalivedVersionsFromDpkgAndFromItsBanner() {
        let status = "Package: keepalive\nStatus: install ok installed\nVersion: 9.9\n\nPackage: keepalived\nStatus: install ok installed\nPriority: optional\nVersion: 1:2.2.7-1+b2\n\n"
        XCTAssertEqual(KeepalivedVersion.dpkgStatus(status), KeepalivedVersion(2, 2, 7))
        XCTAssertNil(KeepalivedVersion.dpkgStatus("Package: keepalived\nStatus: deinstall ok config-files\nVersion: 1:2.2.7-1\n"))
        XCTAssertEqual(KeepalivedVersion.dpkgStatus("Package: keepalived\nStatus: install ok installed\nVersion: 1:2.3.3-1\n"), KeepalivedVersion(2, 3, 3))
        XCTAssertEqual(KeepalivedVersion.banner("Keepalived v2.2.7 (01/16,2022)\n\nCopyright(C) 2001-2022 Alexandre Cassen\n"), KeepalivedVersion(2, 2, 7))
        XCTAssertEqual(KeepalivedVersion.banner("Keepalived v2.1.5 (07/13,2020)"), KeepalivedVersion(2, 1, 5))
        XCTAssertNil(KeepalivedVersion.banner("keepalived: unrecognized option"))
        XCTAssertTrue(KeepalivedVersion(2, 1, 3) < KeepalivedVersion(2, 1, 4))
        XCTAssertTrue(KeepalivedVersion(2, 0, 20) < KeepalivedVersion(2, 1))
        XCTAssertFalse(KeepalivedVersion("2.1.3")!.checkerApplies)
        XCTAssertTrue(KeepalivedVersion("2.1.4")!.checkerApplies)
        XCTAssertTrue(KeepalivedVersion("2.3.3-1")!.checkerApplies)
        XCTAssertEqual(KeepalivedVersion("2.0.19~rc1")?.description, "2.0.19")
    }

    func testKeepalived214AndLaterNeverSetsLvsTimeoutsWithoutAVirtualServerSyncDaemonOrNot() {
        // The real 2.2.7: lvs_timeouts and lvs_sync_daemon, no virtual_server: nothing is set.
        for text in [lvs7275Alone, lvs7275Synced] {
            for version in [KeepalivedVersion(2, 1, 4), KeepalivedVersion(2, 2, 7), KeepalivedVersion(2, 3, 3)] {
                let findings = ManagerChecks.keepalived(keepalived(text, kernel: .kernelDefaults, version: version), config: nil, context)
                XCTAssertEqual(findings.map(\.severity), [.warning])
                let message = findings[0].message
                XCTAssertTrue(message.hasPrefix("/etc/keepalived/keepalived.conf:3 sets tcp 7275, udp 300, but keepalived \(version) applies lvs_timeouts from its checker process, which runs only when at least one virtual_server is configured"), message)
                XCTAssertTrue(message.contains("configures no virtual_server: keepalived never sets these timeouts, and the kernel has tcp 900"), message)
                XCTAssertFalse(message.contains("something changed them"), message)
                XCTAssertEqual(findings[0].fixes, ["sed -i 3d /etc/keepalived/keepalived.conf",
                                                   "ipvstune set --tcp 7275 --save (to have keepalived.conf's values)"])
            }
        }
        // Once the kernel has the values from elsewhere, the dead line is only a note.
        let held = ManagerChecks.keepalived(keepalived(lvs7275Synced), config: effectiveConfig(tcp: 7275), context)
        XCTAssertEqual(held.map(\.severity), [.info])
        XCTAssertTrue(held[0].message.hasSuffix("keepalived never sets these timeouts; the kernel has these values from elsewhere"), held[0].message)
        // A conflict with ipvstune's config is none when keepalived never sets them.
        XCTAssertEqual(ManagerChecks.keepalived(keepalived(lvs7275Alone), config: effectiveConfig(tcp: 7300), context).map(\.severity), [.info])
    }

    func testKeepalivedBefore214AppliesLvsTimeoutsOnlyWithASyncDaemon() {
        let old = KeepalivedVersion(2, 0, 20)
        let alone = ManagerChecks.keepalived(keepalived(lvs7275, kernel: .kernelDefaults, version: old), config: nil, context)
        XCTAssertEqual(alone.map(\.severity), [.warning])
        XCTAssertTrue(alone[0].message.contains("keepalived 2.0.20 applies lvs_timeouts from its VRRP process, and only when lvs_sync_daemon is configured (before 2.1.4), and /etc/keepalived/keepalived.conf configures no lvs_sync_daemon"), alone[0].message)
        // With lvs_sync_daemon and no virtual_server, the old VRRP process did set them.
        let synced = ManagerChecks.keepalived(keepalived(lvs7275Synced, kernel: .kernelDefaults, version: old), config: nil, context)
        XCTAssertTrue(synced[0].message.hasPrefix("/etc/keepalived/keepalived.conf:3 sets tcp 7275 where the kernel has 900: something changed them after keepalived (pid 42) set them"), synced[0].message)
        XCTAssertTrue(synced[0].message.contains("keepalived 2.0.20 sets lvs_timeouts when its VRRP process starts"), synced[0].message)
    }

    func testKeepalivedWithAVirtualServerStatesTheRestoreRules() {
        let findings = ManagerChecks.keepalived(keepalived(lvs7275, kernel: .kernelDefaults), config: nil, context)
        XCTAssertEqual(findings.map(\.severity), [.warning])
        let message = findings[0].message
        XCTAssertTrue(message.hasPrefix("/etc/keepalived/keepalived.conf:3 sets tcp 7275 where the kernel has 900: something changed them after keepalived (pid 42) set them, and its next reload puts its own back"), message)
        XCTAssertTrue(message.contains("keepalived 2.2.7 sets lvs_timeouts when its checker starts, records the values it found the first time, puts them back when it stops and before each reload, and sets its own again after the reload (a SIGKILL skips the restore)"), message)
        XCTAssertEqual(findings[0].fixes, ["ipvstune set --tcp 7275 --save"])
        let stopped = ManagerChecks.keepalived(keepalived(lvs7275, kernel: .kernelDefaults, pid: nil), config: nil, context)
        XCTAssertTrue(stopped[0].message.contains("keepalived is not running; keepalived 2.2.7 sets lvs_timeouts when its checker starts"), stopped[0].message)
        let unknown = ManagerChecks.keepalived(keepalived(lvs7275, kernel: .kernelDefaults, version: nil), config: nil, context)
        XCTAssertTrue(unknown[0].message.contains("keepalived (version unknown: no dpkg record, no keepalived --version; judged as 2.1.4 or later)"), unknown[0].message)
    }

    func testKeepalivedTCPAtTheKeepaliveTimeBringsTheResetsBack() {
        // The value keepalived's own examples use: exactly the keepalive time, which loses the race.
        let text = "global_defs {\n lvs_timeouts tcp 7200 tcpfin 120 udp 300\n}\n" + virtualServer
        let findings = ManagerChecks.keepalived(keepalived(text, kernel: Timeouts(tcp: 7200, tcpfin: 120, udp: 300)), config: nil, context)
        XCTAssertEqual(findings.map(\.severity), [.warning])
        XCTAssertTrue(findings[0].message.contains("sets tcp 7200, not above the TCP keepalive time 7200 s (2h)"), findings[0].message)
        XCTAssertEqual(findings[0].fixes, ["sed -i '2c\\ lvs_timeouts tcp 7275 tcpfin 120 udp 300' /etc/keepalived/keepalived.conf && systemctl reload keepalived",
                                           "sed -i 2d /etc/keepalived/keepalived.conf && systemctl reload keepalived"])
    }

    func testKeepalivedAgainstIpvstuneConfig() {
        let findings = ManagerChecks.keepalived(keepalived(lvs7275), config: effectiveConfig(tcp: 7300), context)
        XCTAssertEqual(findings.map(\.severity), [.warning])
        XCTAssertTrue(findings[0].message.contains("tcp 7275 where ipvstune's config says 7300 (/etc/ipvstune.conf:1)"), findings[0].message)
        XCTAssertTrue(findings[0].message.hasSuffix("so the kernel has keepalived's values while it runs and goes back to ipvstune's when it stops"), findings[0].message)
        XCTAssertEqual(findings[0].fixes, ["sed -i '3c\\    lvs_timeouts tcp 7300 udp 300' /etc/keepalived/keepalived.conf && systemctl reload keepalived",
                                           "sed -i 3d /etc/keepalived/keepalived.conf && systemctl reload keepalived"])
        // A line shared with a brace cannot be replaced by line number: the fix says what to write.
        let shared = "global_defs { lvs_timeouts tcp 7275 }\n" + virtualServer
        XCTAssertEqual(ManagerChecks.keepalived(keepalived(shared), config: effectiveConfig(tcp: 7300), context)[0].fixes,
                       ["write 'lvs_timeouts tcp 7300' on line 1 of /etc/keepalived/keepalived.conf, then systemctl reload keepalived",
                        "remove lvs_timeouts from line 1 of /etc/keepalived/keepalived.conf, then systemctl reload keepalived"])
    }

    func testKeepalivedAgreeingEverywhereIsOKAndUnsavedIsANote() {
        let agreed = ManagerChecks.keepalived(keepalived(lvs7275), config: effectiveConfig(tcp: 7275, udp: 300), context)
        XCTAssertEqual(agreed.map(\.severity), [.ok])
        let unsaved = ManagerChecks.keepalived(keepalived(lvs7275), config: nil, context)
        XCTAssertEqual(unsaved.map(\.severity), [.info])
        XCTAssertEqual(unsaved[0].fixes, ["ipvstune set --tcp 7275 --udp 300 --save"])
    }

    func testKeepalivedVirtualServerGroupCountsAndIncludesMayHoldOne() {
        let group = KeepalivedConfig.parse("global_defs {\n lvs_timeouts tcp 7275\n}\nvirtual_server group web {\n}\n")
        XCTAssertTrue(group.hasVirtualServer)
        XCTAssertEqual(group.virtualServers, [])
        XCTAssertEqual(group.lvsTimeouts?.indent, " ")
        XCTAssertFalse(KeepalivedConfig.parse("global_defs {\n}\nvirtual_server_group web {\n 10.1.0.1 80\n}\n").hasVirtualServer)
        let included = "include /etc/keepalived/services/*.conf\n" + lvs7275Alone
        let findings = ManagerChecks.keepalived(keepalived(included, kernel: .kernelDefaults), config: nil, context)
        XCTAssertEqual(findings.map(\.severity), [.info, .warning])
        XCTAssertTrue(findings[1].message.contains("something changed them after keepalived"), findings[1].message)
    }

    func testKeepalivedIncludesAndBadLines() {
        let text = "include /etc/keepalived/conf.d/*.conf\nglobal_defs {\n  lvs_timeouts tcp 2h tcp_fin 5\n}\nlvs_timeouts tcp 1\n"
        let findings = ManagerChecks.keepalived(keepalived(text), config: nil, context)
        XCTAssertEqual(findings.map(\.severity), [.warning, .warning, .warning, .info, .ok])
        XCTAssertTrue(findings[0].message.hasPrefix("/etc/keepalived/keepalived.conf:3: lvs_timeouts: tcp '2h' is not whole seconds"), findings[0].message)
        XCTAssertTrue(findings[3].message.contains("includes /etc/keepalived/conf.d/*.conf"), findings[3].message)
    }

    // MARK: kube-proxy

    func kubeProxy(_ arguments: [String], kernel: Timeouts = .kernelDefaults) -> KubeProxyObservation {
        KubeProxyObservation(pid: 7, flags: KubeProxyFlags.parse(["kube-proxy"] + arguments), kernel: kernel)
    }

    let tuned = Timeouts(tcp: 7275, tcpfin: 120, udp: 300)

    func testNoKubeProxyIsOK() {
        XCTAssertEqual(ManagerChecks.kubeProxy([], config: nil, context).map(\.message), ["no kube-proxy running"])
    }

    let deprecated = "kube-proxy (pid 7) runs in IPVS mode, deprecated since Kubernetes 1.35: nftables mode is the recommended replacement"

    func testKubeProxyTCPAtOrBelowKeepaliveBringsTheResetsBack() {
        let findings = ManagerChecks.kubeProxy([kubeProxy(["--proxy-mode=ipvs", "--ipvs-tcp-timeout=15m0s"], kernel: tuned)], config: effectiveConfig(tcp: 7275), context)
        XCTAssertEqual(findings.map(\.severity), [.info, .warning])
        XCTAssertEqual(findings[0].message, deprecated)
        XCTAssertTrue(findings[1].message.hasPrefix("kube-proxy (pid 7) sets tcp 900 (--ipvs-tcp-timeout=15m0s), not above the TCP keepalive time 7200 s (2h)"), findings[1].message)
        XCTAssertEqual(findings[1].fixes, ["start kube-proxy with --ipvs-tcp-timeout=7275s (in its DaemonSet or unit), or with 0s to leave the timeouts to ipvstune"])
    }

    func testKubeProxyDisagreeingWithTheKernel() {
        let findings = ManagerChecks.kubeProxy([kubeProxy(["--proxy-mode=ipvs", "--ipvs-tcp-timeout=3h0m0s"], kernel: tuned)],
                                               config: nil, context)
        XCTAssertEqual(findings.map(\.severity), [.info, .warning])
        XCTAssertTrue(findings[1].message.hasPrefix("kube-proxy (pid 7) set tcp 10800 (--ipvs-tcp-timeout=3h0m0s) when it started, but the kernel now has tcp 7275"), findings[1].message)
        XCTAssertEqual(findings[1].fixes, ["start kube-proxy with --ipvs-tcp-timeout=7275s (in its DaemonSet or unit) to keep the kernel's values, or with 0s to leave the timeouts to ipvstune",
                                           "ipvstune set --tcp 10800 --save (to go back to kube-proxy's values)"])
    }

    func testKubeProxyDisagreeingWithTheConfig() {
        let findings = ManagerChecks.kubeProxy([kubeProxy(["--proxy-mode", "ipvs", "--ipvs-tcp-timeout", "3h0m0s", "--ipvs-udp-timeout=5m0s"])],
                                               config: effectiveConfig(tcp: 7275), context)
        XCTAssertEqual(findings.map(\.severity), [.info, .warning])
        XCTAssertTrue(findings[1].message.contains("tcp 10800 (--ipvs-tcp-timeout=3h0m0s) where ipvstune's config says 7275"), findings[1].message)
        XCTAssertTrue(findings[1].fixes[0].hasPrefix("start kube-proxy with --ipvs-tcp-timeout=7275s"))
    }

    func testKubeProxyAgreeingOrNotSettingIsOK() {
        let agreeing = ManagerChecks.kubeProxy([kubeProxy(["--proxy-mode=ipvs", "--ipvs-tcp-timeout=2h1m15s"], kernel: tuned)], config: effectiveConfig(tcp: 7275), context)
        XCTAssertEqual(agreeing.map(\.severity), [.info, .ok])
        XCTAssertEqual(agreeing[1].message, "kube-proxy (pid 7) sets tcp 7275, as the kernel has and ipvstune's config says")
        XCTAssertEqual(ManagerChecks.kubeProxy([kubeProxy(["--proxy-mode=ipvs", "--ipvs-tcp-timeout=0s"])], config: nil, context).map(\.severity), [.info, .ok])
        XCTAssertEqual(ManagerChecks.kubeProxy([kubeProxy(["--proxy-mode=iptables", "--ipvs-tcp-timeout=1s"])], config: nil, context).map(\.severity), [.ok])
    }

    func testKubeProxyWithoutAModeRunsIptablesAndSetsNothing() {
        // kube-proxy's default mode on Linux is iptables: --ipvs-* flags alone do nothing.
        let findings = ManagerChecks.kubeProxy([kubeProxy(["--ipvs-tcp-timeout=15m0s"])], config: effectiveConfig(tcp: 7275), context)
        XCTAssertEqual(findings.map(\.message), ["kube-proxy (pid 7) runs in iptables mode (the default) and does not touch the IPVS timeouts"])
        XCTAssertTrue(KubeProxyFlags.parse(["kube-proxy", "--ipvs-tcp-timeout=15m0s"]).setsNothing)
        XCTAssertEqual(ManagerChecks.kubeProxy([kubeProxy(["--proxy-mode=nftables"])], config: nil, context).map(\.message),
                       ["kube-proxy (pid 7) runs in nftables mode and does not touch the IPVS timeouts"])
    }

    let kubeadmConfig = """
        apiVersion: kubeproxy.config.k8s.io/v1alpha1
        bindAddress: 0.0.0.0
        clusterCIDR: 10.244.0.0/16
        ipvs:
          excludeCIDRs: null
          minSyncPeriod: 0s
          scheduler: ""
          strictARP: false
          syncPeriod: 0s
          tcpFinTimeout: 0s
          tcpTimeout: "15m0s"   # the kernel's default, spelled out
          udpTimeout: 5m0s
        kind: KubeProxyConfiguration
        mode: 'ipvs'
        nodePortAddresses: null
        """

    func testKubeProxyConfigFileIsParsed() {
        let file = KubeProxyConfigFile.parse(kubeadmConfig)
        XCTAssertEqual(file.mode, "ipvs")
        XCTAssertEqual(file.timeouts, TimeoutUpdate(tcp: 900, udp: 300))
        XCTAssertEqual(file.written[.tcp], "ipvs.tcpTimeout: 15m0s")
        XCTAssertEqual(file.lines[.tcp], 11)
        XCTAssertEqual(file.problems, [])
        XCTAssertNil(KubeProxyConfigFile.parse("kind: KubeProxyConfiguration\nmode: \"\"\n").mode.flatMap { $0.isEmpty ? nil : $0 })
        // A key of the same name elsewhere is not the ipvs block's.
        let other = KubeProxyConfigFile.parse("winkernel:\n  tcpTimeout: 1s\nipvs:\n  udpTimeout: 1m\nconntrack:\n  tcpTimeout: 2s\n")
        XCTAssertEqual(other.timeouts, TimeoutUpdate(udp: 60))
        XCTAssertEqual(KubeProxyConfigFile.parse("ipvs:\n  tcpTimeout: 2 hours\n").problems,
                       ["ipvs.tcpTimeout: 2 hours (line 2) is not a Go duration such as 900s, 15m0s or 2h0m0s"])
        XCTAssertEqual(KubeProxyConfigFile.parse("{\"mode\": \"ipvs\"}").problems, ["line 1 is flow-style YAML (JSON), which doctor does not read"])
        XCTAssertEqual(KubeProxyConfigFile.parse("ipvs:\r\n  tcpTimeout: 2h\r\nmode: ipvs\r\n").timeouts, TimeoutUpdate(tcp: 7200))
    }

    func testKubeProxyWithConfigTakesTheFileAndIgnoresTheFlags() {
        let flags = KubeProxyFlags.parse(["kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--proxy-mode=iptables", "--ipvs-tcp-timeout=3h"])
        let settings = flags.applying(KubeProxyConfigFile.parse(kubeadmConfig))
        XCTAssertEqual(settings.mode, "ipvs")
        XCTAssertEqual(settings.timeouts, TimeoutUpdate(tcp: 900, udp: 300))
        XCTAssertEqual(settings.problems, ["--ipvs-tcp-timeout=3h and --proxy-mode=iptables are ignored: with --config, kube-proxy takes its mode and IPVS timeouts from /var/lib/kube-proxy/config.conf only"])
        let findings = ManagerChecks.kubeProxy([KubeProxyObservation(pid: 7, flags: settings, kernel: tuned)], config: effectiveConfig(tcp: 7275), context)
        XCTAssertEqual(findings.map(\.severity), [.info, .info, .warning])
        XCTAssertEqual(findings[1].message, deprecated)
        XCTAssertTrue(findings[2].message.hasPrefix("kube-proxy (pid 7) sets tcp 900 (/var/lib/kube-proxy/config.conf:11 ipvs.tcpTimeout: 15m0s), not above the TCP keepalive time"), findings[2].message)
        XCTAssertEqual(findings[2].fixes, ["set ipvs.tcpTimeout: 7275s in /var/lib/kube-proxy/config.conf (with kubeadm, the kube-proxy ConfigMap), then restart kube-proxy, or with 0s to leave the timeouts to ipvstune"])
        // A file in another mode: the flags' ipvs mode does not count.
        let iptables = flags.applying(KubeProxyConfigFile.parse("mode: iptables\nipvs:\n  tcpTimeout: 1s\n"))
        XCTAssertTrue(iptables.setsNothing)
        // An unreadable file: nothing is judged from the flags it overrides.
        let unread = ManagerChecks.kubeProxy([KubeProxyObservation(pid: 7, flags: flags, kernel: tuned, configProblem: "cannot read /x (--config, as /proc/7/root/x): no such file")], config: nil, context)
        XCTAssertEqual(unread.map(\.severity), [.info])
        XCTAssertTrue(unread[0].message.hasSuffix("its mode and IPVS timeouts, which that file decides, were not checked"), unread[0].message)
    }

    func testHyperkubeRunsKubeProxy() {
        func process(_ name: String, _ arguments: [String]) -> RunningProcess {
            RunningProcess(pid: 1, name: name, arguments: arguments, namespacePath: "/proc/1/ns/net")
        }
        XCTAssertTrue(KubeProxyFlags.isKubeProxy(process("kube-proxy", ["/usr/local/bin/kube-proxy"])))
        XCTAssertTrue(KubeProxyFlags.isKubeProxy(process("hyperkube", ["/hyperkube", "kube-proxy", "--proxy-mode=ipvs"])))
        XCTAssertTrue(KubeProxyFlags.isKubeProxy(process("hyperkube", ["hyperkube", "proxy", "--config", "/x"])))
        XCTAssertTrue(KubeProxyFlags.isKubeProxy(process("hyperkube", ["/bin/sh", "/usr/local/bin/hyperkube", "kube-proxy"])))
        XCTAssertFalse(KubeProxyFlags.isKubeProxy(process("hyperkube", ["/hyperkube", "kubelet", "--proxy-mode=ipvs"])))
        XCTAssertFalse(KubeProxyFlags.isKubeProxy(process("keepalived", ["keepalived"])))
        let flags = KubeProxyFlags.parse(["/hyperkube", "proxy", "--proxy-mode=ipvs", "--ipvs-udp-timeout", "1m"])
        XCTAssertEqual(flags.timeouts, TimeoutUpdate(udp: 60))
        XCTAssertEqual(flags.mode, "ipvs")
    }

    // MARK: everything at once

    func testAWholeRunFromValuesAlone() {
        let tuned = Timeouts(tcp: 7275, tcpfin: 120, udp: 300)
        let blue = NamespaceTarget(path: "/run/netns/blue")
        var other = NamespaceObservation(target: blue, timeouts: .kernelDefaults, isPrimary: false, coveredByConfig: false)
        other.services = [service(persistence: nil)]
        let namespaces = [
            PerNamespace(target: host, result: .success(observed(7275))),
            PerNamespace(target: blue, result: .success(other)),
            PerNamespace(target: NamespaceTarget(path: "/run/netns/gone"), result: .failure(Failure("gone", status: .noInput))),
        ]
        let config = effectiveConfig(tcp: 7275)
        let system = SystemObservation(
            config: ConfigCheck(files: config.files, config: config, problems: []),
            bootUnit: .enabled(link: "/etc/systemd/system/multi-user.target.wants/ipvstune.service"),
            keepalived: KeepalivedObservation(path: "/etc/keepalived/keepalived.conf", source: .absent),
            kubeProxies: [KubeProxyObservation(pid: 9, flags: KubeProxyFlags.parse(["kube-proxy", "--proxy-mode=ipvs", "--ipvs-tcp-timeout=2h1m15s"]), kernel: tuned)],
            otherNamespaces: [NamespaceScan(target: blue, timeouts: .kernelDefaults, services: 1)])
        let findings = DoctorChecks.findings(namespaces: namespaces, system: system, context)
        let problems = findings.filter { $0.severity.isProblem }.map { "\($0.namespace ?? "-") \($0.id)" }
        XCTAssertEqual(problems, ["/run/netns/blue tcp-keepalive", "/run/netns/gone namespace", "- netns-defaults"])
        XCTAssertEqual(DoctorReport(findings: findings).status, .findings)
        XCTAssertEqual(findings.filter { $0.namespace == nil }.map(\.id), ["boot-unit", "keepalived", "kube-proxy", "kube-proxy", "netns-defaults"])
    }

    // MARK: report

    func testTextLinesAndFixesAlign() {
        let report = DoctorReport(findings: [
            DoctorFinding(.warning, .tcpKeepalive, "too low", fixes: ["ipvstune set --tcp 7275 --save", "something else"]),
            DoctorFinding(.ok, .bootUnit, "enabled"),
            DoctorFinding(.info, .config, "empty"),
            DoctorFinding(.error, .config, "broken"),
        ])
        XCTAssertEqual(report.rendered(.text), """
            warning  tcp-keepalive   too low
                     fix: ipvstune set --tcp 7275 --save
                      or: something else
            ok       boot-unit       enabled
            info     config          empty
            error    config          broken
            summary: 1 error, 1 warning, 1 info, 1 ok

            """)
        XCTAssertEqual(report.status, .findings)
        XCTAssertEqual(DoctorReport(findings: [DoctorFinding(.info, .config, "x")]).status, .success)
    }

    func testJSONComesFromTheSameFindings() {
        let report = DoctorReport(findings: [
            DoctorFinding(.warning, .tcpKeepalive, "a \"quoted\" reason", fixes: ["ipvstune set --tcp 7275 --save"], namespace: "host"),
            DoctorFinding(.ok, .bootUnit, "enabled"),
        ])
        XCTAssertEqual(report.rendered(.json), #"{"findings":[{"severity":"warning","id":"tcp-keepalive","namespace":"host","message":"a \"quoted\" reason","fixes":["ipvstune set --tcp 7275 --save"]},{"severity":"ok","id":"boot-unit","namespace":null,"message":"enabled","fixes":[]}],"summary":{"error":0,"warning":1,"info":0,"ok":1},"status":1}"# + "\n")
    }

    func testGroupedTextPutsTheSystemLast() {
        let report = DoctorReport(findings: [
            DoctorFinding(.ok, .tcpKeepalive, "a", namespace: "host"),
            DoctorFinding(.ok, .bootUnit, "b"),
            DoctorFinding(.ok, .tcpKeepalive, "c", namespace: "/run/netns/blue"),
        ], groupedByNamespace: true)
        XCTAssertEqual(report.rendered(.text).split(separator: "\n", omittingEmptySubsequences: false).filter { $0.hasPrefix("[") },
                       ["[host]", "[/run/netns/blue]", "[system]"])
    }

    func testFixCommandsQuoteWhatTheShellWouldSplit() {
        let context = DoctorContext(configArgument: "/srv/my lb.conf")
        XCTAssertEqual(DoctorFix.save(context), "ipvstune save --config '/srv/my lb.conf'")
        XCTAssertEqual(DoctorFix.shellQuoted("it's"), #"'it'\''s'"#)
    }

    // MARK: helpers

    func effectiveConfig(tcp: UInt32? = nil, tcpfin: UInt32? = nil, udp: UInt32? = nil) -> EffectiveConfig {
        var config = EffectiveConfig(files: ["/etc/ipvstune.conf"])
        for (index, (name, value)) in [(TimeoutName.tcp, tcp), (.tcpfin, tcpfin), (.udp, udp)].enumerated() {
            if let value { config.timeouts[name] = ConfigSetting(value, at: ConfigLocation(path: "/etc/ipvstune.conf", line: index + 1)) }
        }
        return config
    }
}
