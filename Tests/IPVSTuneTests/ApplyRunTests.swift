import XCTest
@testable import IPVSTune
import IPVSTuneTestSupport

/// `apply` as the command runs it: where it applies, what it prints, the record it leaves and
/// its exit status, against fake kernels in fake namespaces.
final class ApplyRunTests: XCTestCase {
    var scratch = ConfigScratch()
    var namespaces = FakeNamespaces()
    var kernels: [String: FakeIPVS] = [:]
    var records: [ApplyRecord] = []
    var entered: [String] = []

    override func setUp() {
        scratch = ConfigScratch()
        namespaces = FakeNamespaces()
        kernels = ["host": FakeIPVS(), "/run/netns/a": FakeIPVS(), "/run/netns/b": FakeIPVS()]
        records = []
        entered = []
    }

    func run(_ config: String?, check: Bool = false, detailed: Bool = false, netns: String? = nil, all: Bool = false,
             format: OutputFormat = .text, quiet: Bool = false) -> ApplyRun.Result {
        if let config { _ = scratch.write("ipvstune.conf", config) }
        var run = ApplyRun(paths: scratch.paths, checkOnly: check, detailedExitcode: detailed, netns: netns, allNetns: all)
        run.enter = { self.entered.append($0) }
        run.openIPVS = { () throws(Failure) -> IPVSControl in
            guard let kernel = self.kernels[self.namespaces.current ?? "host"] else {
                throw Failure("cannot open IPVS: IPVS is not available", status: .unavailable)
            }
            return kernel
        }
        run.makeVisitor = { self.namespaces }
        run.discover = { patterns in [nil, "/run/netns/a", "/run/netns/b"].map { NamespaceTarget(path: $0) } + patterns.map { NamespaceTarget(path: $0) } }
        run.configured = { patterns in [NamespaceTarget(path: nil)] + patterns.map { NamespaceTarget(path: $0) } }
        run.record = { self.records.append($0) }
        return run.run(format, quiet: quiet)
    }

    func testTheHostAloneByDefault() {
        let result = run("tcp = 2h\n")
        XCTAssertEqual(result.status, .success)
        XCTAssertEqual(result.output, "tcp 900 -> 7200\n")
        XCTAssertEqual(kernels["host"]?.current.tcp, 7200)
        XCTAssertEqual(kernels["/run/netns/a"]?.current.tcp, 900)
        XCTAssertEqual(records.map(\.status), [0])
        XCTAssertEqual(records.map(\.changed), [true])
    }

    func testCheckChangesNothingAndLeavesNoRecord() {
        let result = run("tcp = 2h\n", check: true, detailed: true)
        XCTAssertEqual(result.status, .changed, "--detailed-exitcode: it would change")
        XCTAssertEqual(kernels["host"]?.current.tcp, 900)
        XCTAssertTrue(records.isEmpty)
    }

    func testDetailedExitcodeIsTwoOnlyWhenSomethingChanged() {
        XCTAssertEqual(run("tcp = 2h\n", detailed: true).status, .changed)
        XCTAssertEqual(run("tcp = 2h\n", detailed: true).status, .success, "in place already")
        XCTAssertEqual(records.map(\.status), [0, 0], "the record counts a change as success")
    }

    func testABrokenConfigChangesNothingAndSaysWhy() {
        let result = run("tcp = 2 hours\n")
        XCTAssertEqual(result.status, .config)
        XCTAssertEqual(result.output, "")
        XCTAssertEqual(result.errors.count, 1)
        XCTAssertTrue(result.errors[0].contains("ipvstune.conf:1"), result.errors[0])
        XCTAssertTrue(kernels.values.allSatisfy { $0.sets.isEmpty })
        XCTAssertEqual(records.map(\.status), [78])
    }

    func testTheConfigsNamespacesWithoutAllNetns() {
        let result = run("tcp = 2h\nnetns = /run/netns/a\n")
        XCTAssertEqual(result.status, .success)
        XCTAssertEqual(kernels["host"]?.current.tcp, 7200)
        XCTAssertEqual(kernels["/run/netns/a"]?.current.tcp, 7200)
        XCTAssertEqual(kernels["/run/netns/b"]?.current.tcp, 900, "not the config's")
        XCTAssertEqual(result.output, "host: tcp 900 -> 7200\n/run/netns/a: tcp 900 -> 7200\n")
    }

    func testANamedNamespaceAloneEvenWithTheConfigsNamespaces() {
        namespaces.current = "/run/netns/b"  // as entering it would
        let result = run("tcp = 2h\nnetns = /run/netns/a\n", netns: "/run/netns/b")
        XCTAssertEqual(entered, ["/run/netns/b"])
        XCTAssertEqual(result.status, .success)
        XCTAssertEqual(kernels["/run/netns/b"]?.current.tcp, 7200)
        XCTAssertEqual(kernels["/run/netns/a"]?.current.tcp, 900)
    }

    /// Every namespace is tried; one that fails sets the exit status and is named on stderr.
    func testAllNetnsGoesOnPastAFailure() {
        kernels["/run/netns/a"]?.failWith = EPERM
        let result = run("tcp = 2h\n", all: true, format: .json)
        XCTAssertEqual(result.status, .permission)
        XCTAssertEqual(result.errors.count, 1)
        XCTAssertTrue(result.errors[0].hasPrefix("/run/netns/a: "), result.errors[0])
        XCTAssertEqual(kernels["host"]?.current.tcp, 7200)
        XCTAssertEqual(kernels["/run/netns/b"]?.current.tcp, 7200)
        XCTAssertTrue(result.output.hasPrefix(#"{"namespaces":["#), result.output)
        XCTAssertEqual(records.map(\.status), [77])
        XCTAssertEqual(records.map(\.changed), [true], "two namespaces did change")
    }

    func testQuietPrintsNothingButErrors() {
        let result = run("tcp = 2h\n", quiet: true)
        XCTAssertEqual(result.output, "")
        XCTAssertEqual(result.status, .success)
    }
}
