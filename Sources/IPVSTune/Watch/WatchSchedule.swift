/// How often `watch` reads the table, from the timeouts and from how long a read takes.
///
/// Two limits bound the gap between reads. An idle entry must be read at least once in its
/// last `horizon` seconds, so the gap must stay below the tcp and udp timeouts. And a
/// connection closed by a reset stays 10 s in CLOSE (by FIN, tcpfin seconds in FIN_WAIT)
/// before the kernel removes it: a read must see it there, or its removal would look like an
/// idle expiry. Within those limits the gap grows with the read's cost, so that reading takes
/// a quarter of the time or less (a 6.1 kernel reads a large table in quadratic time); past
/// them the schedule says why it cannot see every idle expiry.
struct WatchSchedule: Equatable {
    /// The kernel's fixed timeout of a TCP entry in CLOSE, after a reset.
    static let closeTimeout: UInt32 = 10
    /// Reads are at least this far apart.
    static let shortestGap = 1.0

    /// Seconds between the starts of two reads.
    var interval: Double
    /// Entries with this many seconds left, or fewer, are kept as candidates.
    var horizon: UInt64
    /// Why the interval cannot keep every idle expiry in sight, when it cannot.
    var warning: String?

    /// The longest gap between reads that still tells an idle expiry from a close or a reset.
    static func longestGap(_ timeouts: Timeouts) -> Double {
        let shortest = min(closeTimeout, timeouts.tcpfin, timeouts.tcp, timeouts.udp)
        return max(shortestGap, Double(shortest) - 2)
    }

    /// The schedule for these timeouts after a read of `readSeconds`; `requested` is --interval.
    static func plan(_ timeouts: Timeouts, readSeconds: Double, requested: Double? = nil) -> WatchSchedule {
        let longest = longestGap(timeouts)
        let interval = requested ?? min(max(shortestGap, 4 * readSeconds), max(shortestGap, longest - readSeconds))
        // A row is read again at most a cycle plus a read later; the next read waits at least
        // half the shortest gap after the last one ended.
        let cycle = max(interval, readSeconds + shortestGap / 2)
        var warning: String?
        if cycle + readSeconds > longest {
            let why = requested == nil
                ? "a read of the connection table takes \(seconds(readSeconds))"
                : "--interval \(seconds(interval)) is too long"
            warning = "\(why): with these timeouts (tcp \(timeouts.tcp) s, tcpfin \(timeouts.tcpfin) s, udp \(timeouts.udp) s, and \(closeTimeout) s in CLOSE after a reset) reads must see every entry within \(seconds(longest)) to tell an idle expiry from a close; some idle expiries may be missed, or a closed connection taken for one"
        }
        let horizon = UInt64((cycle + readSeconds).rounded(.up)) + 1
        return WatchSchedule(interval: interval, horizon: horizon, warning: warning)
    }

    /// When to start the next read: after the interval, or just after the earliest candidate's
    /// deadline if that comes first, but not sooner than half the shortest gap after the last
    /// read ended.
    func nextRead(lastStart: Double, lastEnd: Double, deadline: Double?) -> Double {
        max(min(lastStart + interval, deadline ?? .infinity), lastEnd + WatchSchedule.shortestGap / 2)
    }

    static func seconds(_ value: Double) -> String {
        value < 10 && value != value.rounded() ? "\(Double(Int(value * 10)) / 10) s" : "\(Int(value.rounded())) s"
    }
}
