@testable import IPVSTune
import IPVSTuneTestSupport

/// Random report inputs, drawn from the tests' one seeded generator.
extension SeededRandom {
    mutating func flip() -> Bool { next() & 1 == 1 }

    mutating func list<T>(max: Int, _ make: (inout SeededRandom) -> T) -> [T] {
        (0..<below(max + 1)).map { _ in make(&self) }
    }

    /// Plain names mostly; sometimes quotes, backslashes, control characters, non-ASCII, long.
    mutating func text() -> String {
        let plain = ["eth0", "host", "/run/netns/blue", "rr", "wlc", "masq", "route", "a", "", "sip",
                     "/var/run/docker/netns/ingress_sbox", "/etc/ipvstune.d/50-fin.conf"]
        let odd = ["a \"quoted\" b", "back\\slash", "new\nline", "tab\there", "\u{1}\u{1f}", "é€😀", "cr\r",
                   "two\n\nlines", "\n", "trailing\n", String(repeating: "x", count: 40)]
        if below(4) > 0 { return pick(plain) }
        return (0..<(1 + below(3))).map { _ in pick(plain + odd) }.joined()
    }

    mutating func seconds() -> UInt32 {
        switch below(5) {
        case 0: UInt32(below(60))
        case 1: pick([900, 120, 300, 7200, 86400, 1, 0])
        case 2: UInt32.max - UInt32(below(3))
        default: UInt32(below(3_000_000))
        }
    }

    mutating func timeouts() -> Timeouts { Timeouts(tcp: seconds(), tcpfin: seconds(), udp: seconds()) }

    mutating func changed(_ timeouts: Timeouts) -> Timeouts {
        var result = timeouts
        for name in TimeoutName.allCases where flip() { result[name] = seconds() }
        return result
    }

    mutating func daemon() -> SyncDaemon {
        SyncDaemon(role: flip() ? .master : .backup, interface: text(), syncid: UInt32(below(300)),
                   maxlen: UInt16(below(9000)), group: flip() ? IPAddress(parsing: pick(["224.0.0.81", "ff02::81", "239.1.2.3"])) : nil,
                   port: flip() ? UInt16(below(65536)) : nil, ttl: flip() ? UInt8(below(256)) : nil)
    }

    mutating func paths() -> ConfigPaths {
        flip() ? .system : ConfigPaths(main: text(), dropInDirectory: text())
    }

    mutating func applyOutcome() -> ApplyOutcome {
        let before = timeouts()
        let kind = pick([ApplyOutcome.Kind.noConfig, .nothingConfigured, .applied, .checked])
        return ApplyOutcome(kind: kind, before: before, after: flip() ? before : changed(before),
                            files: list(max: 3) { $0.text() })
    }

    mutating func target() -> NamespaceTarget { NamespaceTarget(path: flip() ? nil : text()) }

    mutating func result<T>(_ make: (inout SeededRandom) -> T) -> Result<T, Failure> {
        below(4) == 0 ? .failure(Failure(text(), status: .osError)) : .success(make(&self))
    }

    mutating func service() -> VirtualService {
        let family: VirtualService.Family = flip() ? .inet : .inet6
        let address = IPAddress(parsing: family == .inet ? pick(["10.0.0.1", "192.168.100.200"]) : pick(["2001:db8::1", "fe80::1:2:3:4"]))
        let mark: UInt32? = below(4) == 0 ? UInt32(below(1000)) : nil
        return VirtualService(
            family: family, proto: mark == nil ? pick(["TCP", "UDP", "SCTP"]) : "FWM", address: mark == nil ? address : nil,
            port: UInt16(below(65536)), firewallMark: mark, scheduler: flip() ? pick(["rr", "wlc", "mh"]) : text(),
            persistenceTimeout: flip() ? seconds() : nil, persistenceNetmask: UInt32(below(3)),
            persistenceEngine: below(4) == 0 ? pick(["sip", text()]) : nil, onePacket: flip(),
            realServers: list(max: 3) { r in
                RealServer(family: family, address: IPAddress(parsing: family == .inet ? "10.1.0.\(r.below(256))" : "2001:db8::\(r.below(999))")!,
                           port: UInt16(r.below(65536)), forward: r.pick(["masq", "route", "tunnel", "local", "bypass"]),
                           weight: r.flip() ? UInt32(r.below(10)) : UInt32.max, active: UInt32(r.below(100_000)),
                           inactive: UInt32(r.below(10_000_000)), persistent: r.seconds())
            })
    }

    mutating func finding() -> DoctorFinding {
        DoctorFinding(pick(DoctorSeverity.allCases), pick(DoctorCheck.allCases), text(),
                      fixes: below(3) == 0 ? [] : list(max: 3) { $0.text() },
                      namespace: flip() ? nil : pick(["host", "/run/netns/blue", "", text()]))
    }

    mutating func config() -> EffectiveConfig {
        var config = EffectiveConfig(files: list(max: 3) { $0.text() })
        for name in TimeoutName.allCases where flip() {
            config.timeouts[name] = ConfigSetting(seconds(), at: ConfigLocation(path: text(), line: below(1000)))
        }
        config.netns = list(max: 3) { r in ConfigSetting(r.text(), at: ConfigLocation(path: r.text(), line: r.below(99))) }
        return config
    }
}
