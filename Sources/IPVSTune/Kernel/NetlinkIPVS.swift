import CIPVS

import Glibc

/// IPVS over generic netlink, in the network namespace the calling thread is in.
public final class NetlinkIPVS: IPVSControl {
    let session: OpaquePointer

    /// Opens the session; when the family is missing, tries `modprobe ip_vs` once.
    public init(loadModule: Bool = true) throws(Failure) {
        var opened: OpaquePointer?
        var result = cipvs_open(&opened)
        if result == -ENOENT && loadModule && Modprobe.load("ip_vs") {
            result = cipvs_open(&opened)
        }
        guard result == 0, let opened else {
            throw Failure.ipvs("cannot open IPVS", errno: -result)
        }
        session = opened
    }

    deinit { cipvs_close(session) }

    public func timeouts() throws(Failure) -> Timeouts {
        var raw = cipvs_timeouts()
        let result = cipvs_get_config(session, &raw)
        guard result == 0 else { throw Failure.ipvs("cannot read IPVS timeouts", errno: -result) }
        return Timeouts(tcp: raw.tcp, tcpfin: raw.tcp_fin, udp: raw.udp)
    }

    /// Every change made here is noted in the timeout-change log, for `explain`.
    public func setTimeouts(_ update: TimeoutUpdate) throws(Failure) {
        let before = try? timeouts()
        var raw = cipvs_timeouts(tcp: update.tcp ?? 0, tcp_fin: update.tcpfin ?? 0, udp: update.udp ?? 0)
        let result = cipvs_set_config(session, &raw)
        guard result == 0 else {
            if result == -EINVAL { throw Failure.kernelRefused(update) }
            throw Failure.ipvs("cannot set IPVS timeouts", errno: -result)
        }
        TimeoutChangeLog.record(TimeoutName.allCases.filter { name in update[name].map { $0 != before?[name] } ?? false })
    }
}

extension Failure {
    /// The kernel refuses a timeout above INT_MAX/HZ seconds, and then changes none.
    static func kernelRefused(_ update: TimeoutUpdate) -> Failure {
        // HZ is invisible from user space; 1000 is the largest common value.
        let smallestLimit: UInt32 = 2_147_483
        let suspects = TimeoutName.allCases.filter { (update[$0] ?? 0) > smallestLimit }
        let named = (suspects.isEmpty ? TimeoutName.allCases.filter { update[$0] != nil } : suspects)
            .map { "\($0.rawValue) \(update[$0]!)" }.joined(separator: ", ")
        return Failure("the kernel refused \(named): it accepts at most INT_MAX/HZ seconds (2147483 s when HZ=1000); nothing was changed, use a smaller value",
                       status: .dataError, errno: EINVAL)
    }
}
