/// What `apply --follow` reports: a namespace given the config (`set`), a namespace whose
/// mount went away (`gone`), or a config change that was refused (`config-error`).
/// The text has a line for `set` only; `config-error` goes to stderr as an error.
public struct FollowEvent: Report, Equatable, Sendable {
    public enum Kind: String, Sendable {
        case set
        case gone
        case configError = "config-error"
    }

    public var kind: Kind
    public var time: String
    /// The namespace's path, or `host`; nil for a config error.
    public var netns: String?
    public var before: Timeouts?
    public var after: Timeouts?
    public var message: String?

    public init(kind: Kind, time: String, netns: String? = nil, before: Timeouts? = nil, after: Timeouts? = nil,
                message: String? = nil) {
        self.kind = kind
        self.time = time
        self.netns = netns
        self.before = before
        self.after = after
        self.message = message
    }

    /// `netns /run/docker/netns/lb_x7q: tcp 900 -> 7275, udp 300 -> 60`.
    public func print(to printer: inout Printer) {
        printer.field("event", .string(kind.rawValue))
        printer.field("time", .string(time))
        let changes = before.flatMap { before in after.map { TimeoutChange.between(before, $0) } } ?? []
        let text = changes.map(\.line).joined(separator: ", ")
        printer.field("netns", .string(netns), text: kind == .set ? "netns \(netns ?? "host"): \(text)\n" : nil)
        if let before, let after {
            before.print("before", to: &printer)
            after.print("after", to: &printer)
        }
        if let message { printer.field("message", .string(message)) }
    }
}
