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
