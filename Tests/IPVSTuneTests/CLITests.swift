import Foundation
import XCTest

/// Runs the built ipvstune binary as an operator or a script would.
final class CLITests: XCTestCase {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The executable swift build put next to the test bundle.
    static var binary: URL {
        let bundle = Bundle(for: CLITests.self).bundleURL
        let candidates = [bundle.appendingPathComponent("ipvstune"),
                          bundle.deletingLastPathComponent().appendingPathComponent("ipvstune")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    func ipvstune(_ arguments: String...) throws -> Result {
        try Self.run(arguments)
    }

    /// Runs the binary with `arguments` and collects what it printed and its exit status.
    static func run(_ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    func assertUsageError(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try Self.run(arguments)
        XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertTrue(result.stdout.isEmpty, "\(arguments) printed on stdout", file: file, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("ipvstune: "), "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "\(arguments): not one line: \(result.stderr)",
                       file: file, line: line)
    }

    func testHelpListsEveryExitStatus() throws {
        let result = try ipvstune("--help")
        XCTAssertEqual(result.status, 0)
        let lines = result.stdout.split(separator: "\n").map { $0.drop { $0 == " " } }
        for code in [0, 1, 2, 64, 65, 66, 69, 71, 77, 78] {
            XCTAssertTrue(lines.contains { $0.hasPrefix("\(code)  ") }, "exit status \(code) missing from --help")
        }
        XCTAssertTrue(result.stdout.contains("get"))
        XCTAssertTrue(result.stdout.contains("set"))
    }

    func testSubcommandHelp() throws {
        let result = try ipvstune("set", "--help")
        XCTAssertEqual(result.status, 0)
        XCTAssertTrue(result.stdout.contains("--tcpfin"))
        XCTAssertTrue(result.stdout.contains("--netns"))
    }

    func testBadInputIsAOneLineUsageErrorBeforeAnyKernelAccess() throws {
        // None of these may reach the kernel: the host has no IPVS, so reaching it would exit 69.
        try assertUsageError("set", "0", "0", "0")
        try assertUsageError("set")
        try assertUsageError("set", "1", "2")
        try assertUsageError("set", "1.5", "0", "0")
        try assertUsageError("set", "32d", "0", "0")
        try assertUsageError("set", "--tcp", "abc")
        try assertUsageError("set", "7200", "120", "300", "--udp", "5")
        try assertUsageError("get", "nosuch")
        try assertUsageError("nosuch")
        try assertUsageError("get", "--bogus")
        try assertUsageError("apply", "--follow")
        try assertUsageError("apply", "--follow", "--netns", "x")
        try assertUsageError("apply", "--all-netns", "--follow", "--check")
        try assertUsageError("apply", "--all-netns", "--follow", "--detailed-exitcode")
    }

    func testMissingNamespace() throws {
        let result = try ipvstune("get", "--netns", "ipvstune-test-no-such-ns")
        XCTAssertEqual(result.status, 66)
        XCTAssertTrue(result.stderr.contains("ipvstune-test-no-such-ns"))
    }

    func testNoIPVSOnThisKernel() throws {
        try XCTSkipIf(FileManager.default.fileExists(atPath: "/proc/net/ip_vs"), "this kernel has IPVS")
        let result = try ipvstune("get")
        XCTAssertEqual(result.status, 69)
        XCTAssertEqual(result.stderr, "ipvstune: cannot open IPVS: IPVS is not available in this kernel: load it with 'modprobe ip_vs' or use a kernel built with CONFIG_IP_VS\n")
    }
}
