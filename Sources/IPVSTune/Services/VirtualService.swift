/// A virtual service as the kernel keeps it, with its real servers and their counters.
public struct VirtualService: Equatable, Sendable {
    enum Family: String, Sendable { case inet, inet6 }

    var family: Family
    /// "TCP", "UDP", "SCTP"; "FWM" for a firewall-mark service.
    var proto: String
    /// nil for a firewall-mark service.
    var address: IPAddress?
    var port: UInt16
    /// The mark of a firewall-mark service, nil otherwise.
    var firewallMark: UInt32?
    var scheduler: String
    /// Seconds an idle client stays bound to its real server; nil when not persistent.
    var persistenceTimeout: UInt32?
    var persistenceNetmask: UInt32 = 0
    var persistenceEngine: String? = nil
    var onePacket = false
    var realServers: [RealServer] = []

    /// How operators and ipvsadm name it: `TCP 10.0.0.1:80`, `TCP [2001:db8::1]:443`, `FWM 7`.
    var name: String {
        if let firewallMark { return "FWM \(firewallMark)" }
        return "\(proto) \(address.map { Endpoint($0, port).description } ?? "?")"
    }

    /// As the connection table names it: `10.0.0.1:80`, `[2001:db8::1]:443`, `fwmark:7`.
    var virtual: VirtualAddress {
        if let firewallMark { return .firewallMark(firewallMark) }
        return .endpoint(Endpoint(address ?? .v4(0), port))
    }

    var isPersistent: Bool { persistenceTimeout != nil }
}

/// A real server behind a virtual service, with GET_DEST's connection counters.
struct RealServer: Equatable, Sendable {
    var family: VirtualService.Family
    var address: IPAddress
    var port: UInt16
    /// "masq", "local", "tunnel", "route" (direct routing) or "bypass".
    var forward: String
    var weight: UInt32
    var active: UInt32
    var inactive: UInt32
    var persistent: UInt32

    var endpoint: Endpoint { Endpoint(address, port) }
}

/// A sync daemon: a master sends connection state to backups, a backup receives it.
public struct SyncDaemon: Equatable, Sendable {
    enum Role: String, Sendable { case master, backup }

    var role: Role
    var interface: String
    var syncid: UInt32
    var maxlen: UInt16 = 0
    /// Multicast group and port, nil when the kernel did not say (224.0.0.81:8848).
    var group: IPAddress?
    var port: UInt16?
    var ttl: UInt8?

}
