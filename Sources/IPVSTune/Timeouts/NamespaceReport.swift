/// The result of one command in each of several namespaces, in visiting order.
public struct PerNamespace<Value> {
    public var target: NamespaceTarget
    public var result: Result<Value, Failure>

    public init(target: NamespaceTarget, result: Result<Value, Failure>) {
        self.target = target
        self.result = result
    }
}

extension Array {
    /// The exit status of a visit: the first failure's, or success.
    public func worstStatus<Value>() -> ExitStatus where Element == PerNamespace<Value> {
        for item in self { if case .failure(let failure) = item.result { return failure.status } }
        return .success
    }
}

/// One namespace's IPVS state as `get --all-netns` shows it.
public struct NamespaceState: Equatable, Sendable {
    public var timeouts: Timeouts
    public var services: Int
    public var daemons: [SyncDaemon]

    public init(timeouts: Timeouts, services: Int, daemons: [SyncDaemon]) {
        self.timeouts = timeouts
        self.services = services
        self.daemons = daemons
    }

    public static func read(_ ipvs: IPVSControl) throws(Failure) -> NamespaceState {
        NamespaceState(timeouts: try ipvs.timeouts(), services: try ipvs.services().count, daemons: try ipvs.syncDaemons())
    }
}

public enum NamespaceReport {
    public static func text(_ states: [PerNamespace<NamespaceState>]) -> String {
        let width = Swift.max(12, states.map { $0.target.label.count + 2 }.max() ?? 0)
        var out = "NAMESPACE".padded(to: width) + "TCP".leftPadded(to: 8) + "TCPFIN".leftPadded(to: 8)
            + "UDP".leftPadded(to: 8) + "SERVICES".leftPadded(to: 10) + "\n"
        for item in states {
            out += item.target.label.padded(to: width)
            switch item.result {
            case .success(let state):
                out += String(state.timeouts.tcp).leftPadded(to: 8) + String(state.timeouts.tcpfin).leftPadded(to: 8)
                    + String(state.timeouts.udp).leftPadded(to: 8) + String(state.services).leftPadded(to: 10)
                out += state.daemons.map { "  sync \($0.role.rawValue) on \($0.interface)" }.joined() + "\n"
            case .failure(let failure):
                out += "error: \(failure.message)\n"
            }
        }
        return out
    }

    public static func json(_ states: [PerNamespace<NamespaceState>]) -> String {
        JSON.object([("namespaces", .array(states.map { item in
            var members: [(String, JSON)] = [("namespace", .string(item.target.label)),
                                              ("path", item.target.path.map { .string($0) } ?? .null)]
            switch item.result {
            case .success(let state):
                if case .object(let timeouts) = state.timeouts.json { members += timeouts }
                members += [("services", .uint(UInt64(state.services))),
                            ("daemons", .array(state.daemons.map(\.json))), ("error", .null)]
            case .failure(let failure):
                members.append(("error", .string(failure.message)))
            }
            return .object(members)
        }))]).rendered + "\n"
    }

    /// `apply` in several namespaces: each outcome's lines prefixed with its namespace.
    /// Failures are left out: the caller reports them on stderr.
    public static func applyText(_ outcomes: [PerNamespace<ApplyOutcome>], paths: ConfigPaths) -> String {
        outcomes.map { item in
            guard case .success(let outcome) = item.result else { return "" }
            return outcome.text(paths: paths).split(separator: "\n").map { "\(item.target.label): \($0)\n" }.joined()
        }.joined()
    }

    public static func applyJSON(_ outcomes: [PerNamespace<ApplyOutcome>]) -> String {
        JSON.object([("namespaces", .array(outcomes.map { item in
            var members: [(String, JSON)] = [("namespace", .string(item.target.label)),
                                              ("path", item.target.path.map { .string($0) } ?? .null)]
            switch item.result {
            case .success(let outcome):
                if case .object(let fields) = outcome.jsonValue { members += fields }
                members.append(("error", .null))
            case .failure(let failure):
                members.append(("error", .string(failure.message)))
            }
            return .object(members)
        }))]).rendered + "\n"
    }
}
