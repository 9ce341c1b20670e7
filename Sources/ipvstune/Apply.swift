import ArgumentParser
import IPVSTune

struct Apply: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set the kernel's IPVS timeouts to what the config says.",
        discussion: """
            Reads /etc/ipvstune.conf, then /etc/ipvstune.d/*.conf in name order (the last value \
            wins), and sets only the timeouts that differ. Run at boot by ipvstune.service. \
            A config with any error, or a config file or folder that a user other than root \
            could change, is refused (exit 78) and nothing is applied.
            """
    )

    @Flag(help: "Change nothing; report what would change.")
    var check = false

    @Flag(help: "Exit 0 when nothing changed or would change, 2 when something did or would.")
    var detailedExitcode = false

    @Flag(name: .shortAndLong, help: "Print only errors.")
    var quiet = false

    @Flag(help: "Print JSON: the result, what changed, and the values before and after.")
    var json = false

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var namespace: NamespaceOptions

    func run() throws {
        let paths = configOptions.paths
        let config = try ConfigLoader.load(paths, requireSecure: true)
        try namespace.enter()
        let outcome = try Applier.run(config, on: NetlinkIPVS(), checkOnly: check)
        if !quiet { emit(json ? outcome.json : outcome.text(paths: paths)) }
        if detailedExitcode && outcome.changedSomething { throw ExitCode(ExitStatus.changed.rawValue) }
    }
}
