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

    // Every folder above the file, up to /, counts: not only the one holding it.
    func testWritableMiddleFolder() {
        let scratch = ConfigScratch()
        let middle = scratch.mkdir("opt", mode: 0o777)
        scratch.mkdir("opt/ipvstune", mode: 0o755)
        let file = scratch.write("opt/ipvstune/ipvstune.conf", "tcp = 1\n")
        XCTAssertEqual(ConfigSecurity.problems(file: file, trustedOwner: me).map(\.description),
                       ["\(middle): is writable by group and others (mode 0777): ipvstune applies only config that nobody but root can change; run 'chmod go-w \(middle)'"])
    }

    // Like a world-writable /etc holding /etc/ipvstune.d: a drop-in alone is enough to refuse.
    func testDropInUnderWritableFolder() throws {
        try XCTSkipIf(me != 0, "the loader trusts root only")
        let scratch = ConfigScratch()
        let etc = scratch.mkdir("etc", mode: 0o777)
        scratch.mkdir("etc/ipvstune.d", mode: 0o755)
        scratch.write("etc/ipvstune.d/a.conf", "tcp = 1\n")
        let paths = ConfigPaths(main: scratch.at("etc/ipvstune.conf"), dropInDirectory: scratch.at("etc/ipvstune.d"))
        XCTAssertEqual(ConfigLoader.check(paths, requireSecure: true).problems.map(\.path), [etc])
        XCTAssertThrowsError(try ConfigLoader.load(paths, requireSecure: true)) { error in
            XCTAssertEqual((error as? Failure)?.status, .config)
        }
    }

    func testWritableFolderReachedThroughSymlink() {
        let scratch = ConfigScratch()
        let real = scratch.mkdir("srv", mode: 0o757)
        scratch.mkdir("srv/conf", mode: 0o755)
        scratch.write("srv/conf/ipvstune.conf", "tcp = 1\n")
        scratch.link("etc", to: scratch.at("srv/conf"))
        let problems = ConfigSecurity.problems(file: scratch.at("etc/ipvstune.conf"), trustedOwner: me)
        XCTAssertEqual(problems.map(\.description),
                       ["\(real): holds \(scratch.at("etc")) through a symlink, and is writable by others (mode 0757): ipvstune applies only config that nobody but root can change; run 'chmod go-w \(real)'"])
    }

    func testSymlinkedFolderItselfWritable() {
        let scratch = ConfigScratch()
        let real = scratch.mkdir("srv", mode: 0o777)
        scratch.write("srv/ipvstune.conf", "tcp = 1\n")
        let link = scratch.link("etc", to: real)
        XCTAssertEqual(ConfigSecurity.problems(file: scratch.at("etc/ipvstune.conf"), trustedOwner: me).map(\.path), [link])
    }

    // Nobody else can rename or replace root's entries in root's sticky folder, like /tmp.
    func testRootStickyFolderAccepted() throws {
        try XCTSkipIf(me != 0, "a root-owned folder needs root")
        let scratch = ConfigScratch()
        scratch.mkdir("tmp", mode: 0o1777)
        let file = scratch.write("tmp/ipvstune.conf", "tcp = 1\n")
        XCTAssertEqual(ConfigSecurity.problems(file: file), [])
        XCTAssertEqual(chown(scratch.at("tmp"), 1000, 1000), 0)
        XCTAssertEqual(ConfigSecurity.problems(file: file).map(\.path), [scratch.at("tmp"), scratch.at("tmp")])
    }

    func testAncestors() {
        XCTAssertEqual(ConfigSecurity.ancestors("/etc/ipvstune.d/"), ["/etc/ipvstune.d", "/etc", "/"])
        XCTAssertEqual(ConfigSecurity.ancestors("/"), ["/"])
    }
}
