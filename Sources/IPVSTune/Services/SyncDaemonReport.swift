/// A sync daemon's fields: `master on eth0, syncid 1, group 224.0.0.81:8848` in the text.
extension SyncDaemon: Report {
    public func print(to printer: inout Printer) {
        print(to: &printer, brief: false)
    }

    /// `brief`: the text says only `master on eth0`, for a table row.
    func print(to printer: inout Printer, brief: Bool) {
        printer.field("role", .string(role.rawValue), text: role.rawValue)
        printer.field("interface", .string(interface), text: " on \(interface)")
        printer.field("syncid", .number(syncid), text: brief ? nil : ", syncid \(syncid)")
        printer.field("maxlen", .number(maxlen))
        printer.field("group", .string(group?.description), text: brief ? nil : group.map { ", group \($0)" })
        printer.field("port", .number(port), text: brief ? nil : port.map { ":\($0)" })
        printer.field("ttl", .number(ttl))
    }
}
