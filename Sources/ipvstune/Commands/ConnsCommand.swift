import ArgumentParser
import IPVSTune

import Glibc

extension ConnSortKey: ExpressibleByArgument {}

struct ConnsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conns",
        abstract: "List, filter, count and summarize IPVS connection entries.",
        discussion: """
            Reads /proc/net/ip_vs_conn of the current (or --netns) namespace, or a saved copy \
            with --file, streaming: memory stays flat however large the table, except with \
            --sort. Filters compose: an entry is shown when it matches all of them; --state and \
            --proto take comma lists, and every filter may repeat (any of its values matches). \
            Persistence templates (client port 0) are marked "template" under FLAGS. A malformed \
            line is reported with its line number, every good line is still shown, and the exit \
            status is 65.

            The kernel gives no snapshot of the table. On Linux 7.x a read that overlaps a resize \
            of the connection table can end early, or miss some entries and list others twice, \
            just as with cat; counts and summaries are then approximate. Before 7.x the same \
            happens when entries come or go in any namespace during a long read.
            """
    )

    @Option(help: ArgumentHelp("Only entries in these states: ESTABLISHED, TIME_WAIT, FIN_WAIT, SYN_RECV, NONE, ASSURED, UDP...", valueName: "state[,state]"))
    var state: [String] = []

    @Option(help: ArgumentHelp("Only these protocols: tcp, udp, sctp, ip (firewall-mark templates), ah, esp.", valueName: "proto[,proto]"))
    var proto: [String] = []

    @Option(help: ArgumentHelp("Only clients in this address or network, e.g. 10.0.0.0/8 or 2001:db8::/32.", valueName: "addr[/prefix]"))
    var client: [String] = []

    @Option(name: .customLong("virtual"), help: ArgumentHelp("Only this virtual service: 192.168.10.1:443, [2001:db8::1]:80, an address alone, or fwmark:100.", valueName: "addr[:port]"))
    var virtualService: [String] = []

    @Option(help: ArgumentHelp("Only this real server: 10.0.0.5:8080 or an address alone.", valueName: "addr[:port]"))
    var dest: [String] = []

    @Flag(inversion: .prefixedNo, help: "Only persistence templates, or (--no-templates) only connections.")
    var templates: Bool?

    @Option(help: ArgumentHelp("Only entries that expire within this duration, e.g. 60s or 15m.", valueName: "duration"))
    var expiringWithin: String?

    @Flag(help: "Print only the number of matching entries.")
    var count = false

    @Flag(help: "Print counts by state, by virtual service, templates against connections, and by time to expiry.")
    var summary = false

    @Option(help: ArgumentHelp("Sort the listing by expire, client or state (keeps the matching entries in memory).", valueName: "key"))
    var sort: ConnSortKey?

    @Flag(help: "Print JSON: one object per line for the listing, one object for --count and --summary.")
    var json = false

    @Option(help: ArgumentHelp("Read a saved table (cat /proc/net/ip_vs_conn > FILE) instead of the kernel's; - is standard input.", valueName: "path"))
    var file: String?

    @OptionGroup var namespace: NamespaceOptions

    func run() throws {
        let filter = try ConnFilter.parse(states: state, protocols: proto, clients: client, virtuals: virtualService,
                                          dests: dest, templates: templates, expiringWithin: expiringWithin)
        let query = try ConnQuery(path: file ?? ConnSource.table, filter: filter,
                                  mode: try ConnQuery.mode(count: count, summary: summary), json: json, sort: sort)
        if file != nil && namespace.netns != nil {
            throw Failure("--file reads a saved table; --netns has no meaning with it: give one", status: .usage)
        }
        try namespace.enter()
        // `conns | head` must end quietly: a closed pipe shows up as a failed write instead.
        signal(SIGPIPE, SIG_IGN)
        let result = try query.run()
        if result.status != .success { throw ExitCode(result.status.rawValue) }
    }
}
