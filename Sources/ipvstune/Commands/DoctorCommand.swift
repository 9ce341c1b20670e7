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

            keepalived, by its version (from dpkg, else keepalived --version): 2.1.4 and later \
            (Debian 11, 12, 13) apply lvs_timeouts from the checker process, which runs only when \
            a virtual_server is configured, lvs_sync_daemon or not; before 2.1.4 the VRRP process \
            applied them, only with lvs_sync_daemon. keepalived records the values it found, \
            puts them back on stop and before each reload, then sets its own again; SIGKILL \
            skips the restore.

            persistence: a persistence timeout shorter than the tcp or udp timeout is safe, since \
            the kernel re-arms a template 60 s at a time while connections it placed live; the \
            two need not be equal. A UDP service with one-packet scheduling (-o) has no \
            connection entries to do that, so a quiet client is moved: that is a warning.

            kube-proxy: its flags, or its --config file, which then decides mode and timeouts \
            alone; also run as hyperkube. The default mode (iptables) sets no IPVS timeout; \
            IPVS mode is deprecated since Kubernetes 1.35.
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
        emit(report, json: json)
        if report.status != .success { throw ExitCode(report.status.rawValue) }
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
