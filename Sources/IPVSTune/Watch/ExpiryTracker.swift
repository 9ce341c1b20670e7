/// Tells an idle expiry apart from every other way an entry leaves the table, from samples.
///
/// The kernel announces nothing when it forgets an entry, and /proc/net/ip_vs_conn gives no
/// snapshot, so the tracker works from successive reads of the table:
/// - An entry becomes a *candidate* when a read shows it idle-capable (an ESTABLISHED TCP
///   connection, a UDP flow, or a persistence template) with at most `horizon` seconds left.
///   Only candidates are kept, so memory follows the entries near expiry, not the table.
/// - In a later read a candidate may be refreshed (traffic: more time left than its countdown
///   allows), change state (FIN, RST: the kernel keeps the entry in FIN_WAIT, CLOSE, TIME_WAIT
///   for seconds more), or be gone.
/// - Gone after its deadline (the time it was read plus the seconds it had left) is an idle
///   expiry: the kernel removes an entry on its timer only. Gone before that is something else
///   (a flush, a real server removed with expire_nodest_conn), and is not reported.
/// - A read is no snapshot: entries removed behind its position while it goes on make the
///   kernel skip as many later ones (6.1 counts its position over the whole table). So a
///   candidate missing from one read is gone only when the next read does not show it either;
///   that read comes half a second after the first ends.
/// - A template read again after its deadline with what a 60 s timer set at that deadline
///   would have left was re-armed by the kernel's one-minute grace: connections it controls
///   were still alive.
///
/// Limits: the expiry is whole seconds, so a deadline is known to a second; and a connection
/// closed and removed between two reads (a reset kept 10 s in CLOSE) looks like an expiry.
/// The sampler therefore reads at least every `WatchSchedule.longestGap(_:)`.
struct ExpiryTracker<Key: Hashable> {
    /// What a read shows of an entry, as far as expiry goes.
    enum Kind: Equatable {
        /// ESTABLISHED TCP or a UDP flow: forgotten when idle for the timeout.
        case idle(TimeoutName)
        /// A persistence template (client port 0).
        case template
        /// Anything else: a connection closing, half-open, or a protocol without idle timeout.
        case other
    }

    struct Candidate {
        var kind: Kind
        /// When the read that last showed it started, in seconds, and what it had left then.
        var seenAt: Double
        var expires: UInt64
        var detail: WatchEntry
        var graced = false
        /// Whether the current read has shown it.
        var seen = true
        /// When the read that first did not show it ended: one more read without it, and it is gone.
        var missedAt: Double?

        /// The earliest time the kernel's timer can have removed it.
        var deadline: Double { seenAt + Double(expires) }
    }

    enum Outcome: Equatable {
        case idleExpiry(WatchEntry)
        case templateGrace(WatchEntry)
    }

    /// Entries with at most this many seconds left are kept as candidates.
    var horizon: UInt64
    private(set) var candidates: [Key: Candidate] = [:]
    private var readStarted = 0.0

    init(horizon: UInt64) { self.horizon = horizon }

    /// Starts a read of the table that began at `time` (seconds, monotonic).
    mutating func begin(at time: Double) {
        readStarted = time
        for key in candidates.keys { candidates[key]!.seen = false }
    }

    /// One row of the read. `detail` is asked for only when the entry becomes a candidate.
    mutating func see(_ key: Key, kind: Kind, expires: UInt64, detail: () -> WatchEntry) -> Outcome? {
        guard var candidate = candidates[key] else {
            if kind != .other && expires <= horizon {
                candidates[key] = Candidate(kind: kind, seenAt: readStarted, expires: expires, detail: detail())
            }
            return nil
        }
        guard candidate.kind == kind else {
            candidates[key] = nil  // closed (FIN, RST) or otherwise changed: not idle
            return nil
        }
        let dueNow = readStarted + 1 >= candidate.deadline
        let countdown = candidate.expires - min(candidate.expires, UInt64(max(0, readStarted - candidate.seenAt)))
        var outcome: Outcome?
        if expires > countdown + 1 {
            // More time than the countdown leaves: traffic refreshed it, or for a template the
            // kernel re-armed it at its deadline because it still controls connections.
            if kind == .template && dueNow && !candidate.graced && Self.isGraceRearm(expires, since: readStarted - candidate.deadline) {
                candidate.graced = true
                outcome = .templateGrace(candidate.detail)
            }
        }
        if expires > horizon && !candidate.graced {
            candidates[key] = nil
            return outcome
        }
        candidate.seenAt = readStarted
        candidate.expires = expires
        candidate.seen = true
        candidate.missedAt = nil
        candidates[key] = candidate
        return outcome
    }

    /// Ends the read, which finished at `time`: candidates that neither it nor the read before
    /// it showed are gone.
    mutating func end(at time: Double) -> [Outcome] {
        var outcomes: [Outcome] = []
        for (key, candidate) in candidates where !candidate.seen {
            guard let missedAt = candidate.missedAt else {
                candidates[key]!.missedAt = time  // gone, or skipped by this read: the next one tells
                continue
            }
            candidates[key] = nil
            // Removed on its timer only if the timer can have run out before the first read
            // that did not show it ended.
            guard case .idle = candidate.kind, missedAt >= candidate.deadline else { continue }
            outcomes.append(.idleExpiry(candidate.detail))
        }
        return outcomes
    }

    /// The kernel re-arms a template at its deadline for exactly 60 s: what is left now must fit
    /// that, to the second either way. A refresh to a shorter timeout (a new connection, a sync
    /// message) does not, unless the template's own timeout is close to 60 s.
    static func isGraceRearm(_ expires: UInt64, since overdue: Double) -> Bool {
        let left = 60 - max(0, overdue)
        return Double(expires) <= left + 1 && Double(expires) >= left - 2
    }

    /// When the next read should start to see the earliest candidate gone: just after its
    /// deadline, or at once for one the last read did not show.
    var nextDeadline: Double? {
        candidates.values.map { $0.missedAt ?? $0.deadline + 1 }.min()
    }
}

/// What an event says of the entry: its texts as conns writes them, and the timeout that applied.
struct WatchEntry: Equatable {
    var proto: String
    var state: String
    var client: Endpoint
    var virtual: VirtualAddress
    var dest: Endpoint
    /// The timeout that governed it, in seconds (for a template, its service's persistence).
    var timeout: UInt32
}
