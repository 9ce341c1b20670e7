/// `apply --all-netns` in rounds, until the namespaces stop changing.
///
/// systemd's path unit stops watching /run/docker/netns while ipvstune-netns.service runs, and
/// for `PathChanged=` does not look again when it watches again: a namespace made during a run
/// would wait for the next change in the folder. So a run goes on in rounds. A round looks at
/// the folders (`scan`) and applies the config in every namespace found; apply sets only what
/// differs, so a second visit is cheap and changes nothing. The run ends after a round that
/// changed nothing while no file in the folders was waiting for its namespace to be mounted on
/// it (Docker and `ip netns add` create the file a moment before they mount it; mounting makes
/// no inotify event, so nothing would start another run).
///
/// Such files are polled every `pollMilliseconds`; the next round comes as soon as one of them
/// is mounted, gone or opened again. Each file is waited for at most `pollsPerFile` polls from
/// when the run first saw it, then given up on; a file opened again (a new ctime: Docker
/// truncates a left-over file before it mounts a new namespace on it) is waited for afresh. A
/// run has at most `maxRounds` rounds.
///
/// Namespaces are told apart by path, never by inode: the kernel gives a freed namespace's
/// inode number to the next new one at once. The report keeps one outcome per path: the first
/// round's, replaced by a later round's when that one changed something (a namespace made again
/// at the same path) or the kept one had failed.
public struct ApplyRounds {
    /// What a run did: one outcome per namespace path, in the order they were first found.
    public struct Outcome {
        public var outcomes: [PerNamespace<ApplyOutcome>]
        var rounds: Int
        /// The last round changed nothing and left no file waiting: false when `maxRounds` ended it.
        var settled: Bool
    }

    var scan: () -> DiscoveredNamespaces
    var stillPending: (PendingFile) -> Bool
    var apply: (NamespaceTarget) -> Result<ApplyOutcome, Failure>
    var sleep: (Int) -> Void
    var maxRounds = 20
    var pollMilliseconds = 100
    var pollsPerFile = 30

    /// `apply` runs the config in one namespace; the folders are those of `NamespaceDiscovery`.
    public init(patterns: [String], apply: @escaping (NamespaceTarget) -> Result<ApplyOutcome, Failure>) {
        self.init(scan: { NamespaceDiscovery.scan(patterns: patterns) }, stillPending: \.isStillPending,
                  apply: apply, sleep: Clock.sleep(milliseconds:))
    }

    init(scan: @escaping () -> DiscoveredNamespaces, stillPending: @escaping (PendingFile) -> Bool,
         apply: @escaping (NamespaceTarget) -> Result<ApplyOutcome, Failure>, sleep: @escaping (Int) -> Void) {
        self.scan = scan
        self.stillPending = stillPending
        self.apply = apply
        self.sleep = sleep
    }

    public func run() -> Outcome {
        var outcomes: [PerNamespace<ApplyOutcome>] = []
        var index: [NamespaceTarget: Int] = [:]
        // The poll count at which each pending file was first seen: polls are the run's clock.
        var firstSeen: [PendingFile: Int] = [:]
        var polls = 0
        var rounds = 0
        while true {
            rounds += 1
            let found = scan()
            var changed = false
            for target in found.targets {
                let result = apply(target)
                let changedHere = (try? result.get())?.changedSomething ?? false
                changed = changed || changedHere
                if let kept = index[target] {
                    let keptFailed = (try? outcomes[kept].result.get()) == nil
                    if changedHere || keptFailed { outcomes[kept].result = result }
                } else {
                    index[target] = outcomes.count
                    outcomes.append(PerNamespace(target: target, result: result))
                }
            }
            for file in found.pending where firstSeen[file] == nil { firstSeen[file] = polls }
            let waiting = found.pending.filter { polls - firstSeen[$0, default: polls] < pollsPerFile }
            if !changed && waiting.isEmpty { return Outcome(outcomes: outcomes, rounds: rounds, settled: true) }
            if rounds >= maxRounds { return Outcome(outcomes: outcomes, rounds: rounds, settled: false) }
            polls = waitForAny(waiting, firstSeen: firstSeen, polls: polls)
        }
    }

    /// Polls until one of `files` is mounted, gone or changed, or until each has had its
    /// polls; returns the poll count then.
    private func waitForAny(_ files: [PendingFile], firstSeen: [PendingFile: Int], polls start: Int) -> Int {
        var polls = start
        while files.contains(where: { polls - firstSeen[$0, default: polls] < pollsPerFile }) {
            sleep(pollMilliseconds)
            polls += 1
            if files.contains(where: { !stillPending($0) }) { break }
        }
        return polls
    }
}
