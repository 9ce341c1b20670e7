/// Follows the connection tables of one or more namespaces and turns what changed into events.
///
/// Each round reads every namespace's table once (in this one process, as --all-netns does
/// everywhere), feeding its rows to that namespace's `ExpiryTracker`. With --all-netns the
/// namespaces come from the mount table, read again only after the kernel said it changed
/// (`MountWatch`, as `apply --follow` follows them), so Docker's new ones join; one that goes
/// away is an event, and the others go on.
public final class Watcher {
    public enum Scope: Equatable, Sendable {
        case current
        case named(String)
        case all
    }

    /// Everything one namespace needs between rounds.
    struct Followed {
        var target: NamespaceTarget
        var tracker: ExpiryTracker<ConnKey>
        var timeouts: Timeouts
        /// Persistence timeouts by virtual service, read when a template is graced.
        var persistence: [VirtualAddress: UInt32] = [:]
    }

    let scope: Scope
    let requestedInterval: Double?
    private let visitor: NamespaceVisitor
    private var followed: [String: Followed] = [:]
    private var order: [String] = []
    /// The schedule after the last round, from its slowest read.
    private(set) var schedule: WatchSchedule
    private var slowestRead = 0.0
    private var lastStart = 0.0
    private var lastEnd = 0.0
    /// With --netns, the name events carry for the namespace entered.
    private var namedLabel: String?
    /// With --all-netns: the mount table's notifications, and the namespaces of its last read.
    private var mounts: MountWatch?
    private var namespaces = NamespaceFollower()
    private var mounted: [NamespaceTarget]?

    /// Opens IPVS in every namespace in scope: the ones named, or the host's for --all-netns,
    /// must answer, or this throws the failure as `get` would.
    public init(scope: Scope, interval: Double? = nil) throws(Failure) {
        self.scope = scope
        if case .named(let name) = scope { namedLabel = name }
        requestedInterval = interval
        visitor = try NamespaceVisitor()
        if scope == .all { mounts = try MountWatch() }
        schedule = WatchSchedule.plan(.kernelDefaults, readSeconds: 0, requested: interval)
        let first = targets().first!
        if case .named(let name) = scope {
            try NetworkNamespace(name).enter()  // a missing or wrong namespace fails here, once
        }
        let timeouts = try visitor.visit(first) { () throws(Failure) -> Timeouts in
            let timeouts = try NetlinkIPVS().timeouts()
            _ = try ConnSource.open(ConnSource.table)  // readable, or say why now
            return timeouts
        }.get()
        follow(first, timeouts)
        schedule = WatchSchedule.plan(timeouts, readSeconds: 0, requested: interval)
    }

    /// The namespaces of this round: the first is the one the watch started in (or named).
    private func targets() -> [NamespaceTarget] {
        switch scope {
        case .current, .named: [NamespaceTarget(path: nil)]
        case .all: mountedNamespaces()
        }
    }

    /// The host's, then each namespace mounted in the folders: the table is read again only
    /// when it changed since the last read.
    private func mountedNamespaces() -> [NamespaceTarget] {
        if let mounts, mounted == nil || mounts.mountsChanged() {
            let hostInode = FileIdentity("/proc/self/ns/net")?.inode
            let present = namespaces.update(mounts.mountTable(), hostInode: hostInode).present
            mounted = [NamespaceTarget(path: nil)] + present.map { NamespaceTarget(path: $0.path) }
        }
        return mounted ?? [NamespaceTarget(path: nil)]
    }

    private func follow(_ target: NamespaceTarget, _ timeouts: Timeouts) {
        followed[label(target)] = Followed(target: target, tracker: ExpiryTracker(horizon: schedule.horizon), timeouts: timeouts)
        order.append(label(target))
    }

    private func label(_ target: NamespaceTarget) -> String {
        target.path == nil ? namedLabel ?? target.label : target.label
    }

    /// One round: reads every table once, from `clock()` seconds. Returns the events in order.
    public func round(clock: () -> Double) -> [WatchEvent] {
        var events: [WatchEvent] = []
        let present = targets()
        let labels = Set(present.map(label))
        for label in order where !labels.contains(label) {
            events.append(WatchEvent(kind: .netnsGone, netns: label))
            followed[label] = nil
        }
        order.removeAll { !labels.contains($0) }
        let start = clock()
        var slowest = 0.0
        for target in present {
            let began = clock()
            switch visitor.visit(target, { () throws(Failure) -> [WatchEvent] in try read(target, clock: clock) }) {
            case .success(let found): events += found
            case .failure(let failure):
                // Gone between the listing and the visit, or IPVS went away in it.
                if followed[label(target)] != nil || target.path == nil {
                    events.append(WatchEvent(kind: .netnsGone, netns: label(target), message: failure.message))
                }
                followed[label(target)] = nil
                order.removeAll { $0 == label(target) }
            }
            slowest = max(slowest, clock() - began)
        }
        lastStart = start
        lastEnd = clock()
        let timeouts = followed.values.map(\.timeouts)
        let tightest = Timeouts(tcp: timeouts.map(\.tcp).min() ?? 900, tcpfin: timeouts.map(\.tcpfin).min() ?? 120,
                                udp: timeouts.map(\.udp).min() ?? 300)
        slowestRead = slowest
        schedule = WatchSchedule.plan(tightest, readSeconds: slowest, requested: requestedInterval)
        for label in order { followed[label]?.tracker.horizon = schedule.horizon }
        return events
    }

    /// How the schedule stands, for --verbose: the gap, the horizon and the read it comes from.
    public var scheduleText: String {
        "reading every \(WatchSchedule.seconds(schedule.interval)) (the slowest read took \(Int(slowestRead * 1000)) ms); entries with \(schedule.horizon) s or less left are followed; \(followed.count) namespace\(followed.count == 1 ? "" : "s")"
    }

    /// Why this schedule may miss idle expiries, when it may.
    public var warning: String? { schedule.warning }

    /// When the next round should start, in the clock's seconds.
    public var nextRound: Double {
        let deadline = followed.values.compactMap(\.tracker.nextDeadline).min()
        return schedule.nextRead(lastStart: lastStart, lastEnd: lastEnd, deadline: deadline)
    }

    /// Inside the namespace: its timeouts, then its table, row by row.
    private func read(_ target: NamespaceTarget, clock: () -> Double) throws(Failure) -> [WatchEvent] {
        let ipvs = try NetlinkIPVS(loadModule: false)
        let timeouts = try ipvs.timeouts()
        let name = label(target)
        if followed[name] == nil { follow(target, timeouts) }
        var state = followed[name]!
        state.timeouts = timeouts
        let reader = try ConnSource.open(ConnSource.table)
        var events: [WatchEvent] = []
        state.tracker.begin(at: clock())
        try reader.forEachEntry({ entry in
            let kind = ExpiryTracker<ConnKey>.Kind.of(entry)
            let seen = state.tracker.see(ConnKey(entry), kind: kind, expires: entry.expiresIn ?? 0) {
                WatchEntry(entry, timeout: kind.timeout(timeouts))
            }
            if let seen { events.append(event(seen, target, ipvs, &state)) }
            return true
        }, onMalformed: { _ in })
        events += state.tracker.end(at: clock()).map { event($0, target, ipvs, &state) }
        followed[name] = state
        return events
    }

    private func event(_ outcome: ExpiryTracker<ConnKey>.Outcome, _ target: NamespaceTarget, _ ipvs: IPVSControl,
                       _ state: inout Followed) -> WatchEvent {
        switch outcome {
        case .idleExpiry(let entry):
            let keepalive = try? TCPKeepalive.read(procSys: "/proc/sys").get()
            return WatchEvent(kind: .idleExpiry, netns: label(target), entry: entry,
                              message: WatchEvent.advice(.idleExpiry, entry, keepalive: keepalive))
        case .templateGrace(var entry):
            if state.persistence[entry.virtual] == nil, let services = try? ipvs.services() {
                for service in services { state.persistence[service.virtual] = service.persistenceTimeout ?? 0 }
            }
            entry.timeout = state.persistence[entry.virtual] ?? entry.timeout
            return WatchEvent(kind: .templateGrace, netns: label(target), entry: entry,
                              message: WatchEvent.advice(.templateGrace, entry, keepalive: nil))
        }
    }
}

/// An entry's identity across reads: protocol and its three endpoints.
struct ConnKey: Hashable {
    var proto: ConnName
    var client: Endpoint
    var virtual: Endpoint
    var dest: Endpoint

    init(_ entry: ConnEntry) {
        proto = entry.protoName
        client = entry.client
        virtual = entry.virtual
        dest = entry.dest
    }
}

extension ExpiryTracker.Kind {
    static func of(_ entry: ConnEntry) -> Self {
        if entry.isTemplate { return .template }
        if entry.protoName == .tcp && entry.stateName == .established { return .idle(.tcp) }
        if entry.protoName == .udp && entry.stateName == .udp { return .idle(.udp) }
        return .other
    }

    /// The timeout that governs such an entry now; a template's comes from its service.
    func timeout(_ timeouts: Timeouts) -> UInt32 {
        if case .idle(let name) = self { return timeouts[name] }
        return 0
    }
}

extension WatchEntry {
    init(_ entry: ConnEntry, timeout: UInt32) {
        self.init(proto: entry.proto, state: entry.state, client: entry.client, virtual: entry.virtualAddress,
                  dest: entry.dest, timeout: timeout)
    }
}
