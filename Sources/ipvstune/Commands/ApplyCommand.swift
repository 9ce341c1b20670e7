import ArgumentParser
import IPVSTune

import Glibc

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Set the kernel's IPVS timeouts to what the config says.",
        discussion: """
            Reads /etc/ipvstune.conf, then /etc/ipvstune.d/*.conf in name order (the last value \
            wins), and sets only the timeouts that differ. Run at boot by ipvstune.service. \
            A config with any error is refused (exit 78) and nothing is applied; so is one that \
            a user other than root could change: the file, or any folder above it up to /, \
            writable by others or owned by another user, or reached through a symlink to such \
            a place (a folder of root's with the sticky bit, like /tmp, is accepted).

            With --all-netns --follow (what ipvstune-netns.service runs) it applies once in \
            every namespace but the host's (ipvstune.service sets that one at boot), tells \
            systemd it is ready, then stays running: each namespace mounted in /run/netns or \
            /var/run/docker/netns gets the config the moment its mount appears (the kernel's \
            mount-table notification, no polling), and every namespace, the host's too, gets \
            it again when the config or a drop-in changes or on SIGHUP. A config with an \
            error is then reported on stderr and the last good one stays in force. It prints \
            one line per namespace it changed (--json: one object per event: set, gone, \
            config-error) and exits 0 on SIGTERM.
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

    @Flag(help: "With --all-netns: stay running and give each new namespace the config as it is mounted, and every namespace when the config changes or on SIGHUP, until SIGTERM.")
    var follow = false

    @OptionGroup var configOptions: ConfigOptions
    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var allNamespaces: AllNamespacesOptions

    func run() throws {
        try allNamespaces.validate(with: namespace)
        if follow { return try runFollowing() }
        let run = ApplyRun(paths: configOptions.paths, checkOnly: check, detailedExitcode: detailedExitcode,
                           netns: namespace.netns, allNetns: allNamespaces.allNetns)
        let result = run.run(OutputFormat(json: json), quiet: quiet)
        emit(result.output)
        for error in result.errors { Output.error(error) }
        if result.status != .success { throw ExitCode(result.status.rawValue) }
    }

    /// --follow: ApplyFollower over the kernel's mount-table and inotify events, until SIGTERM.
    private func runFollowing() throws {
        guard allNamespaces.allNetns, namespace.netns == nil else {
            throw Failure("--follow follows every namespace: give it with --all-netns", status: .usage)
        }
        guard !check, !detailedExitcode else {
            throw Failure("--follow keeps applying: it takes neither --check nor --detailed-exitcode", status: .usage)
        }
        let paths = configOptions.paths
        let config = try ConfigLoader.load(paths, requireSecure: true)
        let source = try MountWatch(config: paths)
        signal(SIGPIPE, SIG_IGN)
        let visitor = try NamespaceVisitor()
        let format = OutputFormat(json: json)
        let follower = ApplyFollower(
            config: config, source: source,
            loadConfig: { Result { () throws(Failure) in try ConfigLoader.load(paths, requireSecure: true) } },
            applyIn: { target, config in
                visitor.visit(target) { () throws(Failure) in try Applier.run(config, on: NetlinkIPVS(), checkOnly: false) }
            },
            emit: { event in quiet || Output.write(event.rendered(format)) },
            warn: { Output.error($0) })
        follower.run { SystemdNotify.send("READY=1") }
        SystemdNotify.send("STOPPING=1")
    }
}
