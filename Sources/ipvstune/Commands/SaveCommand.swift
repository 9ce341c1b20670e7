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
        emit(try ConfigSaver.save(timeouts, configOptions.paths))
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
}
