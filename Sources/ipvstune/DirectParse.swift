import ArgumentParser
import IPVSTune

/// `get`, `set` and `conns` read straight from the command line, without swift-argument-parser.
///
/// swift-argument-parser builds its parser by reflection: Mirror over every property wrapper,
/// type lookups by mangled name and protocol conformance scans. That is about 8 million
/// instructions at each start, most of a `get`'s cost on a small or emulated director and
/// the part that made `ipvstune get` slower than `ipvsadm -L --timeout` under qemu. These
/// three are what scripts and monitoring run over and over.
///
/// Only the plain forms are read here: the names of the command's own options, written as
/// `--name value` or `--name=value`, and their positional values. Anything else (help, a
/// short or unknown option, a repeated one, `--`, a value starting with '-') returns nil and
/// goes to the full parser, so help and usage errors are the same as ever. What this returns
/// is the value swift-argument-parser would have built from the same arguments, which
/// DirectParseTests checks on every form.
enum DirectParse {
    static func command(_ arguments: some Collection<String>) -> ParsableCommand? {
        guard let verb = arguments.first else { return nil }
        guard var tokens = Tokens(arguments.dropFirst()) else { return nil }
        switch verb {
        case "get": return get(&tokens)
        case "set": return set(&tokens)
        case "conns": return conns(&tokens)
        default: return nil
        }
    }

    private static func get(_ tokens: inout Tokens) -> Get? {
        let json = tokens.flag("json")
        let allNetns = tokens.flag("all-netns")
        let netns = tokens.value("netns")
        guard tokens.allRead, tokens.positionals.count <= 1 else { return nil }
        var name: TimeoutName?
        if let given = tokens.positionals.first {
            guard let known = TimeoutName(rawValue: given) else { return nil }
            name = known
        }
        return Get(name: name, json: json, netns: netns, allNetns: allNetns)
    }

    private static func set(_ tokens: inout Tokens) -> Set? {
        let tcp = tokens.value("tcp"), tcpfin = tokens.value("tcpfin"), udp = tokens.value("udp")
        let json = tokens.flag("json"), save = tokens.flag("save")
        let config = tokens.value("config"), netns = tokens.value("netns")
        guard tokens.allRead else { return nil }
        return Set(values: tokens.positionals, tcp: tcp, tcpfin: tcpfin, udp: udp, json: json, save: save,
                   config: config, netns: netns)
    }

    private static func conns(_ tokens: inout Tokens) -> Conns? {
        var conns = Conns(namespace: NamespaceOptions(netns: tokens.value("netns")))
        conns.state = tokens.values("state")
        conns.proto = tokens.values("proto")
        conns.client = tokens.values("client")
        conns.virtualService = tokens.values("virtual")
        conns.dest = tokens.values("dest")
        switch (tokens.flag("templates"), tokens.flag("no-templates")) {
        case (true, true): return nil  // the full parser decides which wins
        case (true, false): conns.templates = true
        case (false, true): conns.templates = false
        case (false, false): conns.templates = nil
        }
        conns.expiringWithin = tokens.value("expiring-within")
        conns.count = tokens.flag("count")
        conns.summary = tokens.flag("summary")
        conns.json = tokens.flag("json")
        conns.file = tokens.value("file")
        conns.sort = nil
        if let key = tokens.value("sort") {
            guard let known = ConnSortKey(rawValue: key) else { return nil }
            conns.sort = known
        }
        guard tokens.allRead, tokens.positionals.isEmpty else { return nil }
        return conns
    }

    /// The arguments after the verb: long options by name, and the positional values in order.
    struct Tokens {
        private(set) var positionals: [String] = []
        private var options: [(name: String, value: String?)] = []
        private var taken: [Bool] = []
        /// Set when an option is asked for in the wrong shape (a value on a flag, none on an option).
        private var misshapen = false

        /// Nil when any argument needs the full parser to read it.
        init?(_ arguments: some Sequence<String>) {
            var iterator = arguments.makeIterator()
            while let argument = iterator.next() {
                guard argument.hasPrefix("--") else {
                    guard Self.isPlainValue(argument) else { return nil }
                    positionals.append(argument)
                    continue
                }
                let body = argument.dropFirst(2)
                guard let first = body.first, first != "=", first != "-" else { return nil }
                if let equals = body.firstIndex(of: "=") {
                    let value = String(body[body.index(after: equals)...])
                    guard Self.isPlainValue(value) else { return nil }
                    options.append((String(body[..<equals]), value))
                } else if Self.takesValue(body) {
                    guard let value = iterator.next(), Self.isPlainValue(value) else { return nil }
                    options.append((String(body), value))
                } else {
                    options.append((String(body), nil))
                }
            }
            taken = Array(repeating: false, count: options.count)
        }

        /// Options whose value may follow as the next argument.
        private static func takesValue(_ name: Substring) -> Bool {
            ["tcp", "tcpfin", "udp", "netns", "config", "state", "proto", "client", "virtual", "dest",
             "expiring-within", "sort", "file"].contains(name)
        }

        /// Not empty and not option-like: the full parser has its own rules for those.
        private static func isPlainValue(_ value: String) -> Bool {
            guard let first = value.first else { return false }
            return first != "-"
        }

        /// True when `--name` was given once; a repeat or a value makes the whole line the full parser's.
        mutating func flag(_ name: String) -> Bool {
            let found = take(name)
            if found.count > 1 || found.contains(where: { $0 != nil }) { misshapen = true }
            return !found.isEmpty
        }

        /// The value of `--name`, given at most once.
        mutating func value(_ name: String) -> String? {
            let found = take(name)
            if found.count > 1 || found.contains(where: { $0 == nil }) { misshapen = true }
            return found.first ?? nil
        }

        /// Every value of `--name`, which may repeat, in order.
        mutating func values(_ name: String) -> [String] {
            let found = take(name)
            if found.contains(where: { $0 == nil }) { misshapen = true }
            return found.compactMap { $0 }
        }

        /// Every option was one the command asked for, in the shape it asked for.
        var allRead: Bool { !misshapen && !taken.contains(false) }

        private mutating func take(_ name: String) -> [String?] {
            var found: [String?] = []
            for index in options.indices where options[index].name == name {
                taken[index] = true
                found.append(options[index].value)
            }
            return found
        }
    }
}

extension Get {
    init(name: TimeoutName?, json: Bool, netns: String?, allNetns: Bool) {
        self.init()
        self.name = name
        self.json = json
        self.namespace = NamespaceOptions(netns: netns)
        self.allNamespaces = AllNamespacesOptions(visitEvery: allNetns)
    }
}

extension Set {
    init(values: [String], tcp: String?, tcpfin: String?, udp: String?, json: Bool, save: Bool,
         config: String?, netns: String?) {
        self.init()
        self.values = values
        self.tcp = tcp
        self.tcpfin = tcpfin
        self.udp = udp
        self.json = json
        self.save = save
        self.configOptions = ConfigOptions(config: config)
        self.namespace = NamespaceOptions(netns: netns)
    }
}

extension Conns {
    /// Every other property is set by DirectParse.conns: read before that, one would trap.
    fileprivate init(namespace: NamespaceOptions) {
        self.init()
        self.namespace = namespace
    }
}

extension NamespaceOptions {
    init(netns: String?) {
        self.init()
        self.netns = netns
    }
}

extension AllNamespacesOptions {
    /// Not init(allNetns:): that is the memberwise one, which leaves the flag unparsed.
    init(visitEvery allNetns: Bool) {
        self.init()
        self.allNetns = allNetns
    }
}

extension ConfigOptions {
    init(config: String?) {
        self.init()
        self.config = config
    }
}
