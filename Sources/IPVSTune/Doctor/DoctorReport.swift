/// What `doctor` prints: the findings in text or JSON, from the same values, and the exit status.
public struct DoctorReport: Equatable, Sendable, Report {
    var findings: [DoctorFinding]
    /// `--all-netns`: the text groups findings under the namespace they are about.
    var groupedByNamespace: Bool

    init(findings: [DoctorFinding], groupedByNamespace: Bool = false) {
        self.findings = findings
        self.groupedByNamespace = groupedByNamespace
    }

    /// 1 (findings) when any warning or error was found.
    public var status: ExitStatus {
        findings.contains { $0.severity.isProblem } ? .findings : .success
    }

    func count(_ severity: DoctorSeverity) -> Int {
        findings.filter { $0.severity == severity }.count
    }

    public func print(to printer: inout Printer) {
        printer.array("findings") { printer in
            // The JSON keeps the findings' order; only the text groups them.
            guard groupedByNamespace && printer.format == .text else {
                return findings.forEach { $0.print(to: &printer) }
            }
            var labels: [String] = []
            for finding in findings where !labels.contains(finding.namespace ?? "") { labels.append(finding.namespace ?? "") }
            // System-wide findings last, after every namespace.
            labels = labels.filter { !$0.isEmpty } + (labels.contains("") ? [""] : [])
            for label in labels {
                printer.text("[\(label.isEmpty ? "system" : label)]\n")
                for finding in findings where (finding.namespace ?? "") == label { finding.print(to: &printer) }
                printer.text("\n")
            }
        }
        // `summary: 0 errors, 2 warnings, 1 info, 6 ok`.
        printer.object("summary") { printer in
            printer.text("summary: ")
            for (index, severity) in DoctorSeverity.allCases.reversed().enumerated() {
                let count = count(severity)
                let counted = severity.isProblem ? DoctorText.plural(count, severity.rawValue) : "\(count) \(severity.rawValue)"
                printer.field(severity.rawValue, .number(count), text: (index > 0 ? ", " : "") + counted)
            }
            printer.text("\n")
        }
        printer.field("status", .number(status.rawValue))
    }
}

extension DoctorFinding {
    static let severityWidth = 9
    static let idWidth = 16

    /// `warning  tcp-keepalive   SENTENCE` and under it `         fix: COMMAND`, `          or: ...`.
    func print(to printer: inout Printer) {
        printer.object { printer in
            printer.field("severity", .string(severity.rawValue), text: severity.rawValue.padded(to: Self.severityWidth))
            printer.field("id", .string(id), text: id.padded(to: Self.idWidth))
            printer.field("namespace", .string(namespace))
            printer.field("message", .string(message), text: message + "\n")
            let indent = String(repeating: " ", count: Self.severityWidth)
            printer.array("fixes") { printer in
                for (index, fix) in fixes.enumerated() {
                    printer.item(.string(fix), text: indent + (index == 0 ? "fix: " : " or: ") + fix + "\n")
                }
            }
        }
    }
}
