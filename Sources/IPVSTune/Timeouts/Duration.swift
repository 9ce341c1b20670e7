/// Timeout durations as operators write them: `7200`, `90s`, `15m`, `2h`, `1h30m`, `1d`.
public enum TimeoutDuration {
    /// The largest timeout ipvsadm and keepalived accept: 31 days.
    static let maximum: UInt32 = 31 * 86_400

    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case empty
        case negative(String)
        case fractional(String)
        case malformed(String)
        case tooLarge(String)

        public var description: String {
            switch self {
            case .empty:
                "empty duration: give seconds or a duration such as 90s, 15m, 2h or 1h30m"
            case .negative(let text):
                "'\(text)' is negative: timeouts are 1 second or more (0 keeps a value)"
            case .fractional(let text):
                "'\(text)' is not a whole number of seconds: give whole seconds or units such as 90s, 15m, 2h"
            case .malformed(let text):
                "'\(text)' is not a duration: give seconds or units s, m, h, d such as 90s, 15m, 2h, 1h30m, 1d"
            case .tooLarge(let text):
                "'\(text)' is above 31 days (2678400 s), the largest timeout ipvsadm and keepalived accept"
            }
        }
    }

    private static let units: [(Character, UInt64)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// Parses seconds or a sequence of number+unit parts, largest unit first, each unit once.
    public static func parse(_ text: String) throws(ParseError) -> UInt32 {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw .empty }
        if trimmed.hasPrefix("-") { throw .negative(trimmed) }
        if trimmed.contains(".") || trimmed.contains(",") { throw .fractional(trimmed) }

        var total: UInt64 = 0
        var number: UInt64? = nil
        var nextUnit = 0  // units must come in decreasing order, each at most once
        var sawUnit = false
        for ch in trimmed.unicodeScalars {
            if ch.value >= 48 && ch.value <= 57 {
                let value = (number ?? 0) * 10 + UInt64(ch.value - 48)
                guard value <= 1_000_000_000_000 else { throw .tooLarge(trimmed) }
                number = value
            } else if let index = units.firstIndex(where: { $0.0 == Character(ch) }), index >= nextUnit,
                      let value = number {
                total += value * units[index].1
                guard total <= UInt64(UInt32.max) else { throw .tooLarge(trimmed) }
                number = nil
                nextUnit = index + 1
                sawUnit = true
            } else {
                throw .malformed(trimmed)
            }
        }
        if let value = number {
            // A bare number is seconds; after units it would be ambiguous ("1h30").
            guard !sawUnit else { throw .malformed(trimmed) }
            total = value
        }
        guard total <= UInt64(maximum) else { throw .tooLarge(trimmed) }
        return UInt32(total)
    }

    /// A compact human form: 7200 -> "2h", 5400 -> "1h30m", 0 -> "0s".
    static func format(_ seconds: UInt64) -> String {
        if seconds == 0 { return "0s" }
        var rest = seconds
        var out = ""
        for (unit, size) in units where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(String.UnicodeScalarView(scalars[first...last]))
    }
}
