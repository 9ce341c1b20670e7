@testable import IPVSTune
import XCTest

/// conn-max: the connection table's cap on Linux 7.x, judged from values, and read from files.
final class ConnMaxTests: XCTestCase {
    let host = NamespaceTarget(path: nil)
    let blue = NamespaceTarget(path: "/run/netns/blue")

    func observed(_ limit: ConnLimit?, tcp: UInt32 = 7275, target: NamespaceTarget? = nil) -> NamespaceObservation {
        var observed = NamespaceObservation(target: target ?? host, timeouts: Timeouts(tcp: tcp, tcpfin: 120, udp: 300))
        observed.connLimit = limit
        return observed
    }

    func testKernelsWithoutConnMaxGetNoFinding() {
        XCTAssertNil(ConnMaxCheck.finding(observed(nil)))
    }

    func testRoomInTheTableIsOK() {
        let finding = ConnMaxCheck.finding(observed(ConnLimit(max: 1 << 30, entries: 12)))
        XCTAssertEqual(finding?.severity, .ok)
        XCTAssertEqual(finding?.check, .connMax)
        XCTAssertEqual(finding?.id, "conn-max")
        XCTAssertEqual(finding?.message, "12 connection entries, below the 1073741824 that net.ipv4.vs.conn_max allows")
        XCTAssertEqual(ConnMaxCheck.finding(observed(ConnLimit(max: 1000, entries: 799)))?.severity, .ok)
    }

    func testAlmostFullIsAWarningThatNamesTheTCPTimeout() {
        let finding = ConnMaxCheck.finding(observed(ConnLimit(max: 1000, entries: 800), tcp: 7200))!
        XCTAssertEqual(finding.severity, .warning)
        XCTAssertTrue(finding.message.contains("800 entries, 80% of the 1000"), finding.message)
        XCTAssertTrue(finding.message.contains("tcp timeout (7200 s (2h))"), finding.message)
        XCTAssertEqual(finding.fixes, ["sysctl -w net.ipv4.vs.conn_max=1048576"])
    }

    func testFullIsAnError() {
        for limit in [ConnLimit(max: 100, entries: 100), ConnLimit(max: 0, entries: 0), ConnLimit(max: 100, entries: 120)] {
            let finding = ConnMaxCheck.finding(observed(limit))!
            XCTAssertEqual(finding.severity, .error, "\(limit)")
            XCTAssertTrue(finding.message.hasPrefix("the connection table is full"), finding.message)
            XCTAssertTrue(finding.message.contains("drops every new connection"), finding.message)
        }
    }

    func testFixDoublesABigTableWithinThePlatformLimitAndEntersTheNamespace() {
        let big = ConnMaxCheck.finding(observed(ConnLimit(max: 4_000_000, entries: 3_900_000), target: blue))!
        XCTAssertEqual(big.fixes, ["nsenter --net=/run/netns/blue sysctl -w net.ipv4.vs.conn_max=8000000"])
        let huge = ConnMaxCheck.finding(observed(ConnLimit(max: 1 << 30, entries: 1 << 30)))!
        XCTAssertEqual(huge.fixes, ["sysctl -w net.ipv4.vs.conn_max=1073741824"])
    }

    func testUncountedEntriesAreANote() {
        let finding = ConnMaxCheck.finding(observed(ConnLimit(max: 5000, entries: nil, problem: "cannot read /proc/thread-self/net/ip_vs_status: permission denied")))!
        XCTAssertEqual(finding.severity, .info)
        XCTAssertEqual(finding.message, "cannot read /proc/thread-self/net/ip_vs_status: permission denied: the entries were not compared with net.ipv4.vs.conn_max (5000)")
    }

    func testEntryCountComesFromTheConnsLine() {
        let status = "Conns:\t5000\nConn buckets:\t4096 (12 bits, lfactor -2)\nServices:\t0\n"
        XCTAssertEqual(ConnLimit.entryCount(status), 5000)
        XCTAssertNil(ConnLimit.entryCount("Services:\t0\n"))
        XCTAssertNil(ConnLimit.entryCount("Conns:\tmany\n"))
    }

    func testReadFromProcFiles() throws {
        let root = DoctorScratch()
        XCTAssertNil(ConnLimit.read(procSys: root.at("sys"), proc: root.at("proc")), "no conn_max: a kernel before 7.x")
        root.write("sys/net/ipv4/vs/conn_max", "1073741824\n")
        let unread = try XCTUnwrap(ConnLimit.read(procSys: root.at("sys"), proc: root.at("proc")))
        XCTAssertEqual(unread.max, 1 << 30)
        XCTAssertNil(unread.entries)
        XCTAssertTrue(unread.problem?.hasPrefix("cannot read \(root.at("proc"))/thread-self/net/ip_vs_status") ?? false, "\(unread)")
        root.write("proc/thread-self/net/ip_vs_status", "Conns:\t42\nConn buckets:\t256 (8 bits, lfactor -4)\n")
        XCTAssertEqual(ConnLimit.read(procSys: root.at("sys"), proc: root.at("proc")), ConnLimit(max: 1 << 30, entries: 42))
    }
}
