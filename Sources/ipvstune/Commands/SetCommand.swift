import ArgumentParser
import IPVSTune

struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set IPVS timeouts.",
        discussion: """
            Either three values, tcp tcpfin udp, as with 'ipvsadm --set' (0 keeps a value), or \
            any of --tcp, --tcpfin, --udp. Values are seconds or durations such as 90s, 15m, 2h, \
            1h30m, 1d; at most 31 days. Prints what changed.
            """
    )

    @Argument(help: ArgumentHelp("tcp, tcpfin and udp timeouts; 0 keeps a value.", valueName: "tcp tcpfin udp"))
    var values: [String] = []

    @Option(help: ArgumentHelp("The ESTABLISHED TCP timeout.", valueName: "duration"))
    var tcp: String?

    @Option(help: ArgumentHelp("The TCP FIN_WAIT timeout.", valueName: "duration"))
    var tcpfin: String?

    @Option(help: ArgumentHelp("The UDP timeout.", valueName: "duration"))
    var udp: String?

    @Flag(help: "Print JSON: what changed, and the values before and after.")
    var json = false

    @Flag(help: "Also write the resulting timeouts into the config file, as 'save' does. If the file cannot be written, the kernel's values are put back.")
    var save = false

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var namespace: NamespaceOptions

    /// The requested update, validated before anything reaches the kernel.
    func update() throws(Failure) -> TimeoutUpdate {
        let named: [(TimeoutName, String?)] = [(.tcp, tcp), (.tcpfin, tcpfin), (.udp, udp)]
        let given: [(TimeoutName, String)]
        if values.isEmpty {
            given = named.compactMap { name, value in value.map { (name, $0) } }
        } else {
            guard values.count == 3 else {
                throw Failure("set takes three values, tcp tcpfin udp (0 keeps a value), or --tcp/--tcpfin/--udp: got \(values.count) value\(values.count == 1 ? "" : "s")",
                              status: .usage)
            }
            guard named.allSatisfy({ $0.1 == nil }) else {
                throw Failure("give either three values or --tcp/--tcpfin/--udp, not both", status: .usage)
            }
            given = zip(TimeoutName.allCases, values).map { ($0, $1) }
        }
        var update = TimeoutUpdate()
        for (name, text) in given {
            do {
                let seconds = try TimeoutDuration.parse(text)
                if seconds > 0 { update[name] = seconds }
            } catch {
                throw Failure("bad \(name.rawValue) timeout: \(error)", status: .usage)
            }
        }
        guard !update.isEmpty else {
            throw Failure("nothing to set: give a timeout above 0, for example 'ipvstune set --tcp 2h' (0 keeps a value)",
                          status: .usage)
        }
        return update
    }

    func run() throws {
        let update = try update()
        if save { try SavedTimeouts.rejectNamespaceWithoutConfig(namespace, configOptions) }
        try namespace.enter()
        let ipvs = try NetlinkIPVS()
        guard save else { return emit(try TimeoutSetter.apply(update, to: ipvs), json: json) }
        let (outcome, saved) = try TimeoutSetter.apply(update, to: ipvs, savingTo: configOptions.paths)
        emit(outcome.rendered(OutputFormat(json: json)) + (json ? "" : saved))
    }
}
