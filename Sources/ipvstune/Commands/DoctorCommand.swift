import ArgumentParser
import IPVSTune

import Glibc

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the IPVS timeouts and what sets them; say why and how to fix what is wrong.",
        discussion: """
            One line per finding: severity (ok, info, warning, error), the check's id, the reason, \
            and under it the command that fixes it; then a summary. Exit 0 when nothing is wrong, \
            1 when a warning or an error was found. Checks:

            \(DoctorCheck.allCases.map { "  \($0.rawValue.padding(15)) \($0.summary)" }.joined(separator: "\n"))
            """
    )

    @Flag(help: #"Print JSON: {"findings":[{"severity","id","namespace","message","fixes"}],"summary":{...},"status":N}."#)
    var json = false

    @Option(name: .long, help: ArgumentHelp("Read this keepalived config instead of /etc/keepalived/keepalived.conf.",
                                            valueName: "path"))
    var keepalivedConf: String?

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var allNamespaces: AllNamespacesOptions

    func run() throws {
        try allNamespaces.validate(with: namespace)
        var paths = DoctorPaths.system
        paths.config = configOptions.paths
        if let keepalivedConf {
            guard access(keepalivedConf, F_OK) == 0 else {
                throw Failure("keepalived config '\(keepalivedConf)' not found: check the path", status: .noInput)
            }
            paths.keepalivedConf = keepalivedConf
        }
        let scope: DoctorScope
        if allNamespaces.allNetns {
            scope = .all
        } else if let netns = namespace.netns {
            scope = .namespace(try NetworkNamespace(netns).path)
        } else {
            scope = .current
        }
        let doctor = DoctorExamination(paths: paths, configArgument: configOptions.config, visitor: try NamespaceVisitor()) {
            () throws(Failure) -> IPVSControl in try NetlinkIPVS()
        }
        let report = try doctor.examine(scope)
        emit(report.rendered(OutputFormat(json: json)))
        if report.status != .success { throw ExitCode(report.status.rawValue) }
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
