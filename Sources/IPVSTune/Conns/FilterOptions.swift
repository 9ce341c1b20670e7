/// Turns `conns` option values into a `ConnFilter`; every mistake is a usage Failure that
/// names the option and says what would be right.
extension ConnFilter {
    /// Each string of `states` and `protocols` may hold several values separated by commas.
    public static func parse(states: [String] = [], protocols: [String] = [], clients: [String] = [],
                             virtuals: [String] = [], dests: [String] = [], templates: Bool? = nil,
                             expiringWithin: String? = nil) throws(Failure) -> ConnFilter {
        var filter = ConnFilter()
        for item in commaSeparated(states) { filter.states.append(try parseState(item)) }
        for item in commaSeparated(protocols) { filter.protocols.append(try parseProtocol(item)) }
        for item in clients { filter.clients.append(try parseNetwork(item, option: "--client")) }
        for item in virtuals { filter.virtuals.append(try parseEndpoint(item, option: "--virtual")) }
        for item in dests { filter.dests.append(try parseEndpoint(item, option: "--dest")) }
        filter.templates = templates
        if let expiringWithin { filter.expiringWithin = try parseWithin(expiringWithin) }
        return filter
    }

    static func commaSeparated(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map { $0.trimmingSpaces }
    }

    static func parseState(_ text: String) throws(Failure) -> String {
        let upper = text.uppercased()
        guard ConnNames.states.contains(upper) else {
            throw usage("--state: unknown state '\(text)'; known states: \(ConnNames.states.joined(separator: ", "))")
        }
        return upper
    }

    static func parseProtocol(_ text: String) throws(Failure) -> String {
        let lower = text.lowercased()
        if let known = ConnNames.protocols.first(where: { $0.word == lower }) { return known.kernel }
        // IP_<n>, as the kernel prints a protocol it has no name for.
        if lower.hasPrefix("ip_"), let number = UInt8(lower.dropFirst(3)) { return "IP_\(number)" }
        let words = ConnNames.protocols.map(\.word).joined(separator: ", ")
        throw usage("--proto: unknown protocol '\(text)'; use one of \(words) (ip: firewall-mark templates)")
    }

    static func parseNetwork(_ text: String, option: String) throws(Failure) -> ConnNetwork {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parsing: String(parts[0])) else {
            throw usage("\(option): '\(text)' is not an IPv4 or IPv6 address (ADDR or ADDR/PREFIX, such as 10.0.0.0/8)")
        }
        let bits = address.isIPv6 ? 128 : 32
        guard parts.count == 2 else { return ConnNetwork(address, prefix: bits) }
        guard let prefix = Int(parts[1]), prefix >= 0, prefix <= bits else {
            throw usage("\(option): '\(text)' has prefix '\(parts[1])'; \(address.isIPv6 ? "IPv6" : "IPv4") prefixes are 0 to \(bits)")
        }
        return ConnNetwork(address, prefix: prefix)
    }

    /// `ADDR`, `ADDR:PORT`, `[IPV6]`, `[IPV6]:PORT`, bare `IPV6`, or `fwmark:MARK`.
    static func parseEndpoint(_ text: String, option: String) throws(Failure) -> ConnEndpointPattern {
        if text.lowercased().hasPrefix("fwmark:") {
            return ConnEndpointPattern(.firewallMark(try parseMark(String(text.dropFirst(7)), text, option)))
        }
        let (host, portText) = try splitHostPort(text, option: option)
        guard let address = IPAddress(parsing: host) else {
            throw usage("\(option): '\(text)' is not ADDR[:PORT] (such as 10.0.0.1:80, [2001:db8::1]:443 or fwmark:100)")
        }
        guard let portText else { return ConnEndpointPattern(.address(address)) }
        guard let port = UInt16(portText) else {
            throw usage("\(option): '\(text)' has port '\(portText)'; ports are 0 to 65535")
        }
        return ConnEndpointPattern(.address(address), port: port)
    }

    private static func splitHostPort(_ text: String, option: String) throws(Failure) -> (String, String?) {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw usage("\(option): '\(text)' is missing ']'") }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            if after.isEmpty { return (host, nil) }
            guard after.hasPrefix(":") else { throw usage("\(option): '\(text)' has '\(after)' after ']'; write [ADDR]:PORT") }
            return (host, String(after.dropFirst()))
        }
        let colons = text.filter { $0 == ":" }.count
        // Two colons or more: a bare IPv6 address, which cannot carry a port without brackets.
        guard colons == 1, let colon = text.firstIndex(of: ":") else { return (text, nil) }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    private static func parseMark(_ digits: String, _ text: String, _ option: String) throws(Failure) -> UInt32 {
        let lower = digits.lowercased()
        let mark = lower.hasPrefix("0x") ? UInt32(lower.dropFirst(2), radix: 16) : UInt32(lower)
        guard let mark else { throw usage("\(option): '\(text)' needs a mark from 0 to 4294967295 (decimal or 0x hex)") }
        return mark
    }

    static func parseWithin(_ text: String) throws(Failure) -> UInt64 {
        do {
            return UInt64(try TimeoutDuration.parse(text))
        } catch {
            throw usage("--expiring-within: \(error.description)")
        }
    }

    private static func usage(_ message: String) -> Failure { Failure(message, status: .usage) }
}
/// The names the kernel prints in the State and Pro columns (ip_vs_proto_tcp.c,
/// ip_vs_proto_udp.c, ip_vs_proto_sctp.c, ip_vs_conn.c), so that a mistyped `--state` is
/// an error instead of an empty listing. The parser itself accepts any name.
enum ConnNames {
    static let tcpStates = [
        "NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT", "CLOSE",
        "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK",
    ]
    static let udpStates = ["UDP"]
    static let sctpStates = [
        "NONE", "INIT1", "INIT", "COOKIE_SENT", "COOKIE_REPLIED", "COOKIE_WAIT", "COOKIE_ECHOED",
        "ESTABLISHED", "SHUTDOWN_SENT", "SHUTDOWN_RECEIVED", "SHUTDOWN_ACK_SENT", "REJECTED", "CLOSED",
    ]
    /// Persistence templates (kernel 5.x and later); older kernels show protocol states.
    static let templateStates = ["NONE", "ASSURED"]
    /// What the kernel prints for a state it has no name for.
    static let oddStates = ["ERR!", "BUG!", "?"]

    /// Every known state once, in a stable order for messages.
    static var states: [String] {
        var seen = Set<String>()
        return (tcpStates + udpStates + sctpStates + templateStates + oddStates).filter { seen.insert($0).inserted }
    }

    /// What `--proto` accepts, and the kernel's name for each: AH and ESP have no name of
    /// their own and print as IP_<protocol number>.
    static let protocols: [(word: String, kernel: String)] = [
        ("tcp", "TCP"), ("udp", "UDP"), ("sctp", "SCTP"), ("ip", "IP"),
        ("ah", "IP_51"), ("esp", "IP_50"), ("icmp", "ICMP"), ("icmpv6", "ICMPV6"),
    ]
}
