import Foundation
import XCTest

/// `ipvstune conns --file`, run as a process: exit statuses, stderr, stdin.
final class ConnsCLITests: XCTestCase {
    let table = """
        Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData
        TCP 0A010002 C862 0A010064 0050 0A020002 1F90 ESTABLISHED     896
        TCP 0A010002 0000 0A010064 0050 0A020002 1F90 ASSURED         296
        UDP 0A010002 9E3E 0A010064 0035 0A020002 14E9 UDP             296
        TCP fd01:0000:0000:0000:0000:0000:0000:0002 CE14 fd01:0000:0000:0000:0000:0000:0000:0100 0050 fd02:0000:0000:0000:0000:0000:0000:0002 1F90 ESTABLISHED     897
        IP  0A010001 0000 00000007 0000 0A020002 0000 ASSURED         116

        """

    func conns(_ arguments: [String], input: String) throws -> CLITests.Result {
        let path = NSTemporaryDirectory() + "ipvstune-conns-\(UUID().uuidString)"
        try input.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try CLITests.run(["conns", "--file", path] + arguments)
    }

    func testListsEveryRowWithTemplatesMarked() throws {
        let result = try conns([], input: table)
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 6)  // header and five entries
        XCTAssertTrue(lines[1].contains("10.1.0.2:51298"))
        XCTAssertTrue(lines[1].contains("14:56"))
        XCTAssertTrue(lines[2].contains("template"))
        XCTAssertTrue(lines[4].contains("[fd01::2]:52756"))
        XCTAssertTrue(lines[5].contains("fwmark:7"))
    }

    func testCountAndComposedFilters() throws {
        XCTAssertEqual(try conns(["--count"], input: table).stdout, "5\n")
        XCTAssertEqual(try conns(["--count", "--templates"], input: table).stdout, "2\n")
        XCTAssertEqual(try conns(["--count", "--proto", "tcp", "--no-templates"], input: table).stdout, "2\n")
        XCTAssertEqual(try conns(["--count", "--client", "10.1.0.0/24", "--state", "established,udp"], input: table).stdout, "2\n")
        XCTAssertEqual(try conns(["--count", "--expiring-within", "5m"], input: table).stdout, "3\n")
        XCTAssertEqual(try conns(["--count", "--json"], input: table).stdout, "{\"count\":5}\n")
    }

    func testMalformedLinesAreNamedAndTheRestIsStillShown() throws {
        let broken = table + "TCP 0A0100ZZ C862 0A010064 0050 0A020002 1F90 ESTABLISHED 1\nTCP short\n"
        let result = try conns(["--count"], input: broken)
        XCTAssertEqual(result.status, 65)
        XCTAssertEqual(result.stdout, "5\n")
        XCTAssertTrue(result.stderr.contains("line 7: client address"), result.stderr)
        XCTAssertTrue(result.stderr.contains("line 8: "), result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("ipvstune: "))
    }

    func testEmptyTableIsNotAnError() throws {
        let result = try conns(["--summary", "--json"], input: "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n")
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("{"))
        XCTAssertEqual(try conns(["--count"], input: "").stdout, "0\n")
    }

    func testBadFiltersAreUsageErrors() throws {
        for arguments in [["--state", "ESTABLISHD"], ["--client", "10.0.0.0/33"], ["--virtual", "[::1"],
                          ["--count", "--summary"], ["--sort", "expire", "--count"], ["--expiring-within", "soon"]] {
            let result = try conns(arguments, input: table)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertEqual(result.stderr.filter { $0 == "\n" }.count, 1, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stdout.isEmpty, "\(arguments)")
        }
    }

    func testMissingFile() throws {
        let result = try CLITests.run(["conns", "--file", "/nonexistent/ipvstune-table"])
        XCTAssertEqual(result.status, 66)
    }
}
