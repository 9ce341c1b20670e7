import Glibc

/// `explain` on the system: in a namespace, the timeouts and services from IPVS, the table read
/// once through the same reader as `conns`, and the story built from them.
public struct Explainer {
    var client: ExplainClient
    var openIPVS: () throws(Failure) -> IPVSControl = { () throws(Failure) -> IPVSControl in try NetlinkIPVS() }
    var table = ConnSource.table
    var procSys = "/proc/sys"
    var changeLog = TimeoutChangeLog.path
    var now: () -> Int64 = { Int64(Glibc.time(nil)) }
    var enter: (String) throws(Failure) -> Void = { (name: String) throws(Failure) in try NetworkNamespace(name).enter() }
    var makeVisitor: () throws(Failure) -> NamespaceVisiting = { () throws(Failure) -> NamespaceVisiting in try NamespaceVisitor() }
    var discover: () -> [NamespaceTarget] = { NamespaceDiscovery.all() }

    public init(client: ExplainClient) {
        self.client = client
    }

    /// The story in the namespace the calling thread is in, labelled as `target`; a line of the
    /// table that does not read goes to `warn` and makes the status 65.
    public func explain(_ target: NamespaceTarget, warn: (String) -> Void = { Output.error($0) }) throws(Failure) -> (ClientStory, ExitStatus) {
        let ipvs = try openIPVS()
        let timeouts = try ipvs.timeouts()
        let services = try ipvs.services()
        let matcher = ClientMatcher(client, services: services)
        var entries: [ConnEntry] = []
        var malformed = 0
        try ConnSource.open(table).forEachEntry({ entry in
            if matcher.covers(entry) { entries.append(entry) }
            return true
        }, onMalformed: { error in
            malformed += 1
            if malformed <= ConnQuery.warningLimit { warn("\(target.label): \(table): \(error)") }
        })
        let changes = TimeoutChangeLog.read(changeLog).changes(in: TimeoutChangeLog.currentNamespace())
        let keepalive = try? TCPKeepalive.read(procSys: procSys).get()
        let story = ClientStory.build(client: client, target: target, entries: entries, services: services,
                                      timeouts: timeouts, now: now(), changes: changes, keepalive: keepalive)
        return (story, malformed > 0 ? .dataError : .success)
    }
}

extension Explainer {
    public struct Result: Equatable {
        /// For standard output.
        public var output = ""
        /// For standard error, a line each.
        public var errors: [String] = []
        public var status = ExitStatus.success
    }

    /// The namespace the command started in, the one named, or (`allNetns`) every namespace
    /// where the client has entries; one that cannot be read is an error line, and the others
    /// are still shown.
    public func run(netns: String?, allNetns: Bool, _ format: OutputFormat) -> Result {
        var result = Result()
        let warn = { (line: String) in result.errors.append(line) }
        do {
            guard allNetns else {
                if let netns { try enter(netns) }
                let (story, status) = try explain(NamespaceTarget(path: netns), warn: warn)
                result.output = story.rendered(format)
                result.status = status
                return result
            }
            let visitor = try makeVisitor()
            var stories: [ClientStory] = []
            for target in discover() {
                switch visitor.visit(target, { () throws(Failure) in try explain(target, warn: warn) }) {
                case .success(let (story, status)):
                    if !story.isEmpty { stories.append(story) }
                    if result.status == .success { result.status = status }
                case .failure(let failure):
                    result.errors.append("\(target.label): \(failure.message)")
                    if result.status == .success { result.status = failure.status }
                }
            }
            result.output = stories.map { $0.rendered(format) }.joined(separator: format == .text ? "\n" : "")
            if stories.isEmpty && format == .text { result.output = "no IPVS entries for \(client) in any namespace\n" }
        } catch {
            result.errors.append(error.message)
            result.status = error.status
        }
        return result
    }
}
