import CIPVS

import Glibc

extension NetlinkIPVS {
    public func services() throws(Failure) -> [VirtualService] {
        var items: UnsafeMutablePointer<cipvs_service>?
        var count = 0
        let result = cipvs_get_services(session, &items, &count)
        guard result == 0 else { throw Failure.ipvs("cannot list IPVS services", errno: -result) }
        defer { free(items) }
        var services: [VirtualService] = []
        for index in 0..<count {
            guard let raw = items?[index] else { continue }
            var service = VirtualService(raw)
            service.realServers = try realServers(of: raw)
            services.append(service)
        }
        return services
    }

    private func realServers(of service: cipvs_service) throws(Failure) -> [RealServer] {
        var service = service
        var items: UnsafeMutablePointer<cipvs_dest>?
        var count = 0
        let result = cipvs_get_dests(session, &service, &items, &count)
        // A service removed between the two dumps has no real servers any more.
        if result == -ESRCH || result == -ENOENT { return [] }
        guard result == 0 else { throw Failure.ipvs("cannot list IPVS real servers", errno: -result) }
        defer { free(items) }
        return (0..<count).compactMap { index in items.map { RealServer($0[index]) } }
    }

    public func syncDaemons() throws(Failure) -> [SyncDaemon] {
        var items: UnsafeMutablePointer<cipvs_daemon>?
        var count = 0
        let result = cipvs_get_daemons(session, &items, &count)
        guard result == 0 else { throw Failure.ipvs("cannot list IPVS sync daemons", errno: -result) }
        defer { free(items) }
        return (0..<count).compactMap { index in items.flatMap { SyncDaemon($0[index]) } }
    }
}

extension VirtualService {
    init(_ raw: cipvs_service) {
        var raw = raw
        let family: Family = Int32(raw.af) == AF_INET6 ? .inet6 : .inet
        let isMark = raw.fwmark != 0
        let address = isMark ? nil : withUnsafeBytes(of: &raw.addr) { IPAddress(networkOrder: $0, isIPv6: family == .inet6) }
        let persistent = raw.flags & 0x0001 != 0  // IP_VS_SVC_F_PERSISTENT
        self.init(family: family, proto: isMark ? "FWM" : VirtualService.protocolName(raw.protocol),
                  address: address, port: raw.port, firewallMark: isMark ? raw.fwmark : nil,
                  scheduler: CString.text(&raw.scheduler), persistenceTimeout: persistent ? raw.timeout : nil,
                  persistenceNetmask: raw.netmask,
                  persistenceEngine: CString.text(&raw.pe_name).nilIfEmpty,
                  onePacket: raw.flags & 0x0004 != 0)  // IP_VS_SVC_F_ONEPACKET
    }

    static func protocolName(_ number: UInt16) -> String {
        switch number {
        case 6: "TCP"
        case 17: "UDP"
        case 132: "SCTP"
        default: "IP_\(number)"
        }
    }
}

extension RealServer {
    init(_ raw: cipvs_dest) {
        var raw = raw
        let family: VirtualService.Family = Int32(raw.af) == AF_INET6 ? .inet6 : .inet
        let address = withUnsafeBytes(of: &raw.addr) { IPAddress(networkOrder: $0, isIPv6: family == .inet6) }
        self.init(family: family, address: address, port: raw.port, forward: RealServer.forwardName(raw.forward),
                  weight: raw.weight, active: raw.active, inactive: raw.inactive, persistent: raw.persistent)
    }

    /// IP_VS_CONN_F_MASQ 0, _LOCALNODE 1, _TUNNEL 2, _DROUTE 3, _BYPASS 4.
    static func forwardName(_ method: UInt32) -> String {
        switch method {
        case 0: "masq"
        case 1: "local"
        case 2: "tunnel"
        case 3: "route"
        case 4: "bypass"
        default: "method-\(method)"
        }
    }
}

extension SyncDaemon {
    init?(_ raw: cipvs_daemon) {
        var raw = raw
        let role: Role
        switch raw.state {
        case 1: role = .master  // IP_VS_STATE_MASTER
        case 2: role = .backup  // IP_VS_STATE_BACKUP
        default: return nil
        }
        let group: IPAddress? = switch Int32(raw.group_af) {
        case AF_INET, AF_INET6: withUnsafeBytes(of: &raw.group) { IPAddress(networkOrder: $0, isIPv6: Int32(raw.group_af) == AF_INET6) }
        default: nil
        }
        self.init(role: role, interface: CString.text(&raw.ifname), syncid: raw.syncid, maxlen: raw.maxlen,
                  group: group, port: raw.port == 0 ? nil : raw.port, ttl: raw.ttl == 0 ? nil : raw.ttl)
    }
}

/// Fixed-size C character arrays, which Swift imports as tuples.
enum CString {
    static func text<T>(_ tuple: inout T) -> String {
        withUnsafeBytes(of: &tuple) { bytes in
            let end = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes[..<end], as: UTF8.self)
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
