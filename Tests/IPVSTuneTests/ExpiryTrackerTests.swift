@testable import IPVSTune
import IPVSTuneTestSupport
import XCTest

final class ExpiryTrackerTests: XCTestCase {
    typealias Tracker = ExpiryTracker<Int>

    /// The entry a key stands for: keys run past 65535, so the key is the client's address.
    func entry(_ key: Int) -> WatchEntry {
        WatchEntry(proto: "TCP", state: "ESTABLISHED", client: Endpoint(.v4(UInt32(truncatingIfNeeded: key)), 40000),
                   virtual: "10.1.0.100:80", dest: "10.2.0.2:8080", timeout: 5)
    }

    /// One read at `time` showing `rows` (key, kind, expires), ending a tenth of a second later.
    func read(_ tracker: inout Tracker, at time: Double, _ rows: [(Int, Tracker.Kind, UInt64)]) -> [Tracker.Outcome] {
        tracker.begin(at: time)
        var outcomes: [Tracker.Outcome] = []
        for (key, kind, expires) in rows {
            if let outcome = tracker.see(key, kind: kind, expires: expires, detail: { entry(key) }) { outcomes.append(outcome) }
        }
        return outcomes + tracker.end(at: time + 0.1)
    }

    func testGoneAfterItsDeadlineIsAnIdleExpiry() {
        var tracker = Tracker(horizon: 4)
        XCTAssertEqual(read(&tracker, at: 0, [(1, .idle(.tcp), 3), (2, .idle(.udp), 100)]), [])
        XCTAssertEqual(tracker.candidates.count, 1, "only the entry near expiry is kept")
        XCTAssertEqual(tracker.nextDeadline, 4)
        XCTAssertEqual(read(&tracker, at: 4, [(2, .idle(.udp), 96)]), [], "one read without it may have skipped it")
        XCTAssertEqual(tracker.nextDeadline, 4.1, "so the next read comes at once")
        XCTAssertEqual(read(&tracker, at: 4.6, [(2, .idle(.udp), 95)]), [.idleExpiry(entry(1))])
        XCTAssertTrue(tracker.candidates.isEmpty)
    }

    func testGoneBeforeItsDeadlineIsNotReported() {
        var tracker = Tracker(horizon: 4)
        _ = read(&tracker, at: 0, [(1, .idle(.tcp), 3)])
        XCTAssertEqual(read(&tracker, at: 1, []), [])
        XCTAssertEqual(read(&tracker, at: 4, []), [], "a flush or a removed real server, not a timeout")
        XCTAssertTrue(tracker.candidates.isEmpty)
    }

    /// Entries removed behind a read's position make the kernel skip later ones: one read
    /// without an entry is not enough to call it gone.
    func testAnEntryOneReadSkippedIsNoExpiry() {
        var tracker = Tracker(horizon: 10)
        _ = read(&tracker, at: 0, [(1, .idle(.tcp), 8)])
        XCTAssertEqual(read(&tracker, at: 8, []), [], "skipped, past its deadline")
        XCTAssertEqual(read(&tracker, at: 8.6, [(1, .idle(.tcp), 9)]), [], "there after all: refreshed")
        XCTAssertEqual(tracker.candidates[1]?.missedAt, nil)
        XCTAssertEqual(read(&tracker, at: 13, [(1, .idle(.tcp), 4)]), [])
        XCTAssertEqual(read(&tracker, at: 18, []), [])
        XCTAssertEqual(read(&tracker, at: 18.6, []), [.idleExpiry(entry(1))], "gone from two reads after its deadline")
    }

    func testTrafficRefreshesACandidate() {
        var tracker = Tracker(horizon: 6)
        _ = read(&tracker, at: 0, [(1, .idle(.tcp), 3)])
        XCTAssertEqual(read(&tracker, at: 2, [(1, .idle(.tcp), 5)]), [])
        XCTAssertEqual(read(&tracker, at: 5, []), [], "its deadline moved to 7")
        _ = read(&tracker, at: 6, [(1, .idle(.tcp), 1)])
        XCTAssertEqual(read(&tracker, at: 8, []), [])
        XCTAssertEqual(read(&tracker, at: 8.6, []), [.idleExpiry(entry(1))])
    }

    func testRefreshedBeyondTheHorizonIsForgotten() {
        var tracker = Tracker(horizon: 4)
        _ = read(&tracker, at: 0, [(1, .idle(.tcp), 3)])
        _ = read(&tracker, at: 1, [(1, .idle(.tcp), 900)])
        XCTAssertTrue(tracker.candidates.isEmpty)
        XCTAssertEqual(read(&tracker, at: 10, []), [])
    }

    func testAClosedOrResetConnectionIsNotIdle() {
        var tracker = Tracker(horizon: 4)
        _ = read(&tracker, at: 0, [(1, .idle(.tcp), 3), (2, .idle(.tcp), 3)])
        // FIN: FIN_WAIT; RST: CLOSE for 10 s. Both are gone by the next read after that.
        XCTAssertEqual(read(&tracker, at: 2, [(1, .other, 120), (2, .other, 10)]), [])
        XCTAssertEqual(read(&tracker, at: 13, []), [])
    }

    func testTemplateReArmedAtItsDeadlineIsAGrace() {
        var tracker = Tracker(horizon: 4)
        _ = read(&tracker, at: 0, [(7, .template, 2)])
        XCTAssertEqual(read(&tracker, at: 3, [(7, .template, 59)]), [.templateGrace(entry(7))])
        XCTAssertEqual(read(&tracker, at: 4, [(7, .template, 58)]), [], "reported once")
        XCTAssertEqual(read(&tracker, at: 62, [(7, .template, 60)]), [], "nor again at the next re-arm")
    }

    func testTemplateRefreshedToAShortTimeoutAfterItsDeadlineIsNoGrace() {
        var tracker = Tracker(horizon: 12)
        _ = read(&tracker, at: 0, [(7, .template, 9)])
        // A slow read: the template was synced again with 10 s before the read came.
        XCTAssertEqual(read(&tracker, at: 11, [(7, .template, 8)]), [])
        XCTAssertEqual(read(&tracker, at: 19, [(7, .template, 50)]), [], "not what a 60 s re-arm at 19 leaves")
    }

    func testTemplateRefreshedByANewConnectionOrExpiredIsNoEvent() {
        var tracker = Tracker(horizon: 4)
        _ = read(&tracker, at: 0, [(7, .template, 2), (8, .template, 2)])
        XCTAssertEqual(read(&tracker, at: 1, [(7, .template, 300)]), [], "refreshed before its deadline")
        XCTAssertEqual(read(&tracker, at: 3, []), [], "a template expiring is not an idle expiry")
    }

    /// Memory follows the candidates, whatever the table's size.
    func testOnlyEntriesNearExpiryAreKept() {
        var tracker = Tracker(horizon: 5)
        var random = SeededRandom.forTest()
        let rows = (0..<20_000).map { key in (key, Tracker.Kind.idle(.tcp), UInt64(6 + random.below(900))) }
        _ = read(&tracker, at: 0, rows + [(99_999, .idle(.udp), 5)])
        XCTAssertEqual(tracker.candidates.count, 1)
    }

    func testScheduleStaysWithinTheGapThatTellsAResetFromAnExpiry() {
        let short = Timeouts(tcp: 5, tcpfin: 120, udp: 300)
        XCTAssertEqual(WatchSchedule.longestGap(short), 3)
        let small = WatchSchedule.plan(short, readSeconds: 0.01)
        XCTAssertEqual(small.interval, 1)
        XCTAssertEqual(small.horizon, 3)
        XCTAssertNil(small.warning)
        let defaults = WatchSchedule.plan(.kernelDefaults, readSeconds: 1.5)
        XCTAssertEqual(defaults.interval, 6, "four times the read, within the 8 s that CLOSE allows")
        XCTAssertNil(defaults.warning)
        let slow = WatchSchedule.plan(.kernelDefaults, readSeconds: 5)
        XCTAssertEqual(slow.interval, 3)
        XCTAssertEqual(slow.warning?.hasPrefix("a read of the connection table takes 5 s: with these timeouts"), true, slow.warning ?? "")
        XCTAssertNotNil(WatchSchedule.plan(short, readSeconds: 0, requested: 10).warning)
        XCTAssertEqual(small.nextRead(lastStart: 0, lastEnd: 0.1, deadline: 0.5), 0.6, "not sooner than half a second after a read")
        XCTAssertEqual(small.nextRead(lastStart: 0, lastEnd: 0.1, deadline: nil), 1)
    }
}
