/// The names the kernel prints in the State and Pro columns (ip_vs_proto_tcp.c,
/// ip_vs_proto_udp.c, ip_vs_proto_sctp.c, ip_vs_conn.c), so that a mistyped `--state` is
/// an error instead of an empty listing. The parser itself accepts any name.
public enum ConnNames {
    public static let tcpStates = [
        "NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT", "TIME_WAIT", "CLOSE",
        "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK",
    ]
    public static let udpStates = ["UDP"]
    public static let sctpStates = [
        "NONE", "INIT1", "INIT", "COOKIE_SENT", "COOKIE_REPLIED", "COOKIE_WAIT", "COOKIE_ECHOED",
        "ESTABLISHED", "SHUTDOWN_SENT", "SHUTDOWN_RECEIVED", "SHUTDOWN_ACK_SENT", "REJECTED", "CLOSED",
    ]
    /// Persistence templates (kernel 5.x and later); older kernels show protocol states.
    public static let templateStates = ["NONE", "ASSURED"]
    /// What the kernel prints for a state it has no name for.
    public static let oddStates = ["ERR!", "BUG!", "?"]

    /// Every known state once, in a stable order for messages.
    public static var states: [String] {
        var seen = Set<String>()
        return (tcpStates + udpStates + sctpStates + templateStates + oddStates).filter { seen.insert($0).inserted }
    }

    /// What `--proto` accepts, and the kernel's name for each: AH and ESP have no name of
    /// their own and print as IP_<protocol number>.
    public static let protocols: [(word: String, kernel: String)] = [
        ("tcp", "TCP"), ("udp", "UDP"), ("sctp", "SCTP"), ("ip", "IP"),
        ("ah", "IP_51"), ("esp", "IP_50"), ("icmp", "ICMP"), ("icmpv6", "ICMPV6"),
    ]
}
