import ArgumentParser
import IPVSTune

import Glibc

@main
struct IPVSTuneCommand: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "ipvstune",
        abstract: "See and set the Linux IPVS (LVS) tcp, tcpfin and udp timeouts.",
        discussion: """
            IPVS forgets an idle TCP connection after the tcp timeout (900 s by default) and \
            answers its next packet with a reset. ipvstune reads and sets the timeouts over \
            netlink, in the current or any network namespace, keeps them in \
            /etc/ipvstune.conf, and applies them at boot (ipvstune.service).

            EXIT STATUS
            \(ExitStatus.table)
            """,
        version: version,
        subcommands: [GetCommand.self, SetCommand.self, ConnsCommand.self, ServicesCommand.self, ApplyCommand.self, SaveCommand.self, ShowConfigCommand.self, DoctorCommand.self, WatchCommand.self, MetricsCommand.self, ExplainCommand.self]
    )

    static func main() {
        do {
            var command = try parse(Array(CommandLine.arguments.dropFirst()))
            try command.run()
        } catch let failure as Failure {
            fail(failure.message, status: failure.status.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Output.write(fullMessage(for: error) + "\n")
                Glibc.exit(0)
            }
            if let code = error as? ExitCode { Glibc.exit(code.rawValue) }
            // Argument errors: one line, and where to read more.
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "usage error"
            fail("\(message.lowercasedFirst): see 'ipvstune --help'", status: ExitStatus.usage.rawValue)
        }
    }

    /// Parses with swift-argument-parser starting at the subcommand the first argument names.
    ///
    /// Parsing from the root sets up a parser for every subcommand, by reflection, at each
    /// start: most of a `get`'s cost. The subcommand alone does the same for its own options
    /// only. Help, version and completion requests, and anything the subcommand rejects, are
    /// parsed again from the root, so they read exactly as before.
    static func parse(_ arguments: [String]) throws -> ParsableCommand {
        if let name = arguments.first,
           let subcommand = configuration.subcommands.first(where: { $0.configuration.commandName == name }),
           !arguments.contains(where: isRootRequest),
           let command = try? subcommand.parseAsRoot(Array(arguments.dropFirst())) {
            return command
        }
        return try parseAsRoot(arguments)
    }

    /// Arguments only the root command answers: help in every spelling, version, completions.
    private static func isRootRequest(_ argument: String) -> Bool {
        argument == "help" || argument == "-h" || argument == "--help" || argument == "--version"
            || argument.hasPrefix("--generate-completion") || argument.hasPrefix("--experimental")
    }

    static func fail(_ message: String, status: Int32) -> Never {
        Output.error(message)
        Glibc.exit(status)
    }
}

extension String {
    var lowercasedFirst: String {
        guard let first else { return self }
        return first.lowercased() + dropFirst()
    }
}

/// Writes text to standard output as it is: reports end their own lines.
func emit(_ text: String) {
    Output.write(text)
}

/// Writes a report as text, or as JSON with --json.
func emit(_ report: some Report, json: Bool) {
    Output.write(report.rendered(OutputFormat(json: json)))
}
