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
    var timeouts: Timeouts
    var services: Int
    var daemons: [SyncDaemon]

    public static func read(_ ipvs: IPVSControl) throws(Failure) -> NamespaceState {
        NamespaceState(timeouts: try ipvs.timeouts(), services: try ipvs.services().count, daemons: try ipvs.syncDaemons())
    }
}

/// `get --all-netns`: a table with a row per namespace, a failure in its row; in JSON one
/// object per namespace, with the timeouts, services and daemons, or the error.
public struct NamespaceReport: Report {
    var states: [PerNamespace<NamespaceState>]

    public init(_ states: [PerNamespace<NamespaceState>]) { self.states = states }

    static let timeoutColumns = [TextColumn("TCP", .right, width: 8), TextColumn("TCPFIN", .right, width: 8),
                                 TextColumn("UDP", .right, width: 8)]
    static let services = TextColumn("SERVICES", .right, width: 10)

    public func print(to printer: inout Printer) {
        let width = Swift.max(12, states.map { $0.target.label.count + 2 }.max() ?? 0)
        let namespace = TextColumn("NAMESPACE", .left, width: width)
        printer.text(TextColumn.headings([namespace] + Self.timeoutColumns + [Self.services]))
        printer.array("namespaces") { printer in
            for item in states {
                item.print(to: &printer, label: namespace.cell(item.target.label), error: { "error: \($0.message)\n" }) { printer, state in
                    for (name, column) in zip(TimeoutName.allCases, Self.timeoutColumns) {
                        printer.field(name.rawValue, .number(state.timeouts[name]), text: column.cell(String(state.timeouts[name])))
                    }
                    printer.field("services", .number(state.services), text: Self.services.cell(String(state.services)))
                    printer.array("daemons") { printer in
                        for daemon in state.daemons {
                            printer.text("  sync ")
                            printer.object { printer in daemon.print(to: &printer, brief: true) }
                        }
                    }
                    printer.text("\n")
                }
            }
        }
    }
}

/// `apply` in several namespaces: each outcome's lines prefixed with its namespace. Failures
/// are JSON only: the caller reports them on stderr.
public struct NamespaceApplyReport: Report {
    var outcomes: [PerNamespace<ApplyOutcome>]
    var paths: ConfigPaths

    public init(_ outcomes: [PerNamespace<ApplyOutcome>], paths: ConfigPaths) {
        self.outcomes = outcomes
        self.paths = paths
    }

    public func print(to printer: inout Printer) {
        printer.array("namespaces") { printer in
            for item in outcomes {
                item.print(to: &printer) { printer, outcome in
                    printer.prefixingLines("\(item.target.label): ") { printer in ApplyReport(outcome, paths: paths).print(to: &printer) }
                }
            }
        }
    }
}

extension PerNamespace {
    /// `{"namespace":"host","path":null,` the value's fields `,"error":null}`, or the error
    /// instead of the value's fields.
    func print(to printer: inout Printer, label: String? = nil, error: (Failure) -> String? = { _ in nil },
               value print: (inout Printer, Value) -> Void) {
        printer.object { printer in
            printer.field("namespace", .string(target.label), text: label)
            printer.field("path", .string(target.path))
            switch result {
            case .success(let value):
                print(&printer, value)
                printer.field("error", .null)
            case .failure(let failure):
                printer.field("error", .string(failure.message), text: error(failure))
            }
        }
    }
}
