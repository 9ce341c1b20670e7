import ArgumentParser
import IPVSTune

extension TimeoutName: ExpressibleByArgument {}

struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print the IPVS timeouts.",
        discussion: """
            With a name (tcp, tcpfin or udp), print just that number, for scripts. Without one, \
            also the sync daemons that run (master or backup, interface, syncid); in JSON under \
            "daemons", present only when one runs.
            """
    )

    @Argument(help: "Print only this timeout: tcp, tcpfin or udp.")
    var name: TimeoutName?

    @Flag(help: "Print JSON: {\"tcp\":900,\"tcpfin\":120,\"udp\":300}.")
    var json = false

    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var allNamespaces: AllNamespacesOptions

    func run() throws {
        try allNamespaces.validate(with: namespace)
        if allNamespaces.allNetns { return try runEverywhere() }
        try namespace.enter()
        let ipvs = try NetlinkIPVS()
        let timeouts = try ipvs.timeouts()
        if let name { return emit(TimeoutReport(timeouts, only: name), json: json) }
        emit(TimeoutReport(timeouts, daemons: try ipvs.syncDaemons()), json: json)
    }

    /// One line (or JSON object) per namespace; the exit status is the first failure's.
    private func runEverywhere() throws {
        if name != nil { throw Failure("--all-netns prints every timeout of every namespace; drop the name", status: .usage) }
        let visitor = try NamespaceVisitor()
        let states = NamespaceDiscovery.all().map { target in
            PerNamespace(target: target, result: visitor.visit(target) { () throws(Failure) in
                try NamespaceState.read(NetlinkIPVS())
            })
        }
        emit(NamespaceReport(states), json: json)
        let status = states.worstStatus()
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
