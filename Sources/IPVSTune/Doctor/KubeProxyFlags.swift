/// The IPVS settings on a kube-proxy command line, or in the file its --config names, which
/// then decides alone. kube-proxy sets the timeouts once, when it starts in IPVS mode, and only
/// those above 0 (its default, 0s, leaves a timeout alone).
struct KubeProxyFlags: Equatable, Sendable {
    var timeouts = TimeoutUpdate()
    /// Each timeout's flag as written, for messages: `--ipvs-tcp-timeout=15m0s`.
    var written: [TimeoutName: String] = [:]
    /// `--proxy-mode` (or the file's `mode`); nil or empty when not given: iptables, the default.
    var proxyMode: String?
    /// `--config`: a KubeProxyConfiguration file.
    var configFile: String?
    /// True once the settings above are the --config file's (`applying(_:)`).
    var fromFile = false
    var problems: [String] = []

    init() {}

    /// The mode kube-proxy runs in: the one given, else iptables, the default on Linux.
    var mode: String { proxyMode.flatMap { $0.isEmpty ? nil : $0 } ?? "iptables" }

    /// kube-proxy as its own program, or as `hyperkube kube-proxy ...` / `hyperkube proxy ...`
    /// (whose process name is hyperkube): the first word after the program names the command.
    /// A script run by an interpreter has its own path second: that is skipped too.
    static func isKubeProxy(_ process: RunningProcess) -> Bool {
        if process.name == "kube-proxy" { return true }
        guard process.name == "hyperkube" else { return false }
        let command = process.arguments.dropFirst().first { !$0.hasPrefix("-") && !$0.hasSuffix("hyperkube") }
        return command == "kube-proxy" || command == "proxy"
    }

    /// The settings kube-proxy uses when --config names `file`: the file's, with the flags it
    /// ignores named.
    func applying(_ file: KubeProxyConfigFile) -> KubeProxyFlags {
        var settings = KubeProxyFlags()
        settings.configFile = configFile
        settings.fromFile = true
        settings.proxyMode = file.mode
        settings.timeouts = file.timeouts
        let path = configFile ?? "the --config file"
        for (name, text) in file.written { settings.written[name] = "\(path):\(file.lines[name] ?? 0) \(text)" }
        settings.problems = problems + file.problems.map { "\(path): \($0)" }
        let ignored = TimeoutName.allCases.compactMap { written[$0] } + (proxyMode.map { ["--proxy-mode=\($0)"] } ?? [])
        if !ignored.isEmpty {
            settings.problems.append("\(DoctorText.list(ignored)) \(ignored.count == 1 ? "is" : "are") ignored: with --config, kube-proxy takes its mode and IPVS timeouts from \(path) only")
        }
        return settings
    }

    static let flagNames: [(String, TimeoutName)] = [
        ("--ipvs-tcp-timeout", .tcp), ("--ipvs-tcpfin-timeout", .tcpfin), ("--ipvs-udp-timeout", .udp),
    ]

    /// Sets no timeout: another mode, or no timeout above 0.
    var setsNothing: Bool { timeouts.isEmpty || mode != "ipvs" }

    /// Flags as pflag reads them: `--name=value` or `--name value`. argv[0] is skipped, and so is
    /// any word that is not a flag we know (a script's path when kube-proxy is a wrapper).
    static func parse(_ arguments: [String]) -> KubeProxyFlags {
        var flags = KubeProxyFlags()
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else { continue }
            let name: String
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            } else {
                name = argument
            }
            let timeout = flagNames.first { $0.0 == name }?.1
            guard timeout != nil || name == "--proxy-mode" || name == "--config" else { continue }
            if value == nil, index < arguments.count {
                value = arguments[index]
                index += 1
            }
            guard let value else {
                flags.problems.append("\(name) has no value")
                continue
            }
            switch name {
            case "--proxy-mode": flags.proxyMode = value
            case "--config": flags.configFile = value
            default: flags.timeout(timeout!, flag: name, value: value)
            }
        }
        return flags
    }

    private mutating func timeout(_ name: TimeoutName, flag: String, value: String) {
        // kube-proxy converts with int(d.Seconds()): whole seconds, fractions dropped.
        guard let seconds = GoDuration.seconds(value), seconds >= 0, seconds < Double(UInt32.max) else {
            problems.append("\(flag)=\(value) is not a Go duration such as 900s, 15m0s or 2h0m0s")
            return
        }
        written[name] = "\(flag)=\(value)"
        let whole = UInt32(seconds.rounded(.towardZero))
        timeouts[name] = whole > 0 ? whole : nil
    }
}

/// Go's time.ParseDuration: `900s`, `15m0s`, `2h0m0s`, `1.5h`, `300ms`, `0`.
enum GoDuration {
    private static let units: [(String, Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("μs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600),
    ]

    /// Seconds, or nil when `text` is not a Go duration.
    static func seconds(_ text: String) -> Double? {
        var rest = Substring(text)
        var sign = 1.0
        if let first = rest.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
                  let value = Double(number.hasPrefix(".") ? "0" + number : String(number)) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = units.first(where: { $0.0 == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        return sign * total
    }
}
