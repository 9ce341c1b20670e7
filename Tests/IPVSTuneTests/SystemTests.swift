@testable import IPVSTune
import IPVSTuneTestSupport
import XCTest

import Glibc

/// The POSIX mechanisms of System/, each used by several features.
final class SystemTests: XCTestCase {
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
}
