@testable import IPVSTune
import IPVSTuneTestSupport
import XCTest

import Glibc

/// The POSIX mechanisms of System/, each used by several features.
final class SystemTests: XCTestCase {
    private func shell(_ script: String, outputLimit: Int? = 1000) -> Result<POSIX.Exit, SystemError> {
        POSIX.run("/bin/sh", ["-c", script], outputLimit: outputLimit)
    }

    func testRunKeepsStdoutAndStderrTogetherAndTheExitStatus() throws {
        let kept = try shell("echo out; echo err >&2; exit 3").get()
        XCTAssertEqual(kept.status, 3)
        XCTAssertEqual(String(decoding: kept.output, as: UTF8.self), "out\nerr\n")
        let discarded = try shell("echo out; echo err >&2", outputLimit: nil).get()
        XCTAssertEqual(discarded.status, 0)
        XCTAssertEqual(discarded.output, [])
    }

    /// Standard input is /dev/null: a program that reads it ends instead of waiting for a terminal.
    func testRunGivesNoStandardInput() throws {
        XCTAssertEqual(try shell("cat; echo done").get().output, Array("done\n".utf8))
    }

    func testRunReportsASignalAndAProgramThatCannotStart() throws {
        XCTAssertNil(try shell("kill -9 $$").get().status)
        XCTAssertEqual(shell("exit 0").map(\.status), .success(0))
        guard case .failure(let error) = POSIX.run("/nonexistent/program", []) else { return XCTFail("started") }
        XCTAssertEqual(error.code, ENOENT)
    }

    /// Output past the limit is EFBIG, and the program, still writing, is not waited for forever.
    func testRunStopsAtTheOutputLimit() {
        guard case .failure(let error) = shell("yes | head -c 1000000") else { return XCTFail("no limit") }
        XCTAssertEqual(error.code, EFBIG)
    }

    func testDirectoryEntriesAreBytesInByteOrder() throws {
        let scratch = ConfigScratch()
        for name in ["b", "9-b.conf", "10-a.conf", "é", "B", ".hidden"] { scratch.write(name, "") }
        scratch.mkdir("folder")
        XCTAssertEqual(try POSIX.directoryEntries(scratch.path).get().map { String(decoding: $0, as: UTF8.self) },
                       [".hidden", "10-a.conf", "9-b.conf", "B", "b", "folder", "é"])
        XCTAssertEqual(POSIX.directoryEntries(scratch.at("none")).map(\.count), .failure(SystemError(ENOENT)))
        XCTAssertEqual(POSIX.directoryEntries(scratch.at("b")).map(\.count), .failure(SystemError(ENOTDIR)))
        XCTAssertEqual(POSIX.directoryNames(scratch.at("none")), [])
    }

    /// The textfile always gets 0644, whatever the old file's mode: node_exporter must read it.
    func testTextfileModeIsAlways0644() throws {
        let scratch = ConfigScratch()
        scratch.write("ipvstune.prom", "old\n", mode: 0o600)
        try Textfile.write("new\n", to: scratch.at("ipvstune.prom"))
        XCTAssertEqual(scratch.status("ipvstune.prom").st_mode & 0o7777, 0o644)
        XCTAssertEqual(scratch.read("ipvstune.prom"), "new\n")
    }

    /// A failed step is named, and the temporary file is gone (here the rename onto a folder).
    func testAtomicFileNamesTheFailedStepAndLeavesNoTemporaryFile() {
        let scratch = ConfigScratch()
        scratch.mkdir("target")
        scratch.write("target/keep", "old\n")
        XCTAssertThrowsError(try AtomicFile.replace(scratch.at("target"), with: [1], mode: 0o644)) { error in
            XCTAssertEqual((error as? AtomicFile.Failed)?.step, "cannot rename the new file into place")
            XCTAssertEqual((error as? AtomicFile.Failed)?.code, EISDIR)
        }
        XCTAssertEqual(scratch.names(), ["target"])
        XCTAssertEqual(scratch.read("target/keep"), "old\n")
    }
}
