import Glibc

/// Time as `watch` needs it: a monotonic clock for scheduling, wall time for the events.
public enum Clock {
    /// Seconds on the monotonic clock: unaffected by changes to the wall clock.
    public static func monotonic() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// The wall time now as RFC 3339 in UTC, to the second: `2026-11-29T19:01:02Z`.
    public static func rfc3339() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var text = [CChar](repeating: 0, count: 32)
        let length = strftime(&text, text.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: text[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// SIGINT and SIGTERM taken synchronously: blocked, then waited for while sleeping, so a
/// long-running command stops between two steps, never in the middle of one.
public enum StopSignals {
    static var set: sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        return set
    }

    /// From now on the signals wait for `sleep(until:)` instead of ending the process.
    public static func block() {
        var set = Self.set
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Sleeps until `deadline` on the monotonic clock; true when a stop signal came first.
    public static func sleep(until deadline: Double) -> Bool {
        var set = Self.set
        while true {
            let left = deadline - Clock.monotonic()
            if left <= 0 {
                var none = timespec()  // take a signal that is already pending
                return sigtimedwait(&set, nil, &none) > 0
            }
            var wait = timespec(tv_sec: Int(left), tv_nsec: Int((left - left.rounded(.down)) * 1e9))
            if sigtimedwait(&set, nil, &wait) > 0 { return true }
            if errno != EINTR && errno != EAGAIN { return false }
        }
    }
}
