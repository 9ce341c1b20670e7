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

    func service(_ proto: String = "TCP", address: String? = "10.1.0.100", port: UInt16 = 80, mark: UInt32? = nil,
                 persistence: UInt32?, netmask: UInt32 = UInt32.max, family: VirtualService.Family = .inet,
                 scheduler: String = "rr") -> VirtualService {
        VirtualService(family: family, proto: proto, address: address, port: port, firewallMark: mark, scheduler: scheduler,
                       persistenceTimeout: persistence, persistenceNetmask: netmask)
    }

    func testPersistenceShorterThanTCPTimeoutIsAWarningWithAnIpvsadmFix() {
        let findings = TimeoutChecks.persistence(observed(900, services: [service(persistence: 60)]), keepalived: nil,
                                                 keepalivedPath: "/etc/keepalived/keepalived.conf")
        XCTAssertEqual(findings.count, 1)
        XCTAssertEqual(findings[0].severity, .warning)
        XCTAssertEqual(findings[0].check, .persistence)
        XCTAssertEqual(findings[0].fixes, ["ipvsadm -E -t 10.1.0.100:80 -s rr -p 900"])
        XCTAssertTrue(findings[0].message.hasPrefix("TCP 10.1.0.100:80 keeps a client on its real server for 60 s (its persistence timeout), less than the 900 s an idle connection lives (the tcp timeout)"), findings[0].message)
        XCTAssertTrue(findings[0].message.contains("60 s at a time"), findings[0].message)
        XCTAssertTrue(findings[0].message.contains("another real server"), findings[0].message)
    }

    func testPersistenceFixKeepsWhatIpvsadmEditWouldReset() {
        // 255.255.255.0 as the kernel sends it: network byte order.
        let mask = UInt32(bigEndian: 0xFFFF_FF00)
        let fwmark = service("FWM", address: nil, port: 0, mark: 7, persistence: 60, netmask: mask, scheduler: "wlc")
        let v6 = service(address: "fd01::100", persistence: 60, netmask: 64, family: .inet6, scheduler: "sh")
        var udp = service("UDP", port: 53, persistence: 30)
        udp.onePacket = true
        udp.persistenceEngine = "sip"
        let findings = TimeoutChecks.persistence(observed(900, services: [fwmark, v6, udp]), keepalived: nil, keepalivedPath: "k")
        XCTAssertEqual(findings.map(\.fixes), [
            ["ipvsadm -E -f 7 -s wlc -p 900 -M 255.255.255.0"],
            ["ipvsadm -E -t [fd01::100]:80 -s sh -p 900 -M 64"],
            ["ipvsadm -E -u 10.1.0.100:53 -s rr -p 300 -o --pe sip"],
        ])
        XCTAssertTrue(findings[2].message.contains("(the udp timeout)"), findings[2].message)
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
        let keepalived = KeepalivedConfig.parse("virtual_server 10.1.0.100 80 {\n  persistence_timeout 60\n}\n")
        let findings = TimeoutChecks.persistence(observed(900, services: [service(persistence: 60)]), keepalived: keepalived,
                                                 keepalivedPath: "/etc/keepalived/keepalived.conf")
        XCTAssertEqual(findings[0].fixes, [
            "persistence_timeout 900 in the virtual_server 10.1.0.100 80 block of /etc/keepalived/keepalived.conf, then reload keepalived",
            "ipvsadm -E -t 10.1.0.100:80 -s rr -p 900",
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

    func keepalived(_ text: String, kernel: Timeouts = Timeouts(tcp: 7275, tcpfin: 120, udp: 300), pid: Int? = 42) -> KeepalivedObservation {
        KeepalivedObservation(path: "/etc/keepalived/keepalived.conf", source: .parsed(KeepalivedConfig.parse(text)),
                              kernel: kernel, pid: pid)
    }

    let lvs7275 = "global_defs {\n    router_id lb1\n    lvs_timeouts tcp 7275 udp 300\n}\n"

    func testKeepalivedAbsentOrWithoutLvsTimeoutsIsOK() {
        let absent = KeepalivedObservation(path: "/etc/keepalived/keepalived.conf", source: .absent)
        XCTAssertEqual(ManagerChecks.keepalived(absent, config: nil, context).map(\.severity), [.ok])
        XCTAssertEqual(ManagerChecks.keepalived(keepalived("global_defs {\n}\n"), config: nil, context).map(\.severity), [.ok])
    }

    func testKeepalivedValuesTheKernelDoesNotHaveNameTheSyncDaemonRule() {
        let findings = ManagerChecks.keepalived(keepalived(lvs7275, kernel: .kernelDefaults), config: nil, context)
        XCTAssertEqual(findings.map(\.severity), [.warning])
        let message = findings[0].message
        XCTAssertTrue(message.hasPrefix("/etc/keepalived/keepalived.conf:3 sets tcp 7275 where the kernel has 900"), message)
        XCTAssertTrue(message.contains("before 2.1.4"), message)
        XCTAssertTrue(message.contains("lvs_sync_daemon"), message)
        XCTAssertTrue(message.contains("puts back"), message)
        XCTAssertEqual(findings[0].fixes, ["ipvstune set --tcp 7275 --save"])

        let stopped = ManagerChecks.keepalived(keepalived(lvs7275, kernel: .kernelDefaults, pid: nil), config: nil, context)
        XCTAssertTrue(stopped[0].message.contains("keepalived is not running"), stopped[0].message)
        let synced = keepalived("global_defs {\n lvs_sync_daemon eth0 VI_1\n lvs_timeouts tcp 7275\n}\n", kernel: .kernelDefaults)
        XCTAssertTrue(ManagerChecks.keepalived(synced, config: nil, context)[0].message.contains("changed them after keepalived (pid 42)"))
    }

    func testKeepalivedTCPAtTheKeepaliveTimeBringsTheResetsBack() {
        // The value keepalived's own examples use: exactly the keepalive time, which loses the race.
        let text = "global_defs {\n lvs_timeouts tcp 7200 tcpfin 120 udp 300\n}\n"
        let findings = ManagerChecks.keepalived(keepalived(text, kernel: Timeouts(tcp: 7200, tcpfin: 120, udp: 300)), config: nil, context)
        XCTAssertEqual(findings.map(\.severity), [.warning])
        XCTAssertTrue(findings[0].message.contains("sets tcp 7200, not above the TCP keepalive time 7200 s (2h)"), findings[0].message)
        XCTAssertEqual(findings[0].fixes, ["write 'lvs_timeouts tcp 7275 tcpfin 120 udp 300' in /etc/keepalived/keepalived.conf and reload keepalived, or remove lvs_timeouts and leave the timeouts to ipvstune"])
    }

    func testKeepalivedAgainstIpvstuneConfig() {
        let findings = ManagerChecks.keepalived(keepalived(lvs7275), config: effectiveConfig(tcp: 7300), context)
        XCTAssertEqual(findings.map(\.severity), [.warning])
        XCTAssertTrue(findings[0].message.contains("tcp 7275 where ipvstune's config says 7300 (/etc/ipvstune.conf:1)"), findings[0].message)
        XCTAssertEqual(findings[0].fixes, ["write 'lvs_timeouts tcp 7300 udp 300' in /etc/keepalived/keepalived.conf and reload keepalived, or remove lvs_timeouts and leave the timeouts to ipvstune"])
    }

    func testKeepalivedAgreeingEverywhereIsOKAndUnsavedIsANote() {
        let agreed = ManagerChecks.keepalived(keepalived(lvs7275), config: effectiveConfig(tcp: 7275, udp: 300), context)
        XCTAssertEqual(agreed.map(\.severity), [.ok])
        let unsaved = ManagerChecks.keepalived(keepalived(lvs7275), config: nil, context)
        XCTAssertEqual(unsaved.map(\.severity), [.info])
        XCTAssertEqual(unsaved[0].fixes, ["ipvstune set --tcp 7275 --udp 300 --save"])
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

    func testKubeProxyTCPAtOrBelowKeepaliveBringsTheResetsBack() {
        let findings = ManagerChecks.kubeProxy([kubeProxy(["--ipvs-tcp-timeout=15m0s"], kernel: tuned)], config: effectiveConfig(tcp: 7275), context)
        XCTAssertEqual(findings.map(\.severity), [.warning])
        XCTAssertTrue(findings[0].message.hasPrefix("kube-proxy (pid 7) sets tcp 900 (--ipvs-tcp-timeout=15m0s), not above the TCP keepalive time 7200 s (2h)"), findings[0].message)
        XCTAssertEqual(findings[0].fixes, ["start kube-proxy with --ipvs-tcp-timeout=7275s (in its DaemonSet or unit), or with 0s to leave the timeouts to ipvstune"])
    }

    func testKubeProxyDisagreeingWithTheKernel() {
        let findings = ManagerChecks.kubeProxy([kubeProxy(["--proxy-mode=ipvs", "--ipvs-tcp-timeout=3h0m0s"], kernel: tuned)],
                                               config: nil, context)
        XCTAssertEqual(findings.map(\.severity), [.warning])
        XCTAssertTrue(findings[0].message.hasPrefix("kube-proxy (pid 7) set tcp 10800 (--ipvs-tcp-timeout=3h0m0s) when it started, but the kernel now has tcp 7275"), findings[0].message)
        XCTAssertEqual(findings[0].fixes, ["start kube-proxy with --ipvs-tcp-timeout=7275s to keep the kernel's values, or with 0s to leave the timeouts to ipvstune",
                                           "ipvstune set --tcp 10800 --save (to go back to kube-proxy's values)"])
    }

    func testKubeProxyDisagreeingWithTheConfig() {
        let findings = ManagerChecks.kubeProxy([kubeProxy(["--ipvs-tcp-timeout", "3h0m0s", "--ipvs-udp-timeout=5m0s"])],
                                               config: effectiveConfig(tcp: 7275), context)
        XCTAssertEqual(findings.map(\.severity), [.warning])
        XCTAssertTrue(findings[0].message.contains("tcp 10800 (--ipvs-tcp-timeout=3h0m0s) where ipvstune's config says 7275"), findings[0].message)
        XCTAssertTrue(findings[0].fixes[0].hasPrefix("start kube-proxy with --ipvs-tcp-timeout=7275s"))
    }

    func testKubeProxyAgreeingOrNotSettingIsOK() {
        let agreeing = ManagerChecks.kubeProxy([kubeProxy(["--ipvs-tcp-timeout=2h1m15s"], kernel: tuned)], config: effectiveConfig(tcp: 7275), context)
        XCTAssertEqual(agreeing.map(\.severity), [.ok])
        XCTAssertEqual(agreeing[0].message, "kube-proxy (pid 7) sets tcp 7275, as the kernel has and ipvstune's config says")
        XCTAssertEqual(ManagerChecks.kubeProxy([kubeProxy(["--ipvs-tcp-timeout=0s"])], config: nil, context).map(\.severity), [.ok])
        XCTAssertEqual(ManagerChecks.kubeProxy([kubeProxy(["--proxy-mode=iptables", "--ipvs-tcp-timeout=1s"])], config: nil, context).map(\.severity), [.ok])
        let withFile = ManagerChecks.kubeProxy([kubeProxy(["--config=/var/lib/kube-proxy/config.conf"])], config: nil, context)
        XCTAssertEqual(withFile.map(\.severity), [.ok, .info])
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
            kubeProxies: [KubeProxyObservation(pid: 9, flags: KubeProxyFlags.parse(["kube-proxy", "--ipvs-tcp-timeout=2h1m15s"]), kernel: tuned)],
            otherNamespaces: [NamespaceScan(target: blue, timeouts: .kernelDefaults, services: 1)])
        let findings = DoctorChecks.findings(namespaces: namespaces, system: system, context)
        let problems = findings.filter { $0.severity.isProblem }.map { "\($0.namespace ?? "-") \($0.id)" }
        XCTAssertEqual(problems, ["/run/netns/blue tcp-keepalive", "/run/netns/gone namespace", "- netns-defaults"])
        XCTAssertEqual(DoctorReport(findings: findings).status, .findings)
        XCTAssertEqual(findings.filter { $0.namespace == nil }.map(\.id), ["boot-unit", "keepalived", "kube-proxy", "netns-defaults"])
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
