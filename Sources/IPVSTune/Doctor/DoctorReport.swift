/// What `doctor` prints: the findings in text or JSON, from the same values, and the exit status.
public struct DoctorReport: Equatable, Sendable {
    public var findings: [DoctorFinding]
    /// `--all-netns`: the text groups findings under the namespace they are about.
    public var groupedByNamespace: Bool

    public init(findings: [DoctorFinding], groupedByNamespace: Bool = false) {
        self.findings = findings
        self.groupedByNamespace = groupedByNamespace
    }

    /// 1 (findings) when any warning or error was found.
    public var status: ExitStatus {
        findings.contains { $0.severity.isProblem } ? .findings : .success
    }

    public func count(_ severity: DoctorSeverity) -> Int {
        findings.filter { $0.severity == severity }.count
    }

    static let severityWidth = 9
    static let idWidth = 16

    public var text: String {
        var out = ""
        if groupedByNamespace {
            var labels: [String] = []
            for finding in findings where !labels.contains(finding.namespace ?? "") { labels.append(finding.namespace ?? "") }
            // System-wide findings last, after every namespace.
            labels = labels.filter { !$0.isEmpty } + (labels.contains("") ? [""] : [])
            for label in labels {
                out += "[\(label.isEmpty ? "system" : label)]\n"
                for finding in findings where (finding.namespace ?? "") == label { out += Self.text(finding) }
                out += "\n"
            }
        } else {
            for finding in findings { out += Self.text(finding) }
        }
        return out + summary + "\n"
    }

    /// `warning  tcp-keepalive   SENTENCE` and under it `         fix: COMMAND`, `          or: ...`.
    static func text(_ finding: DoctorFinding) -> String {
        var out = finding.severity.rawValue.padded(to: severityWidth) + finding.id.padded(to: idWidth) + finding.message + "\n"
        let indent = String(repeating: " ", count: severityWidth)
        for (index, fix) in finding.fixes.enumerated() {
            out += indent + (index == 0 ? "fix: " : " or: ") + fix + "\n"
        }
        return out
    }

    /// `summary: 0 errors, 2 warnings, 1 info, 6 ok`.
    public var summary: String {
        "summary: " + [DoctorText.plural(count(.error), "error"), DoctorText.plural(count(.warning), "warning"),
                       "\(count(.info)) info", "\(count(.ok)) ok"].joined(separator: ", ")
    }

    public var json: String { jsonValue.rendered + "\n" }

    public var jsonValue: JSON {
        .object([
            ("findings", .array(findings.map(\.json))),
            ("summary", .object(DoctorSeverity.allCases.reversed().map { ($0.rawValue, .uint(UInt64(count($0)))) })),
            ("status", .uint(UInt64(status.rawValue))),
        ])
    }
}

extension DoctorFinding {
    public var json: JSON {
        .object([
            ("severity", .string(severity.rawValue)),
            ("id", .string(id)),
            ("namespace", namespace.map { .string($0) } ?? .null),
            ("message", .string(message)),
            ("fixes", .array(fixes.map { .string($0) })),
        ])
    }
}
