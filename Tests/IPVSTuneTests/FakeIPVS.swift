@testable import IPVSTune

#if canImport(Glibc)
import Glibc
#endif

/// An IPVS that follows the kernel's rules for timeouts (ip_vs_set_timeout): a missing
/// value is kept, and a value above INT_MAX/HZ makes the kernel refuse the whole request.
final class FakeIPVS: IPVSControl {
    var current: Timeouts
    var hz: UInt32
    var failWith: Int32?
    var virtualServices: [VirtualService] = []
    var daemons: [SyncDaemon] = []
    private(set) var sets: [TimeoutUpdate] = []

    init(_ current: Timeouts = .kernelDefaults, hz: UInt32 = 250) {
        self.current = current
        self.hz = hz
    }

    func timeouts() throws(Failure) -> Timeouts {
        if let failWith { throw Failure.ipvs("cannot read IPVS timeouts", errno: failWith) }
        return current
    }

    func setTimeouts(_ update: TimeoutUpdate) throws(Failure) {
        if let failWith { throw Failure.ipvs("cannot set IPVS timeouts", errno: failWith) }
        sets.append(update)
        let limit = UInt32(Int32.max) / hz
        if TimeoutName.allCases.contains(where: { (update[$0] ?? 0) > limit }) {
            throw Failure.kernelRefused(update)
        }
        current = update.applied(to: current)
    }

    func services() throws(Failure) -> [VirtualService] {
        if let failWith { throw Failure.ipvs("cannot list IPVS services", errno: failWith) }
        return virtualServices
    }

    func syncDaemons() throws(Failure) -> [SyncDaemon] {
        if let failWith { throw Failure.ipvs("cannot list IPVS sync daemons", errno: failWith) }
        return daemons
    }
}
