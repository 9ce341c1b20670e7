/// What ipvstune needs from the kernel's IPVS: the seam tests replace with a fake.
public protocol IPVSControl: AnyObject {
    func timeouts() throws(Failure) -> Timeouts
    /// Sets the values present in `update`; the kernel leaves the others as they are.
    func setTimeouts(_ update: TimeoutUpdate) throws(Failure)
    /// Every virtual service with its real servers and their connection counters.
    func services() throws(Failure) -> [VirtualService]
    /// The sync daemons that run (at most one master and one backup).
    func syncDaemons() throws(Failure) -> [SyncDaemon]
}
