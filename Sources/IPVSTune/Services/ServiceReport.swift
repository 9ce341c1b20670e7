/// What `services` prints: each virtual service and its real servers with their counters.
public struct ServiceReport: Report {
    var services: [VirtualService]

    public init(_ services: [VirtualService]) { self.services = services }

    public func print(to printer: inout Printer) {
        if services.isEmpty {
            printer.text("no virtual services\n")
        } else {
            printer.text(TextColumn.headings(Columns.serviceRow))
            printer.text(TextColumn.headings(Columns.serverRow))
        }
        printer.array("services") { printer in
            for service in services { printer.object { printer in service.print(to: &printer) } }
        }
    }
}

/// The table's columns: a service's row, then under it a row per real server.
private enum Columns {
    static let service = TextColumn("SERVICE", .left, width: 34)
    static let scheduler = TextColumn("SCHEDULER", .left, width: 11)
    static let persistence = TextColumn("PERSISTENCE")
    static let server = TextColumn("  -> REAL SERVER", .left, width: 34)
    static let forward = TextColumn("FORWARD", .left, width: 9)
    static let weight = TextColumn("WEIGHT", .right, width: 7)
    static let active = TextColumn("ACTIVE", .right, width: 9)
    static let inactive = TextColumn("INACTIVE", .right, width: 10)
    static let persistent = TextColumn("PERSISTENT", .right, width: 12)
    static let serviceRow = [service, scheduler, persistence]
    static let serverRow = [server, forward, weight, active, inactive, persistent]
}

extension VirtualService {
    /// `TCP 10.0.0.1:80   rr   300 s pe sip ops`, then a row per real server.
    func print(to printer: inout Printer) {
        printer.field("name", .string(name), text: Columns.service.cell(name))
        printer.field("family", .string(family.rawValue))
        printer.field("proto", firewallMark == nil ? .string(proto) : .null)
        printer.field("address", .string(address?.description))
        printer.field("port", firewallMark == nil ? .number(port) : .null)
        printer.field("fwmark", .number(firewallMark))
        printer.field("scheduler", .string(scheduler), text: Columns.scheduler.cell(scheduler))
        printer.field("persistent", .bool(isPersistent))
        printer.field("persistence_timeout", .number(persistenceTimeout),
                      text: Columns.persistence.cell(persistenceTimeout.map { "\($0) s" } ?? "-"))
        printer.field("persistence_engine", .string(persistenceEngine), text: persistenceEngine.map { " pe \($0)" })
        printer.field("one_packet", .bool(onePacket), text: onePacket ? " ops" : nil)
        printer.text("\n")
        printer.array("real_servers") { printer in
            for server in realServers { printer.object { printer in server.print(to: &printer) } }
        }
    }
}

extension RealServer {
    func print(to printer: inout Printer) {
        printer.field("address", .string(address.description), text: Columns.server.cell("  -> \(endpoint)"))
        printer.field("port", .number(port))
        printer.field("forward", .string(forward), text: Columns.forward.cell(forward))
        printer.field("weight", .number(weight), text: Columns.weight.cell(String(weight)))
        printer.field("active", .number(active), text: Columns.active.cell(String(active)))
        printer.field("inactive", .number(inactive), text: Columns.inactive.cell(String(inactive)))
        printer.field("persistent", .number(persistent), text: Columns.persistent.cell(String(persistent)))
        printer.text("\n")
    }
}
