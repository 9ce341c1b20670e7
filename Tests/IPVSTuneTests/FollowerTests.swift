@testable import IPVSTune
import IPVSTuneTestSupport
import XCTest

/// Mount tables as /proc/self/mountinfo shows them (recorded on a Debian 12 guest), driving the
/// follower through a scripted source and a fake IPVS per namespace.
final class FollowerTests: XCTestCase {
    static let base = """
        22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
        24 22 0:21 / /run rw,nosuid,nodev shared:5 - tmpfs tmpfs rw,size=400000k,mode=755
        30 24 0:4 net:[4026531840] /run/netns/hostalias rw shared:12 - nsfs nsfs rw
        """
    static let folders = ["/run/netns", "/var/run/docker/netns"]

    static func mount(_ id: Int, _ inode: UInt64, _ path: String) -> String {
        "\(id) 24 0:4 net:[\(inode)] \(path) rw shared:\(id) - nsfs nsfs rw"
    }

    static func table(_ lines: String...) -> [UInt8] { Array(([base] + lines).joined(separator: "\n").utf8) + [10] }

    func testParsesNetworkNamespaceMountsInTheFolders() {
        let text = Self.table(
            Self.mount(40, 4026532288, "/run/netns/blue"),
            Self.mount(41, 4026532300, "/run/docker/netns/lb_x7q"),
            "42 24 0:4 mnt:[4026532301] /run/netns/mntns rw - nsfs nsfs rw",
            Self.mount(43, 4026532302, "/run/other/ns"),
            Self.mount(44, 4026532303, "/run/netns/with\\040space"),
            "45 24 0:50 / /run/netns/tmp rw - tmpfs tmpfs rw",
            "garbage line")
        XCTAssertEqual(MountTable.namespaces(text, folders: Self.folders), [
            NamespaceMount(path: "/run/netns/blue", inode: 4026532288),
            NamespaceMount(path: "/run/netns/hostalias", inode: 4026531840),
            NamespaceMount(path: "/run/netns/with space", inode: 4026532303),
            NamespaceMount(path: "/var/run/docker/netns/lb_x7q", inode: 4026532300),
        ])
    }

    // Docker mounts a new namespace over an old file: opening the path finds the topmost.
    func testTopmostMountWins() {
        let text = Self.table(Self.mount(40, 1, "/run/netns/a"), Self.mount(41, 2, "/run/netns/a"))
        XCTAssertEqual(MountTable.namespaces(text, folders: Self.folders),
                       [NamespaceMount(path: "/run/netns/a", inode: 2), NamespaceMount(path: "/run/netns/hostalias", inode: 4026531840)])
    }

    func testOptionalFieldsAndOddLines() {
        let line = Array("40 24 0:4 net:[7] /run/netns/a rw shared:3 master:2 unbindable - nsfs nsfs rw".utf8)
        XCTAssertEqual(MountTable.namespace(line[...]), NamespaceMount(path: "/run/netns/a", inode: 7))
        XCTAssertNil(MountTable.namespace(Array("40 24 0:4 net:[x] /run/netns/a rw - nsfs nsfs rw".utf8)[...]))
        XCTAssertNil(MountTable.namespace(Array("40 24 0:4 net:[7] /run/netns/a rw - nsfs".utf8)[...]))
        XCTAssertNil(MountTable.namespace([][...]))
    }

    func testFollowerReportsGoneAndDeduplicates() {
        var follower = NamespaceFollower(folders: Self.folders)
        var step = follower.update(Self.table(Self.mount(40, 5, "/run/netns/a"), Self.mount(41, 5, "/run/netns/b")), hostInode: 4026531840)
        XCTAssertEqual(step.present.map(\.path), ["/run/netns/a"])
        XCTAssertEqual(step.gone, [])
        step = follower.update(Self.table(Self.mount(41, 5, "/run/netns/b")), hostInode: 4026531840)
        XCTAssertEqual(step.present.map(\.path), ["/run/netns/b"])
        XCTAssertEqual(step.gone, ["/run/netns/a"])
        step = follower.update(Self.table(), hostInode: 4026531840)
        XCTAssertEqual(step.present, [])
        XCTAssertEqual(step.gone, ["/run/netns/b"])
        XCTAssertEqual(follower.followed, ["/run/netns/hostalias"])
    }
}

/// Plays wake-ups and mount tables in order, then stops.
final class ScriptedSource: FollowSource {
    var steps: [(FollowWake, [UInt8])]
    var table: [UInt8]
    var onWake: (FollowWake) -> Void = { _ in }

    init(first: [UInt8], steps: [(FollowWake, [UInt8])]) {
        table = first
        self.steps = steps
    }

    func next() -> FollowWake {
        guard !steps.isEmpty else { return .stop }
        let (wake, table) = steps.removeFirst()
        self.table = table
        onWake(wake)
        return wake
    }

    func mountTable() -> [UInt8] { table }
}

final class ApplyFollowerTests: XCTestCase {
    var kernels: [String: FakeIPVS] = [:]
    var events: [FollowEvent] = []
    var warnings: [String] = []

    func config(tcp: UInt32, udp: UInt32? = nil) -> EffectiveConfig {
        var config = EffectiveConfig(files: ["/etc/ipvstune.conf"])
        let here = ConfigLocation(path: "/etc/ipvstune.conf", line: 1)
        config.timeouts[.tcp] = ConfigSetting(tcp, at: here)
        if let udp { config.timeouts[.udp] = ConfigSetting(udp, at: here) }
        return config
    }

    func follower(_ source: ScriptedSource, config: EffectiveConfig?, reload: Result<EffectiveConfig?, Failure> = .success(nil)) -> ApplyFollower {
        let follower = ApplyFollower(
            config: config, source: source, loadConfig: { reload },
            applyIn: { [unowned self] target, config in
                let ipvs = kernels[target.label] ?? { let made = FakeIPVS(); kernels[target.label] = made; return made }()
                return Result { () throws(Failure) in try Applier.run(config, on: ipvs, checkOnly: false) }
            },
            emit: { [unowned self] in events.append($0); return true },
            warn: { [unowned self] in warnings.append($0) })
        follower.now = { "T" }
        follower.hostInode = 4026531840
        follower.configured = { _ in [] }
        follower.namespaces.folders = FollowerTests.folders
        return follower
    }

    func line(_ id: Int, _ inode: UInt64, _ path: String) -> String { FollowerTests.mount(id, inode, path) }

    func testAppliesEverywhereThenToEachNewMount() {
        let source = ScriptedSource(first: FollowerTests.table(line(40, 5, "/run/netns/a")), steps: [
            (.mounts, FollowerTests.table(line(40, 5, "/run/netns/a"), line(41, 6, "/run/docker/netns/lb_x7q"))),
            (.mounts, FollowerTests.table(line(40, 5, "/run/netns/a"), line(41, 6, "/run/docker/netns/lb_x7q"))),
        ])
        var readyAfter = -1
        follower(source, config: config(tcp: 7275)).run { readyAfter = events.count }
        XCTAssertEqual(readyAfter, 1)
        XCTAssertEqual(events.map(\.netns), ["/run/netns/a", "/var/run/docker/netns/lb_x7q"])
        XCTAssertEqual(events.map { $0.rendered(.text) }, [
            "netns /run/netns/a: tcp 900 -> 7275\n", "netns /var/run/docker/netns/lb_x7q: tcp 900 -> 7275\n",
        ])
        XCTAssertNil(kernels["host"], "the host is the boot unit's: the follower's start leaves it alone")
        XCTAssertEqual(kernels["/run/netns/a"]?.sets.count, 1, "a namespace in place is read, not set again")
        XCTAssertEqual(warnings, [])
    }

    // Removed and made again at the same path between two reads: same path, mount ID and inode,
    // and the kernel's defaults again. The next wake-up finds it all the same.
    func testNamespaceMadeAgainAtTheSamePathIsCaught() {
        let table = FollowerTests.table(line(40, 5, "/run/netns/a"))
        let source = ScriptedSource(first: table, steps: [(.mounts, table)])
        let follower = follower(source, config: config(tcp: 7200))
        source.onWake = { [unowned self] _ in kernels["/run/netns/a"]!.current = .kernelDefaults }
        follower.run {}
        XCTAssertEqual(events.filter { $0.netns == "/run/netns/a" }.count, 2)
        XCTAssertEqual(kernels["/run/netns/a"]?.current.tcp, 7200)
    }

    func testGoneIsReportedAndForgotten() throws {
        let source = ScriptedSource(first: FollowerTests.table(line(40, 5, "/run/netns/a")), steps: [(.mounts, FollowerTests.table())])
        let follower = follower(source, config: config(tcp: 7200))
        follower.run {}
        XCTAssertEqual(events.last?.kind, .gone)
        XCTAssertEqual(events.last?.rendered(.text), "")
        XCTAssertEqual(events.last?.rendered(.json), #"{"event":"gone","time":"T","netns":"/run/netns/a"}"# + "\n")
        XCTAssertEqual(events.map(\.kind), [.set, .gone])
        XCTAssertEqual(follower.namespaces.followed, ["/run/netns/hostalias"])
    }

    func testConfigChangeReachesEveryNamespace() {
        let table = FollowerTests.table(line(40, 5, "/run/netns/a"))
        let source = ScriptedSource(first: table, steps: [(.config, table)])
        kernels["host"] = FakeIPVS(Timeouts(tcp: 7200, tcpfin: 120, udp: 300))  // as the boot unit left it
        follower(source, config: config(tcp: 7200), reload: .success(config(tcp: 3600, udp: 60))).run {}
        let last = events.suffix(2)
        XCTAssertEqual(last.map(\.netns), ["host", "/run/netns/a"])
        XCTAssertEqual(last.first?.rendered(.json),
                       #"{"event":"set","time":"T","netns":"host","before":{"tcp":7200,"tcpfin":120,"udp":300},"after":{"tcp":3600,"tcpfin":120,"udp":60}}"# + "\n")
    }

    func testBrokenConfigKeepsTheLastGood() {
        let table = FollowerTests.table(line(40, 5, "/run/netns/a"))
        let source = ScriptedSource(first: table, steps: [(.reload, table), (.mounts, FollowerTests.table(line(40, 5, "/run/netns/a"), line(41, 6, "/run/netns/b")))])
        let broken = Failure("/etc/ipvstune.conf:2: unknown key 'tpc': did you mean 'tcp'?", status: .config)
        let follower = follower(source, config: config(tcp: 7200), reload: .failure(broken))
        follower.run {}
        XCTAssertEqual(warnings, ["/etc/ipvstune.conf:2: unknown key 'tpc': did you mean 'tcp'?: keeping the settings loaded before"])
        XCTAssertEqual(events.map(\.kind), [.set, .configError, .set, .set], "a; the error; the host on SIGHUP; b")
        XCTAssertEqual(events[1].rendered(.text), "")
        XCTAssertEqual(kernels["/run/netns/b"]?.current.tcp, 7200)
        XCTAssertEqual(follower.config, config(tcp: 7200))
    }

    func testFailingNamespaceIsSaidOnce() {
        let table = FollowerTests.table(line(40, 5, "/run/netns/hostalias"))
        let source = ScriptedSource(first: table, steps: [(.reload, table), (.config, table)])
        let host = FakeIPVS()
        host.failWith = ENOENT
        kernels["host"] = host
        follower(source, config: config(tcp: 7200), reload: .success(config(tcp: 7200))).run {}
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].hasPrefix("host: cannot read IPVS timeouts"), warnings[0])
    }

    // keepalived (or an operator) may set the host's timeouts after boot: a mount on the host
    // does not undo that; a config change or SIGHUP applies the config there again.
    func testMountsLeaveTheHostAlone() {
        let table = FollowerTests.table(line(40, 5, "/run/netns/a"))
        let source = ScriptedSource(first: table, steps: [
            (.mounts, FollowerTests.table(line(40, 5, "/run/netns/a"), line(41, 6, "/run/netns/b"))), (.reload, table),
        ])
        let follower = follower(source, config: config(tcp: 7200), reload: .success(config(tcp: 7200)))
        kernels["host"] = FakeIPVS(Timeouts(tcp: 7300, tcpfin: 120, udp: 300))
        var hostBeforeReload: UInt32?
        source.onWake = { [unowned self] wake in
            if wake == .mounts { kernels["host"]!.current.tcp = 7300 }
            if wake == .reload { hostBeforeReload = kernels["host"]!.current.tcp }
        }
        follower.run {}
        XCTAssertEqual(hostBeforeReload, 7300, "a mount left the host's value alone")
        XCTAssertEqual(kernels["/run/netns/b"]?.current.tcp, 7200, "the new namespace got the config")
        XCTAssertEqual(kernels["host"]?.current.tcp, 7200, "SIGHUP applied it to the host again")
    }

    // Memory stays with the namespaces that exist: 1,000 come and go, nothing is kept.
    func testThousandNamespacesComeAndGo() {
        var steps: [(FollowWake, [UInt8])] = []
        for index in 0..<1000 {
            steps.append((.mounts, FollowerTests.table(line(100 + index, UInt64(10_000 + index), "/run/netns/n\(index)"))))
            steps.append((.mounts, FollowerTests.table()))
        }
        let source = ScriptedSource(first: FollowerTests.table(), steps: steps)
        let follower = follower(source, config: config(tcp: 7200))
        follower.run {}
        XCTAssertEqual(events.filter { $0.kind == .gone }.count, 1000)
        XCTAssertEqual(follower.namespaces.followed, ["/run/netns/hostalias"])
    }
}
