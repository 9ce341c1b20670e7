/// The commands findings recommend, written so they can be pasted as they are.
enum DoctorFix {
    /// `ipvstune set --tcp 7275 --save` on the host; in a namespace `--netns PATH` and no `--save`,
    /// since the saved file is the host's unless another one is named.
    static func set(_ values: [(TimeoutName, UInt32)], in target: NamespaceTarget, _ context: DoctorContext) -> String {
        var words = ["ipvstune", "set"]
        if let path = target.path { words += ["--netns", path] }
        for (name, seconds) in values { words += ["--\(name.rawValue)", String(seconds)] }
        if target.path == nil || context.configArgument != nil { words.append("--save") }
        return command(words, context)
    }

    static func apply(in target: NamespaceTarget, _ context: DoctorContext, extra: [String] = []) -> String {
        var words = ["ipvstune", "apply"] + extra
        if let path = target.path { words += ["--netns", path] }
        return command(words, context)
    }

    static func save(_ context: DoctorContext) -> String { command(["ipvstune", "save"], context) }

    static func showConfig(_ context: DoctorContext) -> String { command(["ipvstune", "show-config"], context) }

    private static func command(_ words: [String], _ context: DoctorContext) -> String {
        var words = words
        if let config = context.configArgument { words += ["--config", config] }
        return words.map(shellQuoted).joined(separator: " ")
    }

    /// `ipvsadm -E` resets what it is not given (the scheduler to wlc, the netmask to /32, the
    /// one-packet flag, the persistence engine), so the command repeats all of them.
    static func ipvsadmPersistence(_ service: VirtualService, seconds: UInt32) -> String {
        var words = ["ipvsadm", "-E"] + ipvsadmService(service) + ["-s", service.scheduler, "-p", String(seconds)]
        if let netmask = persistenceNetmask(service) { words += ["-M", netmask] }
        if service.onePacket { words.append("-o") }
        if let engine = service.persistenceEngine { words += ["--pe", engine] }
        return words.map(shellQuoted).joined(separator: " ")
    }

    static func ipvsadmService(_ service: VirtualService) -> [String] {
        if let mark = service.firewallMark { return ["-f", String(mark)] }
        let flag = switch service.proto {
        case "UDP": "-u"
        case "SCTP": "--sctp-service"
        default: "-t"
        }
        return [flag, service.virtual.description]
    }

    /// The netmask when it is not the default (one address): dotted for IPv4, a prefix for IPv6.
    private static func persistenceNetmask(_ service: VirtualService) -> String? {
        let mask = service.persistenceNetmask
        switch service.family {
        case .inet6:
            return mask == 0 || mask == 128 ? nil : String(mask)
        case .inet:
            guard mask != 0 && mask != UInt32.max else { return nil }
            // Network byte order as it came from the kernel: the first byte in memory is the first octet.
            return withUnsafeBytes(of: mask) { $0.map(String.init).joined(separator: ".") }
        }
    }

    /// keepalived's way to say the same thing, for a service keepalived.conf defines.
    static func keepalivedPersistence(_ service: VirtualService, seconds: UInt32, path: String) -> String {
        "persistence_timeout \(seconds) in the virtual_server \(KeepalivedConfig.serviceName(service)) block of \(path), then reload keepalived"
    }

    static func shellQuoted(_ word: String) -> String {
        let safe = word.unicodeScalars.allSatisfy { scalar in
            (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || "-_./:=@%+,[]".unicodeScalars.contains(scalar)
        }
        if safe && !word.isEmpty { return word }
        var quoted = "'"
        for character in word { quoted += character == "'" ? "'\\''" : String(character) }
        return quoted + "'"
    }
}

/// Durations in messages: `900 s (15m)`, `45 s`.
enum DoctorText {
    static func seconds(_ value: UInt32) -> String {
        value < 60 ? "\(value) s" : "\(value) s (\(TimeoutDuration.format(UInt64(value))))"
    }

    static func values(_ timeouts: [(TimeoutName, UInt32)]) -> String {
        timeouts.map { "\($0.0.rawValue) \($0.1)" }.joined(separator: ", ")
    }

    static func plural(_ count: Int, _ word: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? word : plural ?? word + "s")"
    }

    /// "a, b and c".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
