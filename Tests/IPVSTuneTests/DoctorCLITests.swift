import XCTest

/// `ipvstune doctor` as a script sees it, for what needs no kernel: help and usage errors.
final class DoctorCLITests: XCTestCase {
    func testHelpListsEveryCheckAndTheExitStatuses() throws {
        let result = try CLITests.run(["doctor", "--help"])
        XCTAssertEqual(result.status, 0)
        for id in ["tcp-keepalive", "tcpfin-timeout", "udp-timeout", "persistence", "config", "boot-unit",
                   "keepalived", "kube-proxy", "netns-defaults"] {
            XCTAssertTrue(result.stdout.contains("  \(id) "), "\(id) missing from doctor --help")
        }
        XCTAssertTrue(result.stdout.contains("Exit 0 when"))
        XCTAssertTrue(result.stdout.contains("--keepalived-conf"))
        XCTAssertTrue(try CLITests.run(["--help"]).stdout.contains("doctor"))
    }

    func testUsageErrorsComeBeforeAnyKernelAccess() throws {
        // The build host has no IPVS: reaching the kernel would exit 69 (or 77).
        let both = try CLITests.run(["doctor", "--all-netns", "--netns", "blue"])
        XCTAssertEqual(both.status, 64, both.stderr)
        XCTAssertTrue(both.stderr.hasPrefix("ipvstune: "), both.stderr)
        let missing = try CLITests.run(["doctor", "--keepalived-conf", "/nonexistent/keepalived.conf"])
        XCTAssertEqual(missing.status, 66, missing.stderr)
        XCTAssertEqual(missing.stderr, "ipvstune: keepalived config '/nonexistent/keepalived.conf' not found: check the path\n")
        XCTAssertEqual(try CLITests.run(["doctor", "--bogus"]).status, 64)
    }
}
