import ArgumentParser
import IPVSTune

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Tell one client's story: its templates and connections, how long each has been idle, and when IPVS will forget it.",
        discussion: """
            For the client ADDRESS (ADDRESS:PORT or [ADDRESS]:PORT narrows to one client port): \
            the timeouts in force; each persistence template covering the client (matched under \
            its service's persistence netmask), with its real server, time left and persistence \
            timeout; each connection with its state, real server and expiry, and for states whose \
            timeout is known its idle seconds (the state's timeout minus its expiry) and what \
            happens next. When a connection has been idle more than half the tcp timeout, the \
            doctor's tcp-keepalive advice follows.

            idle is unknown (null in JSON) when the expiry exceeds the state's current timeout \
            (the entry was armed under an earlier, longer one: the kernel re-arms a timer only on \
            a packet), or when ipvstune changed that timeout (set, apply) after the entry's last \
            packet may have come; ipvstune notes its changes in /var/lib/ipvstune/timeout-changes. \
            A change made by another tool (ipvsadm, keepalived) is caught only by the first rule.

            Examples:
              # ipvstune explain 10.1.0.2
              client 10.1.0.2 in namespace host
              timeouts: tcp 900, tcpfin 120, udp 300 (seconds)
              persistence templates:
                10.1.0.100:80 -> 10.2.0.2:8080  expires 4:58  persistence 300 s: new connections from this client go to 10.2.0.2:8080 and each re-arms it to 300 s; ...
              connections:
                TCP ESTABLISHED 10.1.0.2:40312 -> 10.1.0.100:80 -> 10.2.0.2:8080  expires 14:48  idle 12 s: forgotten in 14:48 if it stays idle; its next packet after that is answered with a reset
                TCP TIME_WAIT 10.1.0.2:40318 -> 10.1.0.100:80 -> 10.2.0.2:8080  expires 1:47  idle 13 s: closing: removed in 1:47
              # ipvstune explain 10.1.0.2:40312 --json
              {"client":"10.1.0.2:40312","netns":"host","timeouts":{"tcp":900,"tcpfin":120,"udp":300},"templates":[{"virtual":"10.1.0.100:80","dest":"10.2.0.2:8080","expires":298,"persistence":300}],"connections":[{"proto":"TCP","state":"ESTABLISHED","client":"10.1.0.2:40312","virtual":"10.1.0.100:80","dest":"10.2.0.2:8080","expires":888,"idle":12,"verdict":"forgotten in 14:48 if it stays idle; its next packet after that is answered with a reset"}]}

            A client without entries: "no IPVS entries for ADDRESS in namespace NAME", exit 0 \
            (empty arrays in JSON). With --all-netns, each namespace where the client has entries \
            (a JSON object per line).
            """
    )

    @Argument(help: ArgumentHelp("The client: 10.1.0.7, 10.1.0.7:5000, 2001:db8::7 or [2001:db8::7]:5000.", valueName: "address"))
    var address: String

    @Flag(help: "Print JSON: one object (per namespace with --all-netns).")
    var json = false

    @OptionGroup var namespace: NamespaceOptions
    @OptionGroup var allNamespaces: AllNamespacesOptions

    func validate() throws {
        _ = try ExplainClient(parsing: address)
        try allNamespaces.validate(with: namespace)
    }

    func run() throws {
        let result = Explainer(client: try ExplainClient(parsing: address))
            .run(netns: namespace.netns, allNetns: allNamespaces.allNetns, OutputFormat(json: json))
        emit(result.output)
        for line in result.errors { Output.error(line) }
        if result.status != .success { throw ExitCode(result.status.rawValue) }
    }
}
