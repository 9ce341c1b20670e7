@testable import IPVSTune

import Glibc

/// An IPVS that follows the kernel's rules for timeouts (ip_vs_set_timeout): a missing
/// value is kept, and a value above INT_MAX/HZ makes the kernel refuse the whole request.
public final class FakeIPVS: IPVSControl {
    public var current: Timeouts
    public var hz: UInt32
    public var failWith: Int32?
    /// Sets after this many fail with EIO: a kernel that goes away between two requests.
    public var failSetsAfter: Int?
    public var virtualServices: [VirtualService] = []
    public var daemons: [SyncDaemon] = []
    public private(set) var sets: [TimeoutUpdate] = []

    public init(_ current: Timeouts = .kernelDefaults, hz: UInt32 = 250) {
        self.current = current
        self.hz = hz
    }

    public func timeouts() throws(Failure) -> Timeouts {
        if let failWith { throw Failure.ipvs("cannot read IPVS timeouts", errno: failWith) }
        return current
    }

    public func setTimeouts(_ update: TimeoutUpdate) throws(Failure) {
        if let failWith { throw Failure.ipvs("cannot set IPVS timeouts", errno: failWith) }
        if let failSetsAfter, sets.count >= failSetsAfter { throw Failure.ipvs("cannot set IPVS timeouts", errno: EIO) }
        sets.append(update)
        let limit = UInt32(Int32.max) / hz
        if TimeoutName.allCases.contains(where: { (update[$0] ?? 0) > limit }) {
            throw Failure.kernelRefused(update)
        }
        current = update.applied(to: current)
    }

    public func services() throws(Failure) -> [VirtualService] {
        if let failWith { throw Failure.ipvs("cannot list IPVS services", errno: failWith) }
        return virtualServices
    }

    public func syncDaemons() throws(Failure) -> [SyncDaemon] {
        if let failWith { throw Failure.ipvs("cannot list IPVS sync daemons", errno: failWith) }
        return daemons
    }
}
