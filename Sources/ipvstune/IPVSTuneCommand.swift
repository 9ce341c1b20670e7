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
        subcommands: [Get.self, Set.self, Conns.self, Services.self, Apply.self, Save.self, ShowConfig.self, Doctor.self]
    )

    static func main() {
        do {
            // The plain forms of get and set skip the reflective parser; see DirectParse.
            var command = try DirectParse.command(CommandLine.arguments.dropFirst()) ?? parseAsRoot()
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

/// Writes a report to standard output as it is: reports end their own lines.
func emit(_ text: String) {
    Output.write(text)
}
