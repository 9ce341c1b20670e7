import ArgumentParser
import IPVSTune

struct ServicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "services",
        abstract: "List the virtual services, their real servers and connection counts.",
        discussion: """
            From netlink: protocol and address (or firewall mark), scheduler, persistence \
            timeout when persistent, and for each real server its forwarding method, weight, \
            and active, inactive and persistent connection counts, as the kernel counts them \
            (no walk of the connection table).
            """
    )

    @Flag(help: #"Print JSON: {"services":[...]}."#)
    var json = false

    @OptionGroup var namespace: NamespaceOptions

    func run() throws {
        try namespace.enter()
        let services = try NetlinkIPVS().services()
        emit(ServiceReport(services), json: json)
    }
}
