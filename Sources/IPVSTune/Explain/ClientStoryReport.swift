/// What `explain` prints for one namespace: each value named once, for the text and the JSON.
extension ClientStory: Report {
    /// A client without entries is one line in the text, and empty arrays in the JSON.
    public func print(to printer: inout Printer) {
        let heading = isEmpty ? "no IPVS entries for \(client) in namespace \(netns)\n" : "client \(client) in namespace \(netns)\n"
        printer.field("client", .string(client.description), text: heading)
        printer.field("netns", .string(netns))
        if !isEmpty { printer.text("timeouts: \(timeouts.listed) (seconds)\n") }
        timeouts.print("timeouts", to: &printer)
        printer.array("templates") { printer in
            if !templates.isEmpty { printer.text("persistence templates:\n") }
            for template in templates { printer.object { printer in template.print(to: &printer) } }
        }
        printer.array("connections") { printer in
            if !connections.isEmpty { printer.text("connections:\n") }
            for connection in connections { printer.object { printer in connection.print(to: &printer) } }
        }
        if let advice {
            printer.text("advice (\(advice.check.rawValue), \(advice.severity.rawValue)): \(advice.message)\n")
            for fix in advice.fixes { printer.text("  fix: \(fix)\n") }
        }
    }
}

extension ExplainedTemplate {
    func print(to printer: inout Printer) {
        let dest = entry.dest.description
        printer.field("virtual", .string(entry.virtualAddress.description), text: "  \(entry.virtualAddress.description)")
        printer.field("dest", .string(dest), text: " -> \(dest)")
        printer.field("expires", .number(entry.expiresIn), text: "  expires \(entry.expiresIn.map(ClientStory.clock) ?? "-")")
        printer.field("persistence", .number(persistence), text: persistence.map { "  persistence \($0) s" } ?? "")
        printer.text(": \(meaning)\n")
    }

    /// What the template does for the client, the one-minute grace included.
    var meaning: String {
        if entry.isInvalidated { return "its real server is gone: it only lives out its timer, and new connections are scheduled anew" }
        // A firewall-mark template holds port 0: each connection keeps its own port.
        let server = entry.dest.port == 0 ? entry.dest.address.description : entry.dest.description
        let placed = "new connections from this client go to \(server) and each re-arms it"
        let grace = "when it runs out while connections it placed still live, the kernel keeps it 60 s at a time until they end (the one-minute grace), so the client stays on \(server)"
        guard let persistence else { return "\(placed); its service is gone; \(grace)" }
        return "\(placed) to \(persistence) s; \(grace)"
    }
}

extension ExplainedConnection {
    func print(to printer: inout Printer) {
        printer.field("proto", .string(entry.proto), text: "  \(entry.proto)")
        printer.field("state", .string(entry.state), text: " \(entry.state)")
        printer.field("client", .string(entry.client.description), text: " \(entry.client)")
        printer.field("virtual", .string(entry.virtualAddress.description), text: " -> \(entry.virtualAddress.description)")
        printer.field("dest", .string(entry.dest.description), text: " -> \(entry.dest)")
        printer.field("expires", .number(entry.expiresIn), text: "  expires \(entry.expiresIn.map(ClientStory.clock) ?? "-")")
        printer.field("idle", .number(idle), text: idle.map { "  idle \($0) s" } ?? "")
        printer.field("verdict", .string(verdict), text: verdict.map { ": \($0)" } ?? "")
        printer.text("\n")
    }
}
