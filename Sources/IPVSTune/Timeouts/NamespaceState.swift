/// One namespace's IPVS state as `get --all-netns` shows it.
public struct NamespaceState: Equatable, Sendable {
    var timeouts: Timeouts
    var services: Int
    var daemons: [SyncDaemon]

    init(timeouts: Timeouts, services: Int, daemons: [SyncDaemon]) {
        self.timeouts = timeouts
        self.services = services
        self.daemons = daemons
    }

    public static func read(_ ipvs: IPVSControl) throws(Failure) -> NamespaceState {
        NamespaceState(timeouts: try ipvs.timeouts(), services: try ipvs.services().count, daemons: try ipvs.syncDaemons())
    }
}
