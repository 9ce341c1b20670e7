/// What `services` prints: each virtual service and its real servers with their counters.
public enum ServiceReport {
    public static func text(_ services: [VirtualService]) -> String {
        guard !services.isEmpty else { return "no virtual services\n" }
        var out = "SERVICE".padded(to: 34) + "SCHEDULER".padded(to: 11) + "PERSISTENCE\n"
        out += "  -> REAL SERVER".padded(to: 34) + "FORWARD".padded(to: 9)
            + "WEIGHT".leftPadded(to: 7) + "ACTIVE".leftPadded(to: 9) + "INACTIVE".leftPadded(to: 10)
            + "PERSISTENT".leftPadded(to: 12) + "\n"
        for service in services {
            var persistence = service.persistenceTimeout.map { "\($0) s" } ?? "-"
            if let engine = service.persistenceEngine { persistence += " pe \(engine)" }
            if service.onePacket { persistence += " ops" }
            out += service.name.padded(to: 34) + service.scheduler.padded(to: 11) + persistence + "\n"
            for server in service.realServers {
                out += ("  -> " + server.endpoint).padded(to: 34) + server.forward.padded(to: 9)
                    + String(server.weight).leftPadded(to: 7) + String(server.active).leftPadded(to: 9)
                    + String(server.inactive).leftPadded(to: 10) + String(server.persistent).leftPadded(to: 12) + "\n"
            }
        }
        return out
    }

    public static func json(_ services: [VirtualService]) -> String {
        JSON.object([("services", .array(services.map(\.json)))]).rendered + "\n"
    }
}

extension VirtualService {
    public var json: JSON {
        .object([
            ("name", .string(name)),
            ("family", .string(family.rawValue)),
            ("proto", firewallMark == nil ? .string(proto) : .null),
            ("address", address.map { .string($0) } ?? .null),
            ("port", firewallMark == nil ? .uint(UInt64(port)) : .null),
            ("fwmark", firewallMark.map { .uint(UInt64($0)) } ?? .null),
            ("scheduler", .string(scheduler)),
            ("persistent", .bool(isPersistent)),
            ("persistence_timeout", persistenceTimeout.map { .uint(UInt64($0)) } ?? .null),
            ("persistence_engine", persistenceEngine.map { .string($0) } ?? .null),
            ("one_packet", .bool(onePacket)),
            ("real_servers", .array(realServers.map(\.json))),
        ])
    }
}

extension RealServer {
    public var json: JSON {
        .object([
            ("address", .string(address)),
            ("port", .uint(UInt64(port))),
            ("forward", .string(forward)),
            ("weight", .uint(UInt64(weight))),
            ("active", .uint(UInt64(active))),
            ("inactive", .uint(UInt64(inactive))),
            ("persistent", .uint(UInt64(persistent))),
        ])
    }
}

extension SyncDaemon {
    /// `master on eth0, syncid 1` as `get` shows it.
    public var text: String {
        var out = "\(role.rawValue) on \(interface), syncid \(syncid)"
        if let group { out += ", group \(group)" }
        if let port { out += ":\(port)" }
        return out
    }

    public var json: JSON {
        .object([
            ("role", .string(role.rawValue)),
            ("interface", .string(interface)),
            ("syncid", .uint(UInt64(syncid))),
            ("maxlen", .uint(UInt64(maxlen))),
            ("group", group.map { .string($0) } ?? .null),
            ("port", port.map { .uint(UInt64($0)) } ?? .null),
            ("ttl", ttl.map { .uint(UInt64($0)) } ?? .null),
        ])
    }
}
