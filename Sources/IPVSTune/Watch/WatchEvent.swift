/// Something `watch` saw happen, printed as one line or one JSON object.
public struct WatchEvent: Equatable, Report {
    enum Kind: String, CaseIterable, Sendable {
        /// An ESTABLISHED TCP connection or a UDP flow forgotten at its idle timeout.
        case idleExpiry = "idle-expiry"
        /// A persistence template kept 60 s past its timeout for the connections it placed.
        case templateGrace = "template-grace"
        /// A namespace that went away (or lost IPVS) while watched.
        case netnsGone = "netns-gone"
    }

    var kind: Kind
    var netns: String
    var entry: WatchEntry?
    /// Why a namespace is gone; what to do, for an entry.
    var message: String?
    /// RFC 3339, UTC, set when printed.
    public var time = ""

    init(kind: Kind, netns: String, entry: WatchEntry? = nil, message: String? = nil) {
        self.kind = kind
        self.netns = netns
        self.entry = entry
        self.message = message
    }

    public func print(to printer: inout Printer) {
        printer.field("event", .string(kind.rawValue), text: "\(time)  \(netns)  \(kind.rawValue)")
        printer.field("time", .string(time))
        printer.field("netns", .string(netns))
        if let entry {
            printer.field("proto", .string(entry.proto), text: "  \(entry.proto)")
            printer.field("state", .string(entry.state))
            printer.field("client", .string(entry.client.description), text: " \(entry.client)")
            printer.field("virtual", .string(entry.virtual.description), text: " -> \(entry.virtual)")
            printer.field("dest", .string(entry.dest.description), text: " -> \(entry.dest)")
            printer.field("timeout", .number(entry.timeout))
        }
        if let message { printer.field("message", .string(message), text: ": \(message)") }
        printer.text("\n")
    }

    /// What the event means for the client and what to do, given the namespace's TCP keepalive.
    static func advice(_ kind: Kind, _ entry: WatchEntry, keepalive: TCPKeepalive?) -> String {
        let timeout = "\(entry.timeout) s (\(TimeoutDuration.format(UInt64(entry.timeout))))"
        switch (kind, entry.proto) {
        case (.idleExpiry, "UDP"):
            return "idle past the udp timeout \(timeout): its next datagram is scheduled anew, perhaps to another real server; to keep such flows, ipvstune set --udp \(2 * UInt64(entry.timeout)) --save"
        case (.idleExpiry, _):
            // As doctor advises: above the keepalive time plus one probe interval, so a probe
            // refreshes the entry before it runs out.
            let probed = keepalive.map { UInt64($0.time) + UInt64($0.interval) } ?? 7275
            let suggested = probed > UInt64(entry.timeout) ? probed : 2 * UInt64(entry.timeout)
            return "idle past the tcp timeout \(timeout): its next packet is answered with a reset; raise it, ipvstune set --tcp \(suggested) --save, or have the client send TCP keepalives more often than every \(entry.timeout) s"
        case (.templateGrace, _):
            return "the template outlived its persistence timeout \(timeout) while connections it placed were alive: the kernel keeps it 60 s at a time while they last (the one-minute grace), so the client stays on its real server; nothing to do unless it should have moved"
        case (.netnsGone, _):
            return ""
        }
    }
}

/// Events counted per namespace and virtual service, for `--summary-every` and the end.
public struct WatchCounters: Report {
    struct Row: Hashable {
        var netns: String
        var virtual: VirtualAddress
    }

    private var counts: [Row: [WatchEvent.Kind: Int]] = [:]
    private var order: [Row] = []
    public var time = ""

    public init() {}

    public mutating func count(_ event: WatchEvent) {
        guard let entry = event.entry else { return }
        let row = Row(netns: event.netns, virtual: entry.virtual)
        if counts[row] == nil { order.append(row) }
        counts[row, default: [:]][event.kind, default: 0] += 1
    }

    static let counted: [WatchEvent.Kind] = [.idleExpiry, .templateGrace]

    /// The counts in the order first seen: what `watch --textfile` exports.
    var totals: [(netns: String, virtual: String, counts: [WatchEvent.Kind: Int])] {
        order.map { ($0.netns, $0.virtual.description, counts[$0] ?? [:]) }
    }

    public func print(to printer: inout Printer) {
        let width = max(12, (order.map(\.netns.count).max() ?? 0) + 2)
        let virtualWidth = max(24, (order.map(\.virtual.description.count).max() ?? 0) + 2)
        printer.object("summary") { printer in
            printer.field("time", .string(time), text: "summary at \(time)\n")
            printer.text("NAMESPACE".padded(to: width) + "VIRTUAL".padded(to: virtualWidth)
                + Self.counted.map { $0.rawValue.uppercased().rightAligned(to: 16) }.joined() + "\n")
            printer.array("counts") { printer in
                for row in order {
                    printer.object { printer in
                        printer.field("netns", .string(row.netns), text: row.netns.padded(to: width))
                        printer.field("virtual", .string(row.virtual.description), text: row.virtual.description.padded(to: virtualWidth))
                        for kind in Self.counted {
                            let count = counts[row]?[kind] ?? 0
                            printer.field(kind.rawValue, .number(count), text: String(count).rightAligned(to: 16))
                        }
                    }
                    printer.text("\n")
                }
            }
            if order.isEmpty { printer.text("(no events)\n") }
        }
    }
}
