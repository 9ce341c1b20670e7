import Glibc

/// A virtual service as the kernel keeps it, with its real servers and their counters.
public struct VirtualService: Equatable, Sendable {
    enum Family: String, Sendable { case inet, inet6 }

    var family: Family
    /// "TCP", "UDP", "SCTP"; "FWM" for a firewall-mark service.
    var proto: String
    /// Numeric address, nil for a firewall-mark service.
    var address: String?
    var port: UInt16
    /// The mark of a firewall-mark service, nil otherwise.
    var firewallMark: UInt32?
    var scheduler: String
    /// Seconds an idle client stays bound to its real server; nil when not persistent.
    var persistenceTimeout: UInt32?
    var persistenceNetmask: UInt32
    var persistenceEngine: String?
    var onePacket: Bool
    var realServers: [RealServer]

    init(family: Family, proto: String, address: String?, port: UInt16, firewallMark: UInt32?,
                scheduler: String, persistenceTimeout: UInt32?, persistenceNetmask: UInt32 = 0,
                persistenceEngine: String? = nil, onePacket: Bool = false, realServers: [RealServer] = []) {
        self.family = family
        self.proto = proto
        self.address = address
        self.port = port
        self.firewallMark = firewallMark
        self.scheduler = scheduler
        self.persistenceTimeout = persistenceTimeout
        self.persistenceNetmask = persistenceNetmask
        self.persistenceEngine = persistenceEngine
        self.onePacket = onePacket
        self.realServers = realServers
    }

    /// How operators and ipvsadm name it: `TCP 10.0.0.1:80`, `TCP [2001:db8::1]:443`, `FWM 7`.
    var name: String {
        if let firewallMark { return "FWM \(firewallMark)" }
        return "\(proto) \(Endpoint.text(address ?? "?", port, family))"
    }

    var isPersistent: Bool { persistenceTimeout != nil }
}

/// A real server behind a virtual service, with GET_DEST's connection counters.
struct RealServer: Equatable, Sendable {
    var family: VirtualService.Family
    var address: String
    var port: UInt16
    /// "masq", "local", "tunnel", "route" (direct routing) or "bypass".
    var forward: String
    var weight: UInt32
    var active: UInt32
    var inactive: UInt32
    var persistent: UInt32

    var endpoint: String { Endpoint.text(address, port, family) }
}

/// A sync daemon: a master sends connection state to backups, a backup receives it.
public struct SyncDaemon: Equatable, Sendable {
    enum Role: String, Sendable { case master, backup }

    var role: Role
    var interface: String
    var syncid: UInt32
    var maxlen: UInt16
    /// Multicast group and port, nil when the kernel did not say (224.0.0.81:8848).
    var group: String?
    var port: UInt16?
    var ttl: UInt8?

    init(role: Role, interface: String, syncid: UInt32, maxlen: UInt16 = 0, group: String? = nil,
                port: UInt16? = nil, ttl: UInt8? = nil) {
        self.role = role
        self.interface = interface
        self.syncid = syncid
        self.maxlen = maxlen
        self.group = group
        self.port = port
        self.ttl = ttl
    }
}

enum Endpoint {
    static func text(_ address: String, _ port: UInt16, _ family: VirtualService.Family) -> String {
        family == .inet6 ? "[\(address)]:\(port)" : "\(address):\(port)"
    }

    /// Numeric text of a 4- or 16-byte address in network order.
    static func address(_ bytes: UnsafeRawPointer, family: VirtualService.Family) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        guard inet_ntop(family == .inet6 ? AF_INET6 : AF_INET, bytes, &text, socklen_t(text.count)) != nil else {
            return "?"
        }
        let length = text.firstIndex(of: 0) ?? text.count
        return String(decoding: text[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
