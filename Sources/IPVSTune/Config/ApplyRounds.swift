/// `apply --all-netns` in rounds, until the namespaces stop changing.
///
/// systemd's path unit stops watching /run/docker/netns while ipvstune-netns.service runs, and
/// for `PathChanged=` does not look again when it watches again: a namespace made during a run
/// would wait for the next change in the folder. So a run goes on in rounds. A round looks at
/// the folders (`scan`) and applies the config in every namespace found; apply sets only what
/// differs, so a second visit is cheap and changes nothing. The run ends after a round that
/// changed nothing while no file in the folders was waiting for its namespace to be mounted on
/// it (Docker and `ip netns add` create the file a moment before they mount it). Such files
/// are polled every `pollMilliseconds`, at most `maxPolls` times in the whole run; after that
/// they are given up on. A run has at most `maxRounds` rounds.
///
/// Namespaces are told apart by path, never by inode: the kernel gives a freed namespace's
/// inode number to the next new one at once. The report keeps one outcome per path: the first
/// round's, replaced by a later round's when that one changed something (a namespace made again
/// at the same path) or the kept one had failed.
public struct ApplyRounds {
    /// What a run did: one outcome per namespace path, in the order they were first found.
    public struct Outcome {
        public var outcomes: [PerNamespace<ApplyOutcome>]
        public var rounds: Int
        /// The last round changed nothing and left no file waiting: false when `maxRounds` ended it.
        public var settled: Bool
    }

    var scan: () -> DiscoveredNamespaces
    var awaitingMount: (String) -> Bool
    var apply: (NamespaceTarget) -> Result<ApplyOutcome, Failure>
    var sleep: (Int) -> Void
    var maxRounds = 10
    var pollMilliseconds = 100
    var maxPolls = 30

    /// `apply` runs the config in one namespace; the folders are those of `NamespaceDiscovery`.
    public init(patterns: [String], apply: @escaping (NamespaceTarget) -> Result<ApplyOutcome, Failure>) {
        self.init(scan: { NamespaceDiscovery.scan(patterns: patterns) }, awaitingMount: NamespaceDiscovery.isAwaitingMount,
                  apply: apply, sleep: Clock.sleep(milliseconds:))
    }

    init(scan: @escaping () -> DiscoveredNamespaces, awaitingMount: @escaping (String) -> Bool,
         apply: @escaping (NamespaceTarget) -> Result<ApplyOutcome, Failure>, sleep: @escaping (Int) -> Void) {
        self.scan = scan
        self.awaitingMount = awaitingMount
        self.apply = apply
        self.sleep = sleep
    }

    public func run() -> Outcome {
        var outcomes: [PerNamespace<ApplyOutcome>] = []
        var index: [NamespaceTarget: Int] = [:]
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
            // Once the polls are spent, files still not mounted are given up on.
            let waiting = polls < maxPolls ? found.pending : []
            if !changed && waiting.isEmpty { return Outcome(outcomes: outcomes, rounds: rounds, settled: true) }
            if rounds >= maxRounds { return Outcome(outcomes: outcomes, rounds: rounds, settled: false) }
            polls += waitForMounts(waiting, pollsLeft: maxPolls - polls)
        }
    }

    /// Polls until no file of `paths` waits any more (mounted, or gone), at most `pollsLeft`
    /// times; returns how many polls it took.
    private func waitForMounts(_ paths: [String], pollsLeft: Int) -> Int {
        var waiting = paths
        var polls = 0
        while !waiting.isEmpty && polls < pollsLeft {
            sleep(pollMilliseconds)
            polls += 1
            waiting = waiting.filter(awaitingMount)
        }
        return polls
    }
}
