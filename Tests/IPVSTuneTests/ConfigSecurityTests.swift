@testable import IPVSTune
import IPVSTuneTestSupport
import XCTest

import Glibc

/// Ownership tests need root (chown); the checks take the trusted owner as a parameter, so the
/// tests trust the user running them.
final class ConfigSecurityTests: XCTestCase {
    let me = geteuid()

    func testSafeFileAndFolder() {
        let scratch = ConfigScratch()
        let file = scratch.write("ipvstune.conf", "tcp = 1\n", mode: 0o644)
        XCTAssertEqual(ConfigSecurity.problems(file: file, trustedOwner: me), [])
        XCTAssertNoThrow(try ConfigSecurity.require(file: file, trustedOwner: me))
    }

    func testMissingFileHasNoProblems() {
        let scratch = ConfigScratch()
        XCTAssertEqual(ConfigSecurity.problems(file: scratch.at("none.conf"), trustedOwner: me), [])
    }

    func testGroupAndOthersWritableFile() {
        let scratch = ConfigScratch()
        let file = scratch.write("ipvstune.conf", "tcp = 1\n", mode: 0o666)
        XCTAssertEqual(ConfigSecurity.problems(file: file, trustedOwner: me).map(\.description),
                       ["\(file): is writable by group and others (mode 0666): ipvstune applies only config that nobody but root can change; run 'chmod go-w \(file)'"])
        XCTAssertThrowsError(try ConfigSecurity.require(file: file, trustedOwner: me)) { error in
            XCTAssertEqual((error as? Failure)?.status, .config)
        }
    }

    func testGroupWritableFolder() {
        let scratch = ConfigScratch()
        let folder = scratch.mkdir("etc", mode: 0o775)
        let file = scratch.write("etc/ipvstune.conf", "tcp = 1\n")
        XCTAssertEqual(ConfigSecurity.problems(file: file, trustedOwner: me).map(\.description),
                       ["\(folder): is writable by group (mode 0775): ipvstune applies only config that nobody but root can change; run 'chmod go-w \(folder)'"])
    }

    func testNotOwnedByTrustedUser() throws {
        try XCTSkipIf(me != 0, "chown needs root")
        let scratch = ConfigScratch()
        let file = scratch.write("ipvstune.conf", "tcp = 1\n")
        XCTAssertEqual(chown(file, 1000, 1000), 0)
        XCTAssertEqual(ConfigSecurity.problems(file: file).map(\.description),
                       ["\(file): is owned by uid 1000, not root: ipvstune applies only config that nobody but root can change; run 'chown root: \(file)'"])
    }

    func testSymlinkIsFollowedAndTargetFolderChecked() {
        let scratch = ConfigScratch()
        let elsewhere = scratch.mkdir("srv", mode: 0o777)
        let target = scratch.write("srv/real.conf", "tcp = 1\n", mode: 0o664)
        let link = scratch.link("ipvstune.conf", to: target)
        XCTAssertEqual(ConfigSecurity.problems(file: link, trustedOwner: me).map(\.description), [
            "\(link): links to \(target), which is writable by group (mode 0664): ipvstune applies only config that nobody but root can change; run 'chmod go-w \(target)'",
            "\(elsewhere): is writable by group and others (mode 0777): ipvstune applies only config that nobody but root can change; run 'chmod go-w \(elsewhere)'",
        ])
    }

    func testLoaderChecksOnlyWhenAsked() throws {
        let scratch = ConfigScratch()
        scratch.write("ipvstune.conf", "tcp = 1\n", mode: 0o646)
        scratch.mkdir("ipvstune.d", mode: 0o757)
        scratch.write("ipvstune.d/a.conf", "udp = 2\n")
        XCTAssertEqual(try ConfigLoader.load(scratch.paths)?.update, TimeoutUpdate(tcp: 1, udp: 2))
        try XCTSkipIf(me != 0, "the loader trusts root only")
        let problems = ConfigLoader.check(scratch.paths, requireSecure: true).problems
        XCTAssertEqual(problems.map(\.path), [scratch.paths.dropInDirectory, scratch.paths.main])
        XCTAssertThrowsError(try ConfigLoader.load(scratch.paths, requireSecure: true)) { error in
            XCTAssertEqual((error as? Failure)?.status, .config)
        }
    }

    func testLoaderAcceptsSecureFiles() throws {
        try XCTSkipIf(me != 0, "the loader trusts root only")
        let scratch = ConfigScratch()
        scratch.write("ipvstune.conf", "tcp = 1\n", mode: 0o600)
        XCTAssertEqual(try ConfigLoader.load(scratch.paths, requireSecure: true)?.update, TimeoutUpdate(tcp: 1))
    }
}
