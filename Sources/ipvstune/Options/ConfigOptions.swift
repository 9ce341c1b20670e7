import ArgumentParser
import IPVSTune

/// Which config a command reads or writes: /etc/ipvstune.conf and /etc/ipvstune.d, or another.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Use this config file instead of /etc/ipvstune.conf; its drop-ins are read from the folder of the same name ending in .d instead of .conf.",
        valueName: "path"))
    var config: String?

    var paths: ConfigPaths {
        guard let config else { return .system }
        let stem = config.hasSuffix(".conf") ? String(config.dropLast(5)) : config
        return ConfigPaths(main: config, dropInDirectory: stem + ".d")
    }
}
