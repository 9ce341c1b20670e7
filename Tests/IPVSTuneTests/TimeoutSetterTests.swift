import XCTest
@testable import IPVSTune
import IPVSTuneTestSupport

#if canImport(Glibc)
import Glibc
#endif

final class TimeoutSetterTests: XCTestCase {
    func testSendsTheWholeRequestInOneSetAndReportsChanges() throws {
        let ipvs = FakeIPVS()
        let outcome = try TimeoutSetter.apply(TimeoutUpdate(tcp: 7200, tcpfin: 120, udp: 300), to: ipvs)
        // All three in one request, so a racing set cannot leave half of each.
        XCTAssertEqual(ipvs.sets, [TimeoutUpdate(tcp: 7200, tcpfin: 120, udp: 300)])
        XCTAssertEqual(outcome.changes, [TimeoutChange(name: .tcp, from: 900, to: 7200)])
        XCTAssertEqual(outcome.rendered(.text), "tcp 900 -> 7200\n")
        XCTAssertEqual(ipvs.current, Timeouts(tcp: 7200, tcpfin: 120, udp: 300))
    }

    // MARK: set --save

    func testSaveWritesTheValuesTheKernelNowHolds() throws {
        let scratch = ConfigScratch()
        let ipvs = FakeIPVS()
        let paths = ConfigPaths(main: scratch.at("ipvstune.conf"), dropInDirectory: scratch.at("ipvstune.d"))
        let (outcome, saved) = try TimeoutSetter.apply(TimeoutUpdate(tcp: 7200), to: ipvs, savingTo: paths)
        XCTAssertEqual(outcome.after, Timeouts(tcp: 7200, tcpfin: 120, udp: 300))
        XCTAssertEqual(saved, "saved tcp 7200, tcpfin 120, udp 300 to \(paths.main)\n")
        XCTAssertEqual(try ConfigLoader.load(paths)?.timeouts[.tcp]?.value, 7200)
    }

    /// A file that cannot take the values puts the kernel back: set --save is one step.
    func testAFailedSavePutsTheKernelBack() {
        let scratch = ConfigScratch()
        let ipvs = FakeIPVS()
        let paths = ConfigPaths(main: scratch.at("missing/ipvstune.conf"), dropInDirectory: scratch.at("missing/ipvstune.d"))
        XCTAssertThrowsError(try TimeoutSetter.apply(TimeoutUpdate(tcp: 7200), to: ipvs, savingTo: paths)) { error in
            XCTAssertTrue((error as? Failure)?.message.hasSuffix("; the kernel's timeouts were put back") ?? false, "\(error)")
        }
        XCTAssertEqual(ipvs.current, .kernelDefaults)
        XCTAssertEqual(ipvs.sets, [TimeoutUpdate(tcp: 7200), TimeoutUpdate(tcp: 900, tcpfin: 120, udp: 300)])
    }

    func testARollbackThatFailsSaysSo() {
        let scratch = ConfigScratch()
        let ipvs = FakeIPVS()
        ipvs.failSetsAfter = 1
        let paths = ConfigPaths(main: scratch.at("missing/ipvstune.conf"), dropInDirectory: scratch.at("missing/ipvstune.d"))
        XCTAssertThrowsError(try TimeoutSetter.apply(TimeoutUpdate(tcp: 7200), to: ipvs, savingTo: paths)) { error in
            XCTAssertTrue((error as? Failure)?.message.contains("; and the kernel's timeouts could not be put back: cannot set IPVS timeouts") ?? false,
                          "\(error)")
        }
        XCTAssertEqual(ipvs.current.tcp, 7200)
    }

    func testNothingChangedNeedsNoRollback() {
        let scratch = ConfigScratch()
        let ipvs = FakeIPVS(Timeouts(tcp: 7200, tcpfin: 120, udp: 300))
        let paths = ConfigPaths(main: scratch.at("missing/ipvstune.conf"), dropInDirectory: scratch.at("missing/ipvstune.d"))
        XCTAssertThrowsError(try TimeoutSetter.apply(TimeoutUpdate(tcp: 7200), to: ipvs, savingTo: paths)) { error in
            XCTAssertFalse((error as? Failure)?.message.contains("put back") ?? true, "\(error)")
        }
        XCTAssertTrue(ipvs.sets.isEmpty)
    }

    func testNothingToChangeWritesNothing() throws {
        let ipvs = FakeIPVS(Timeouts(tcp: 7200, tcpfin: 120, udp: 300))
        let outcome = try TimeoutSetter.apply(TimeoutUpdate(tcp: 7200), to: ipvs)
        XCTAssertTrue(ipvs.sets.isEmpty)
        XCTAssertEqual(outcome.rendered(.text), "nothing changed: tcp 7200, tcpfin 120, udp 300 already in place\n")
    }

    func testJSONComesFromTheSameValues() throws {
        let outcome = SetOutcome(before: .kernelDefaults, after: Timeouts(tcp: 7200, tcpfin: 120, udp: 60))
        XCTAssertEqual(outcome.rendered(.json),
                       #"{"changed":["tcp","udp"],"before":{"tcp":900,"tcpfin":120,"udp":300},"after":{"tcp":7200,"tcpfin":120,"udp":60}}"# + "\n")
    }

    func testKernelRefusalNamesTheValueAndChangesNothing() {
        let ipvs = FakeIPVS(hz: 1000)
        XCTAssertThrowsError(try TimeoutSetter.apply(TimeoutUpdate(tcp: 2_500_000, udp: 60), to: ipvs)) { error in
            let failure = error as? Failure
            XCTAssertEqual(failure?.status, .dataError)
            XCTAssertEqual(failure?.errno, EINVAL)
            XCTAssertTrue(failure?.message.contains("tcp 2500000") ?? false, failure?.message ?? "")
            XCTAssertFalse(failure?.message.contains("udp") ?? true, "udp was not the refused value")
        }
        XCTAssertEqual(ipvs.current, .kernelDefaults)
    }

    func testErrnoDecidesTheExitStatus() {
        XCTAssertEqual(Failure.ipvs("x", errno: EPERM).status, .permission)
        XCTAssertTrue(Failure.ipvs("x", errno: EPERM).message.contains("CAP_NET_ADMIN"))
        XCTAssertEqual(Failure.ipvs("x", errno: ENOENT).status, .unavailable)
        XCTAssertTrue(Failure.ipvs("x", errno: ENOENT).message.contains("modprobe ip_vs"))
        XCTAssertEqual(Failure.ipvs("x", errno: ENOBUFS).status, .osError)
        XCTAssertEqual(Failure.ipvs("x", errno: ENOBUFS).errno, ENOBUFS)
    }

    func testReadFailureStopsBeforeAnySet() {
        let ipvs = FakeIPVS()
        ipvs.failWith = EPERM
        XCTAssertThrowsError(try TimeoutSetter.apply(TimeoutUpdate(tcp: 7200), to: ipvs))
        XCTAssertTrue(ipvs.sets.isEmpty)
    }

    func testUpdateHelpers() {
        let update = TimeoutUpdate(tcp: 7200, udp: 300)
        XCTAssertEqual(update.changes(from: .kernelDefaults), TimeoutUpdate(tcp: 7200))
        XCTAssertEqual(update.applied(to: .kernelDefaults), Timeouts(tcp: 7200, tcpfin: 120, udp: 300))
        XCTAssertTrue(TimeoutUpdate().isEmpty)
    }
}
