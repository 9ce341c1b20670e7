/// The Prometheus text exposition format (version 0.0.4), which node_exporter's textfile
/// collector reads: every metric ipvstune exports is a `MetricFamily` written by `render`.
struct MetricFamily: Equatable, Sendable {
    enum Kind: String, Sendable {
        case gauge, counter, histogram
    }

    var name: String
    var help: String
    var kind: Kind
    var samples: [MetricSample]

    init(_ name: String, _ kind: Kind, help: String, samples: [MetricSample] = []) {
        self.name = name
        self.kind = kind
        self.help = help
        self.samples = samples
    }

    /// A sample of this family: `suffix` is `_bucket`, `_sum` or `_count` for a histogram.
    mutating func add(_ labels: [(String, String)], _ value: Double, suffix: String = "") {
        samples.append(MetricSample(suffix: suffix, labels: labels, value: value))
    }

    mutating func add(_ labels: [(String, String)], _ value: some BinaryInteger) {
        add(labels, Double(value))
    }

    /// The `_bucket`, `_sum` and `_count` samples of `histogram`, under `labels`.
    mutating func add(_ labels: [(String, String)], _ histogram: Histogram) {
        for (bound, count) in histogram.cumulative {
            add(labels + [("le", Exposition.number(bound))], Double(count), suffix: "_bucket")
        }
        add(labels, histogram.sum, suffix: "_sum")
        add(labels, Double(histogram.count), suffix: "_count")
    }
}

struct MetricSample: Equatable, Sendable {
    var suffix: String
    var labels: [Label]
    var value: Double

    struct Label: Equatable, Sendable {
        var name: String
        var value: String
    }

    init(suffix: String = "", labels: [(String, String)], value: Double) {
        self.suffix = suffix
        self.labels = labels.map { Label(name: $0.0, value: $0.1) }
        self.value = value
    }
}

/// Observations counted into fixed upper bounds, as a Prometheus histogram keeps them.
struct Histogram: Equatable, Sendable {
    /// Upper bounds, ascending; +Inf is implied.
    let bounds: [Double]
    private(set) var counts: [Int]
    private(set) var sum = 0.0
    private(set) var count = 0

    init(bounds: [Double]) {
        self.bounds = bounds
        counts = [Int](repeating: 0, count: bounds.count + 1)
    }

    mutating func observe(_ value: Double) {
        var index = 0
        while index < bounds.count && value > bounds[index] { index += 1 }
        counts[index] += 1
        sum += value
        count += 1
    }

    /// Counts already bucketed (one per bound, then +Inf) and the sum of their values.
    mutating func add(counts more: [Int], sum moreSum: UInt64) {
        for (index, count) in more.enumerated() { counts[index] += count }
        sum += Double(moreSum)
        count += more.reduce(0, +)
    }

    /// Each bound, +Inf last, with the observations at or below it.
    var cumulative: [(Double, Int)] {
        var total = 0
        return (bounds + [.infinity]).enumerated().map { index, bound in
            total += counts[index]
            return (bound, total)
        }
    }
}

/// Writes families in the text format: `# HELP` and `# TYPE` before each family's samples,
/// label values escaped. A family without samples is left out.
enum Exposition {
    static func render(_ families: [MetricFamily]) -> String {
        var out = ""
        for family in families where !family.samples.isEmpty {
            out += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            out += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            for sample in family.samples {
                out += family.name + sample.suffix
                if !sample.labels.isEmpty {
                    out += "{" + sample.labels.map { "\($0.name)=\"\(escapeLabel($0.value))\"" }.joined(separator: ",") + "}"
                }
                out += " " + number(sample.value) + "\n"
            }
        }
        return out
    }

    /// A value as the format writes it: whole numbers without a fraction, +Inf, -Inf, NaN.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// In a label value: backslash, double quote and line feed are escaped.
    static func escapeLabel(_ text: String) -> String {
        escape(text, quote: true)
    }

    /// In HELP text: backslash and line feed.
    static func escapeHelp(_ text: String) -> String {
        escape(text, quote: false)
    }

    private static func escape(_ text: String, quote: Bool) -> String {
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A || (quote && $0 == 0x22) }) else { return text }
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where quote: out += "\\\""
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
