@testable import IPVSTune
import IPVSTuneTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// The whole doctor over injected files and fake IPVS: gathering, checks and report together.
final class DoctorExaminationTests: XCTestCase {
    var root: DoctorScratch!
    var visitor: FakeVisitor!
    var kernels: [String: FakeIPVS] = [:]

    override func setUp() {
        root = DoctorScratch()
        visitor = FakeVisitor()
        kernels = ["host": FakeIPVS()]
        root.write("sys/net/ipv4/tcp_keepalive_time", "7200\n")
        root.write("sys/net/ipv4/tcp_keepalive_intvl", "75\n")
        root.write("proc/self/ns/net", "")
        root.mkdir("netns")
        root.mkdir("systemd")
    }

    var paths: DoctorPaths {
        var paths = DoctorPaths()
        paths.procSys = root.at("sys")
        paths.proc = root.at("proc")
        paths.keepalivedConf = root.at("keepalived.conf")
        paths.dpkgStatus = root.at("dpkg/status")
        paths.keepalivedPrograms = [root.at("sbin/keepalived")]
        paths.systemdDirectories = [root.at("systemd")]
        paths.namespaceDirectories = [root.at("netns")]
        paths.namedNamespaces = root.at("netns")
        paths.config = ConfigPaths(main: root.at("ipvstune.conf"), dropInDirectory: root.at("ipvstune.d"))
        return paths
    }

    func examine(_ scope: DoctorScope = .current) throws -> DoctorReport {
        var doctor = DoctorExamination(paths: paths, visitor: visitor) { [visitor, kernels] () throws(Failure) -> IPVSControl in
            let label = visitor!.current?.label ?? "host"
            guard let ipvs = kernels[label] else { throw Failure.ipvs("cannot open IPVS", errno: ENOENT) }
            return ipvs
        }
        doctor.requireSecureConfig = false
        // Plain files stand in for namespaces here; the real discovery wants mounted ones.
        doctor.discover = { directories, patterns in
            [NamespaceTarget(path: nil)] + (directories.flatMap { NamespaceDiscovery.entries(of: $0) }
                + patterns.flatMap { NamespaceDiscovery.expand($0) }).map { NamespaceTarget(path: $0) }
        }
        return try doctor.examine(scope)
    }

    func severities(_ report: DoctorReport) -> [String: DoctorSeverity] {
        var worst: [String: DoctorSeverity] = [:]
        for finding in report.findings { worst[finding.id] = max(worst[finding.id] ?? .ok, finding.severity) }
        return worst
    }

    func fixEverything() {
        kernels["host"]!.current = Timeouts(tcp: 7275, tcpfin: 120, udp: 300)
        root.write("ipvstune.conf", "tcp = 7275\n")
        root.write("systemd/ipvstune.service", "[Unit]\n")
        root.link("systemd/multi-user.target.wants/ipvstune.service", to: "../ipvstune.service")
    }

    func testAFreshDirectorHasThreeWarnings() throws {
        let report = try examine()
        XCTAssertEqual(report.status, .findings)
        XCTAssertEqual(report.findings.map(\.id), ["tcp-keepalive", "tcpfin-timeout", "udp-timeout", "persistence", "config",
                                                   "boot-unit", "keepalived", "kube-proxy", "netns-defaults"])
        XCTAssertEqual(report.findings.filter { $0.severity.isProblem }.map(\.id), ["tcp-keepalive", "config", "boot-unit"])
        XCTAssertEqual(report.findings[0].namespace, "host")
        XCTAssertNil(report.findings[4].namespace)
    }

    func testNothingWrongExitsZero() throws {
        fixEverything()
        let report = try examine()
        XCTAssertEqual(report.status, .success, report.rendered(.text))
        XCTAssertTrue(report.findings.allSatisfy { $0.severity == .ok }, report.rendered(.text))
        XCTAssertTrue(report.rendered(.text).hasSuffix("summary: 0 errors, 0 warnings, 0 info, 9 ok\n"), report.rendered(.text))
    }

    func testKeepaliveTimeIsReadFromTheInjectedProcSys() throws {
        fixEverything()
        root.write("sys/net/ipv4/tcp_keepalive_time", "9000\n")
        let report = try examine()
        XCTAssertEqual(severities(report)["tcp-keepalive"], .warning)
        XCTAssertEqual(report.findings[0].fixes, ["ipvstune set --tcp 9075 --save"])
    }

    func testKeepalivedAndKubeProxyAreFoundAndCompared() throws {
        fixEverything()
        root.write("keepalived.conf", "global_defs {\n  lvs_timeouts tcp 7275 udp 60\n}\nvirtual_server 10.1.0.100 80 {\n}\n")
        root.write("dpkg/status", "Package: keepalived\nStatus: install ok installed\nVersion: 1:2.2.7-1+b2\n\n")
        root.process(300, name: "kube-proxy", arguments: ["/bin/sh", "/tmp/kube-proxy", "--proxy-mode=ipvs", "--ipvs-tcp-timeout=900s"],
                     namespaceOf: "proc/self/ns/net")
        root.process(200, name: "keepalived", arguments: ["keepalived"], namespaceOf: "proc/self/ns/net")
        let report = try examine()
        let keepalived = report.findings.filter { $0.id == "keepalived" }
        XCTAssertEqual(keepalived.map(\.severity), [.warning], report.rendered(.text))
        XCTAssertTrue(keepalived[0].message.contains("udp 60 where the kernel has 300"), keepalived[0].message)
        XCTAssertTrue(keepalived[0].message.contains("keepalived 2.2.7 sets lvs_timeouts when its checker starts"), keepalived[0].message)
        let kubeProxy = report.findings.filter { $0.id == "kube-proxy" }
        XCTAssertEqual(kubeProxy.map(\.severity), [.info, .warning], report.rendered(.text))
        XCTAssertTrue(kubeProxy[1].message.hasPrefix("kube-proxy (pid 300) sets tcp 900 (--ipvs-tcp-timeout=900s), not above the TCP keepalive time"),
                      kubeProxy[1].message)
    }

    func testKeepalivedVersionFromItsProgramWhenDpkgHasNone() throws {
        fixEverything()
        root.write("keepalived.conf", "global_defs {\n  lvs_sync_daemon eth0 VI_1\n  lvs_timeouts udp 60\n}\n")
        root.write("dpkg/status", "Package: ipvsadm\nStatus: install ok installed\nVersion: 1:1.31-1\n\n")
        root.write("sbin/keepalived", "#!/bin/sh\necho 'Keepalived v2.0.19 (10/19,2019)' >&2\necho >&2\necho 'Copyright(C) 2001-2019 Alexandre Cassen' >&2\n")
        chmod(root.at("sbin/keepalived"), 0o755)
        var report = try examine()
        var keepalived = report.findings.filter { $0.id == "keepalived" }
        XCTAssertTrue(keepalived[0].message.contains("keepalived 2.0.19 sets lvs_timeouts when its VRRP process starts"), report.rendered(.text))
        // The same file under 2.2.7: no virtual_server, so keepalived never sets it.
        root.write("sbin/keepalived", "#!/bin/sh\necho 'Keepalived v2.2.7 (01/16,2022)' >&2\n")
        report = try examine()
        keepalived = report.findings.filter { $0.id == "keepalived" }
        XCTAssertTrue(keepalived[0].message.contains("but keepalived 2.2.7 applies lvs_timeouts from its checker process"), report.rendered(.text))
        XCTAssertTrue(keepalived[0].message.contains("keepalived never sets these timeouts, and the kernel has udp 300"), report.rendered(.text))
    }

    func testKubeProxyConfigFileIsReadInsideItsRootAndHyperkubeIsFound() throws {
        fixEverything()
        root.process(300, name: "hyperkube", arguments: ["/hyperkube", "kube-proxy", "--config=/var/lib/kube-proxy/config.conf", "--ipvs-tcp-timeout=3h"],
                     namespaceOf: "proc/self/ns/net")
        root.write("proc/300/root/var/lib/kube-proxy/config.conf", "kind: KubeProxyConfiguration\nmode: ipvs\nipvs:\n  tcpTimeout: 2h1m15s\n")
        root.process(301, name: "hyperkube", arguments: ["/hyperkube", "kubelet", "--proxy-mode=ipvs"], namespaceOf: "proc/self/ns/net")
        root.process(302, name: "kube-proxy", arguments: ["kube-proxy", "--config", "conf.yaml"], namespaceOf: "proc/self/ns/net")
        let report = try examine()
        let kubeProxy = report.findings.filter { $0.id == "kube-proxy" }.map(\.message)
        XCTAssertEqual(kubeProxy, [
            "kube-proxy (pid 300): --ipvs-tcp-timeout=3h is ignored: with --config, kube-proxy takes its mode and IPVS timeouts from /var/lib/kube-proxy/config.conf only",
            "kube-proxy (pid 300) runs in IPVS mode, deprecated since Kubernetes 1.35: nftables mode is the recommended replacement",
            "kube-proxy (pid 300) sets tcp 7275, as the kernel has and ipvstune's config says",
            "kube-proxy (pid 302): cannot read conf.yaml (--config, as \(root.at("proc/302/cwd/conf.yaml"))): no such file or directory; its mode and IPVS timeouts, which that file decides, were not checked",
        ], report.rendered(.text))
    }

    func testKeepalivedInItsOwnNamespace() throws {
        fixEverything()
        root.write("keepalived.conf", "global_defs {\n  net_namespace lb\n  lvs_timeouts udp 60\n}\nvirtual_server fwmark 7 {\n}\n")
        root.write("netns/lb", "")
        kernels[root.at("netns/lb")] = FakeIPVS(Timeouts(tcp: 900, tcpfin: 120, udp: 60))
        let report = try examine()
        let keepalived = report.findings.filter { $0.id == "keepalived" }
        XCTAssertEqual(keepalived.map(\.severity), [.ok], report.rendered(.text))
    }

    func testOtherNamespacesOnDefaultsWithServices() throws {
        fixEverything()
        root.write("netns/blue", "")
        root.write("netns/green", "")
        root.write("netns/stale", "")
        let blue = FakeIPVS()
        blue.virtualServices = [VirtualService(family: .inet, proto: "TCP", address: "10.9.9.9", port: 80, firewallMark: nil,
                                               scheduler: "rr", persistenceTimeout: nil)]
        kernels[root.at("netns/blue")] = blue
        kernels[root.at("netns/green")] = FakeIPVS()
        let report = try examine()
        let netns = report.findings.filter { $0.id == "netns-defaults" }
        XCTAssertEqual(netns.map(\.severity), [.warning, .info], report.rendered(.text))
        XCTAssertTrue(netns[0].message.hasPrefix("\(root.at("netns/blue")) has 1 IPVS service"), netns[0].message)
        XCTAssertTrue(netns[1].message.contains("stale"), netns[1].message)
    }

    func testAllNamespacesReportsEachAndGroupsTheText() throws {
        fixEverything()
        root.write("netns/blue", "")
        root.write("netns/green", "")
        root.write("netns/stale", "")
        let blue = FakeIPVS(Timeouts(tcp: 900, tcpfin: 10, udp: 300))
        blue.virtualServices = [VirtualService(family: .inet, proto: "TCP", address: "10.9.9.9", port: 80, firewallMark: nil,
                                               scheduler: "rr", persistenceTimeout: nil)]
        kernels[root.at("netns/blue")] = blue
        kernels[root.at("netns/green")] = FakeIPVS()
        let report = try examine(.all)
        XCTAssertTrue(report.groupedByNamespace)
        let inBlue = report.findings.filter { $0.namespace == root.at("netns/blue") }
        XCTAssertEqual(inBlue.filter { $0.severity.isProblem }.map(\.id), ["tcp-keepalive", "tcpfin-timeout"])
        XCTAssertEqual(inBlue.first { $0.id == "tcp-keepalive" }?.fixes, ["ipvstune set --netns \(root.at("netns/blue")) --tcp 7275"])
        XCTAssertEqual(report.findings.filter { $0.namespace == root.at("netns/green") }.map(\.id), ["namespace"])
        XCTAssertEqual(report.findings.filter { $0.namespace == root.at("netns/stale") }.map(\.severity), [.error])
        let text = report.rendered(.text)
        XCTAssertTrue(text.hasPrefix("[host]\n"), text)
        XCTAssertTrue(text.contains("\n[\(root.at("netns/blue"))]\n"), text)
        XCTAssertTrue(text.contains("\n[system]\n"), text)
    }

    func testTheNamedNamespaceFailingEndsTheRun() {
        XCTAssertThrowsError(try examine(.namespace(root.at("netns/missing")))) { error in
            XCTAssertEqual((error as? Failure)?.status, .unavailable)
        }
        kernels["host"]!.failWith = EPERM
        XCTAssertThrowsError(try examine()) { error in
            XCTAssertEqual((error as? Failure)?.status, .permission)
        }
    }

    func testBrokenConfigIsAnErrorAndSkipsDrift() throws {
        fixEverything()
        root.write("ipvstune.conf", "tpc = 7275\n")
        let report = try examine()
        let config = report.findings.filter { $0.id == "config" }
        XCTAssertEqual(config.map(\.severity), [.error])
        XCTAssertEqual(report.status, .findings)
    }

    func testDriftAgainstTheKernel() throws {
        fixEverything()
        kernels["host"]!.current.tcp = 900
        let report = try examine()
        let config = report.findings.filter { $0.id == "config" }
        XCTAssertEqual(config.map(\.severity), [.warning])
        XCTAssertEqual(config[0].fixes, ["ipvstune apply"])
    }
}

/// Runs the body as if inside the target, remembering which one, as NamespaceVisitor would.
final class FakeVisitor: NamespaceVisiting {
    private(set) var current: NamespaceTarget?

    func visit<T>(_ target: NamespaceTarget, _ body: () throws(Failure) -> T) -> Result<T, Failure> {
        let saved = current
        current = target
        defer { current = saved }
        return Result { () throws(Failure) -> T in try body() }
    }
}

/// A private folder tree for doctor's files: /proc, /proc/sys, keepalived.conf, systemd folders.
final class DoctorScratch {
    let path: String

    init() {
        var template = Array("/tmp/ipvstune-doctor-test.XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { fatalError("mkdtemp: \(errno)") }
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        chmod(path, 0o755)
    }

    deinit { ConfigScratch.remove(path) }

    func at(_ name: String) -> String { "\(path)/\(name)" }

    /// mkdir -p, relative to the scratch folder.
    func mkdir(_ name: String) {
        var folder = path
        for part in name.split(separator: "/") {
            folder += "/\(part)"
            Glibc.mkdir(folder, 0o755)
        }
    }

    func write(_ name: String, _ text: String) { write(name, bytes: Array(text.utf8)) }

    func write(_ name: String, bytes: [UInt8]) {
        parent(of: name)
        let fd = open(at(name), O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "open \(name): \(errno)")
        bytes.withUnsafeBytes { precondition(bytes.isEmpty || Glibc.write(fd, $0.baseAddress!, $0.count) == $0.count) }
        close(fd)
    }

    func link(_ name: String, to target: String) {
        parent(of: name)
        precondition(symlink(target, at(name)) == 0, "symlink \(name): \(errno)")
    }

    /// A /proc/PID entry; `namespaceOf` makes its ns/net the same file (inode) as that one.
    func process(_ pid: Int, name: String, arguments: [String], namespaceOf: String? = nil) {
        write("proc/\(pid)/comm", name + "\n")
        write("proc/\(pid)/cmdline", bytes: arguments.flatMap { Array($0.utf8) + [0] })
        mkdir("proc/\(pid)/ns")
        if let namespaceOf {
            precondition(Glibc.link(at(namespaceOf), at("proc/\(pid)/ns/net")) == 0, "link: \(errno)")
        } else {
            write("proc/\(pid)/ns/net", "")
        }
    }

    private func parent(of name: String) {
        let parts = name.split(separator: "/")
        if parts.count > 1 { mkdir(parts.dropLast().joined(separator: "/")) }
    }
}
