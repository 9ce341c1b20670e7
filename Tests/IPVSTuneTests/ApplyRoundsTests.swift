@testable import IPVSTune
import IPVSTuneTestSupport
import XCTest

import Glibc

/// Namespace folders in memory: mounted namespaces (each a FakeIPVS), files not mounted yet,
/// and things that happen while a run goes on: after the Nth apply, or as the polls go by.
private final class FakeFolders {
    var host = FakeIPVS()
    var namespaces: [String: FakeIPVS] = [:]
    /// Files not mounted: their change time, and the polls left until a namespace is mounted
    /// on them (nil: never).
    var unmounted: [String: (changed: Int, polls: Int?)] = [:]
    /// Run after the apply with that number (1-based, over the whole run).
    var afterApply: [Int: (FakeFolders) -> Void] = [:]
    private(set) var applies = 0
    private(set) var sleeps: [Int] = []
    /// The poll count when a round first changed something in each namespace.
    private(set) var firstChangedAt: [String: Int] = [:]

    let config = EffectiveConfig(files: ["/etc/ipvstune.conf"], timeouts: [
        .tcp: ConfigSetting(7200, at: ConfigLocation(path: "/etc/ipvstune.conf", line: 1)),
        .udp: ConfigSetting(60, at: ConfigLocation(path: "/etc/ipvstune.conf", line: 2)),
    ])
    static let wanted = Timeouts(tcp: 7200, tcpfin: 120, udp: 60)

    func add(_ path: String) { namespaces[path] = FakeIPVS() }

    func scan() -> DiscoveredNamespaces {
        DiscoveredNamespaces(targets: [NamespaceTarget(path: nil)] + namespaces.keys.sorted().map { NamespaceTarget(path: $0) },
                             pending: unmounted.keys.sorted().compactMap { path in
                                 unmounted[path].map { PendingFile(path: path, changed: $0.changed) }
                             })
    }

    func apply(_ target: NamespaceTarget) -> Result<ApplyOutcome, Failure> {
        applies += 1
        defer { afterApply[applies]?(self) }
        let ipvs: FakeIPVS
        if let path = target.path {
            guard let found = namespaces[path] else { return .failure(Failure("network namespace gone", status: .noInput)) }
            ipvs = found
        } else {
            ipvs = host
        }
        let result = Result { () throws(Failure) in try Applier.run(config, on: ipvs, checkOnly: false) }
        if (try? result.get())?.changedSomething == true && firstChangedAt[target.label] == nil {
            firstChangedAt[target.label] = sleeps.count
        }
        return result
    }

    func sleep(_ milliseconds: Int) {
        sleeps.append(milliseconds)
        for (path, file) in unmounted {
            guard let left = file.polls else { continue }
            if left > 1 { unmounted[path]?.polls = left - 1 } else { unmounted[path] = nil; add(path) }
        }
    }

    func rounds() -> ApplyRounds {
        ApplyRounds(scan: scan, stillPending: { self.unmounted[$0.path]?.changed == $0.changed }, apply: apply, sleep: sleep)
    }

    /// Every namespace, the host included, holds the config.
    func assertAllHoldTheConfig(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(host.current, Self.wanted, "host", file: file, line: line)
        for (path, ipvs) in namespaces { XCTAssertEqual(ipvs.current, Self.wanted, path, file: file, line: line) }
    }
}

final class ApplyRoundsTests: XCTestCase {
    private func changes(_ run: ApplyRounds.Outcome) -> [String: [String]] {
        var changes: [String: [String]] = [:]
        for item in run.outcomes {
            changes[item.target.label] = (try? item.result.get())?.changes.map(\.name.rawValue) ?? ["failed"]
        }
        return changes
    }

    func testOneRoundWhenNothingChanges() {
        let folders = FakeFolders()
        folders.host = FakeIPVS(FakeFolders.wanted)
        folders.namespaces["/run/netns/a"] = FakeIPVS(FakeFolders.wanted)
        let run = folders.rounds().run()
        XCTAssertEqual(run.rounds, 1)
        XCTAssertTrue(run.settled)
        XCTAssertEqual(folders.applies, 2)
        XCTAssertEqual(folders.sleeps, [])
    }

    /// A round that changed something is followed by another: a namespace made during the
    /// last changing round (after its scan) is found by the next, and the run ends only after
    /// a round that changed nothing.
    func testNamespacesMadeDuringTheRunGetTheConfig() {
        let folders = FakeFolders()
        folders.add("/run/netns/a")
        // Round 1 visits host and a (applies 1, 2); b comes after its scan.
        folders.afterApply[1] = { $0.add("/run/netns/b") }
        // Round 2 visits host, a, b (applies 3, 4, 5); c comes while b is being done.
        folders.afterApply[5] = { $0.add("/run/netns/c") }
        let run = folders.rounds().run()
        folders.assertAllHoldTheConfig()
        XCTAssertEqual(run.rounds, 4, "round 3 gave c the config; round 4 changed nothing")
        XCTAssertTrue(run.settled)
        XCTAssertEqual(run.outcomes.map(\.target.label), ["host", "/run/netns/a", "/run/netns/b", "/run/netns/c"])
        XCTAssertEqual(changes(run), ["host": ["tcp", "udp"], "/run/netns/a": ["tcp", "udp"],
                                      "/run/netns/b": ["tcp", "udp"], "/run/netns/c": ["tcp", "udp"]])
        XCTAssertEqual(folders.sleeps, [], "nothing waited for a mount")
    }

    /// A file not yet mounted holds the run: it is polled until the namespace is on it, then
    /// a round gives it the config.
    func testWaitsForAFileNotYetMounted() {
        let folders = FakeFolders()
        folders.host = FakeIPVS(FakeFolders.wanted)
        folders.unmounted["/run/netns/p"] = (changed: 1, polls: 3)
        let run = folders.rounds().run()
        folders.assertAllHoldTheConfig()
        XCTAssertEqual(folders.namespaces.keys.sorted(), ["/run/netns/p"])
        XCTAssertEqual(folders.sleeps, [100, 100, 100])
        XCTAssertEqual(run.rounds, 3, "round 1 found p unmounted, round 2 applied it, round 3 changed nothing")
        XCTAssertTrue(run.settled)
        XCTAssertEqual(changes(run)["/run/netns/p"], ["tcp", "udp"])
    }

    /// The next round comes as soon as one waited-for file is mounted, not when all are.
    func testTheNextRoundComesAsSoonAsOneFileIsMounted() {
        let folders = FakeFolders()
        folders.unmounted["/run/netns/p"] = (changed: 1, polls: 2)
        folders.unmounted["/run/netns/stale"] = (changed: 1, polls: nil)
        let run = folders.rounds().run()
        folders.assertAllHoldTheConfig()
        XCTAssertEqual(folders.firstChangedAt["/run/netns/p"], 2, "p got the config right after the poll that saw it mounted")
        XCTAssertEqual(folders.sleeps.count, 30, "stale still had its 30 polls")
        XCTAssertEqual(run.rounds, 3)
        XCTAssertTrue(run.settled)
    }

    /// Each file that never becomes a namespace is given up on after its own 30 polls, counted
    /// from when the run first saw it.
    func testGivesUpOnEachFileAfterItsOwnWait() {
        let folders = FakeFolders()
        folders.unmounted["/run/netns/stale"] = (changed: 1, polls: nil)
        folders.afterApply[1] = { $0.unmounted["/run/netns/stale2"] = (changed: 1, polls: nil) }
        let run = folders.rounds().run()
        folders.assertAllHoldTheConfig()
        XCTAssertEqual(folders.sleeps.count, 60, "stale from poll 0 to 30, stale2 (seen by round 2) from 30 to 60")
        XCTAssertEqual(run.rounds, 3)
        XCTAssertTrue(run.settled)
        XCTAssertEqual(run.outcomes.map(\.target.label), ["host"])
    }

    /// A left-over file given up on, then opened again (a new change time) and mounted, as
    /// Docker does after a restart: waited for afresh, and it gets the config.
    func testAFileOpenedAgainIsWaitedForAfresh() {
        let folders = FakeFolders()
        folders.unmounted["/run/netns/p"] = (changed: 1, polls: nil)
        // Round 1 (apply 1: host) waits 30 polls for p in vain. Round 2 finds a and sees p
        // given up on; while it runs, p is opened again and will be mounted 2 polls later.
        folders.afterApply[1] = { $0.add("/run/netns/a") }
        folders.afterApply[2] = { $0.unmounted["/run/netns/p"] = (changed: 2, polls: 2) }
        let run = folders.rounds().run()
        folders.assertAllHoldTheConfig()
        XCTAssertEqual(folders.namespaces.keys.sorted(), ["/run/netns/a", "/run/netns/p"])
        XCTAssertEqual(folders.sleeps.count, 32)
        XCTAssertEqual(run.rounds, 5, "3 saw p anew and waited, 4 applied it, 5 changed nothing")
        XCTAssertTrue(run.settled)
    }

    /// A run whose namespaces never stop changing ends after 20 rounds, not settled.
    func testAtMostTwentyRounds() {
        let folders = FakeFolders()
        var made = 0
        // Each round's last apply makes a new namespace, found by the next round.
        var applies = 0
        for round in 1...22 {
            applies += round  // the host and the round - 1 namespaces made so far
            folders.afterApply[applies] = { made += 1; $0.add("/run/netns/n\(made)") }
        }
        let run = folders.rounds().run()
        XCTAssertEqual(run.rounds, 20)
        XCTAssertFalse(run.settled)
        XCTAssertEqual(run.outcomes.count, 20, "the host and the 19 namespaces rounds 2 to 20 found")
    }

    /// One entry per path: the first outcome, unless a later round changed something there
    /// (made again at the same path) or the first had failed.
    func testOneOutcomePerPath() {
        let folders = FakeFolders()
        folders.add("/run/netns/a")
        folders.add("/run/netns/f")
        folders.namespaces["/run/netns/f"]?.failWith = EIO
        folders.afterApply[3] = { folders in
            folders.add("/run/netns/a")  // made again: back to 900/120/300
            folders.namespaces["/run/netns/f"]?.failWith = nil
        }
        let run = folders.rounds().run()
        folders.assertAllHoldTheConfig()
        XCTAssertEqual(run.rounds, 3)
        XCTAssertEqual(run.outcomes.map(\.target.label), ["host", "/run/netns/a", "/run/netns/f"])
        // host: round 1's outcome (tcp and udp), not round 2's or 3's (nothing).
        XCTAssertEqual(changes(run), ["host": ["tcp", "udp"], "/run/netns/a": ["tcp", "udp"], "/run/netns/f": ["tcp", "udp"]])
        guard case .success(let again) = run.outcomes[1].result else { return XCTFail("a failed") }
        XCTAssertEqual(again.before, .kernelDefaults, "a's entry is round 2's, made again at the same path")
    }
}

/// The real discovery's view of files that are not namespaces (no kernel needed).
final class NamespaceScanTests: XCTestCase {
    func testARegularFileIsPendingUntilOpenedAgain() throws {
        let scratch = ConfigScratch()
        let path = scratch.write("notyet", "")
        scratch.mkdir("folder")
        let file = try XCTUnwrap(PendingFile(path))
        let found = NamespaceDiscovery.scan(directories: [scratch.path], patterns: [path])
        XCTAssertEqual(found.targets, [NamespaceTarget(path: nil)])
        XCTAssertEqual(found.pending, [file], "listed once, though the glob names it too")
        XCTAssertNil(PendingFile(scratch.at("folder")))
        XCTAssertNil(PendingFile(scratch.at("gone")))
        XCTAssertTrue(file.isStillPending)
        // Opened again with O_TRUNC, as Docker's os.Create does: a new ctime, another file.
        usleep(50_000)  // past the file system's timestamp granularity
        let fd = open(path, O_WRONLY | O_TRUNC)
        XCTAssertGreaterThanOrEqual(fd, 0)
        close(fd)
        XCTAssertFalse(file.isStillPending)
        XCTAssertTrue(try XCTUnwrap(PendingFile(path)).isStillPending)
        unlink(path)
        XCTAssertNil(PendingFile(path))
    }
}
