import ArgumentParser
import IPVSTune

struct SaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Write the kernel's current timeouts into the config file.",
        discussion: """
            Only the values change: comments, order and blank lines stay; missing keys are \
            appended; an unchanged file is not rewritten. The write is atomic and durable, \
            and goes through a symlink to its target.
            """
    )

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var namespace: NamespaceOptions

    func run() throws {
        try SavedTimeouts.rejectNamespaceWithoutConfig(namespace, configOptions)
        try namespace.enter()
        let timeouts = try NetlinkIPVS().timeouts()
        emit(try SavedTimeouts.save(timeouts, configOptions.paths))
    }
}

/// What `save` and `set --save` share.
enum SavedTimeouts {
    /// A namespace's values saved into the main config would be applied to the host at boot.
    static func rejectNamespaceWithoutConfig(_ namespace: NamespaceOptions, _ config: ConfigOptions) throws(Failure) {
        guard namespace.netns != nil, config.config == nil else { return }
        throw Failure("saving with --netns would put that namespace's values in /etc/ipvstune.conf, which apply uses for the host: name a separate file with --config",
                      status: .usage)
    }

    /// Saves and says what happened, including values a drop-in overrides.
    static func save(_ timeouts: Timeouts, _ paths: ConfigPaths) throws(Failure) -> String {
        let outcome = try ConfigSaver.save(timeouts, to: paths.main)
        let values = TimeoutName.allCases.map { "\($0.rawValue) \(timeouts[$0])" }.joined(separator: ", ")
        var text = outcome.changed
            ? "saved \(values) to \(outcome.target)\n"
            : "\(outcome.target) already holds \(values); not rewritten\n"
        if let config = try? ConfigLoader.load(paths) {
            for (name, location) in config.timeoutsOverridden(outside: paths.main).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                text += "note: \(name.rawValue) is overridden by \(location); apply uses that value\n"
            }
        }
        return text
    }
}
