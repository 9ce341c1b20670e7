import ArgumentParser
import IPVSTune

/// Where a command acts: the current network namespace, or the one named.
struct NamespaceOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Act inside this network namespace: a name from /run/netns or a path such as /var/run/docker/netns/ingress_sbox.",
        valueName: "name|path"))
    var netns: String?

    /// Enters the namespace, if one was named. Call before opening IPVS or reading /proc/net.
    func enter() throws(Failure) {
        guard let netns else { return }
        try NetworkNamespace(netns).enter()
    }
}

/// --all-netns, for the commands that can visit every namespace in one process.
struct AllNamespacesOptions: ParsableArguments {
    @Flag(name: .long, help: "Visit the host's namespace and every one in /run/netns and /var/run/docker/netns, and report each.")
    var allNetns = false

    func validate(with namespace: NamespaceOptions) throws(Failure) {
        if allNetns && namespace.netns != nil {
            throw Failure("--all-netns visits every namespace; --netns names one: give one of them", status: .usage)
        }
    }
}
