@testable import IPVSTune
import IPVSTuneTestSupport
import XCTest

import Glibc

final class ConfigLoaderTests: XCTestCase {
    func testNoConfigAtAllIsNil() throws {
        let scratch = ConfigScratch()
        XCTAssertNil(try ConfigLoader.load(scratch.paths))
        let check = ConfigLoader.check(scratch.paths)
        XCTAssertEqual(check, ConfigCheck(files: [], config: nil, problems: []))
    }

    func testEmptyFolderOfDropInsIsStillNoConfig() throws {
        let scratch = ConfigScratch()
        scratch.mkdir("ipvstune.d")
        scratch.write("ipvstune.d/README", "tcp = 1\n")
        XCTAssertNil(try ConfigLoader.load(scratch.paths))
    }

    func testEmptyMainFileIsAnEmptyConfig() throws {
        let scratch = ConfigScratch()
        scratch.write("ipvstune.conf", "")
        let config = try XCTUnwrap(ConfigLoader.load(scratch.paths))
        XCTAssertTrue(config.isEmpty)
        XCTAssertEqual(config.files, [scratch.paths.main])
        XCTAssertEqual(config.update, TimeoutUpdate())
    }

    func testMainFileWithProvenance() throws {
        let scratch = ConfigScratch()
        let main = scratch.write("ipvstune.conf", "# ipvstune\ntcp = 2h\n\nudp = 300\nnetns = /run/netns/blue\n")
        let config = try XCTUnwrap(ConfigLoader.load(scratch.paths))
        XCTAssertEqual(config.timeouts[.tcp], ConfigSetting(7200, at: ConfigLocation(path: main, line: 2)))
        XCTAssertEqual(config.timeouts[.udp], ConfigSetting(300, at: ConfigLocation(path: main, line: 4)))
        XCTAssertNil(config.timeouts[.tcpfin])
        XCTAssertEqual(config.netns, [ConfigSetting("/run/netns/blue", at: ConfigLocation(path: main, line: 5))])
        XCTAssertEqual(config.update, TimeoutUpdate(tcp: 7200, udp: 300))
    }

    func testDropInsOverrideInByteOrder() throws {
        let scratch = ConfigScratch()
        let main = scratch.write("ipvstune.conf", "tcp = 7200\ntcpfin = 120\nudp = 300\n")
        scratch.mkdir("ipvstune.d")
        // Byte order: "10-" < "9-" < "A" < "a"; later files win.
        let ten = scratch.write("ipvstune.d/10-first.conf", "tcp = 1000\nudp = 10\n")
        let nine = scratch.write("ipvstune.d/9-second.conf", "tcp = 900\n")
        let upper = scratch.write("ipvstune.d/A.conf", "udp = 20\n")
        let lower = scratch.write("ipvstune.d/a.conf", "# only a comment\n\ntcp = 3h\n")
        let config = try XCTUnwrap(ConfigLoader.load(scratch.paths))
        XCTAssertEqual(config.files, [main, ten, nine, upper, lower])
        XCTAssertEqual(config.update, TimeoutUpdate(tcp: 10_800, tcpfin: 120, udp: 20))
        XCTAssertEqual(config.timeouts[.tcp]?.location, ConfigLocation(path: lower, line: 3))
        XCTAssertEqual(config.timeouts[.tcpfin]?.location, ConfigLocation(path: main, line: 2))
        XCTAssertEqual(config.timeouts[.udp]?.location, ConfigLocation(path: upper, line: 1))
        XCTAssertEqual(config.timeoutsOverridden(outside: main), [.tcp: ConfigLocation(path: lower, line: 3), .udp: ConfigLocation(path: upper, line: 1)])
    }

    func testNonConfAndHiddenFilesAreIgnored() throws {
        let scratch = ConfigScratch()
        scratch.mkdir("ipvstune.d")
        let used = scratch.write("ipvstune.d/50-x.conf", "tcp = 60\n")
        for name in ["50-x.conf~", "50-x.conf.bak", "50-x.conf.rpmsave", "README", ".hidden.conf", ".#50-x.conf", ".conf", "x.CONF"] {
            scratch.write("ipvstune.d/\(name)", "garbage without equals\n")
        }
        let config = try XCTUnwrap(ConfigLoader.load(scratch.paths))
        XCTAssertEqual(config.files, [used])
        XCTAssertEqual(config.update, TimeoutUpdate(tcp: 60))
    }

    func testMissingMainFileIsFineWithDropIns() throws {
        let scratch = ConfigScratch()
        scratch.mkdir("ipvstune.d")
        let dropIn = scratch.write("ipvstune.d/udp.conf", "udp = 5m\n")
        let config = try XCTUnwrap(ConfigLoader.load(scratch.paths))
        XCTAssertEqual(config.files, [dropIn])
        XCTAssertEqual(config.update, TimeoutUpdate(udp: 300))
    }

    func testSameKeyInTwoFilesIsAnOverrideNotAnError() throws {
        let scratch = ConfigScratch()
        scratch.write("ipvstune.conf", "tcp = 1\n")
        scratch.mkdir("ipvstune.d")
        scratch.write("ipvstune.d/a.conf", "tcp = 2\n")
        XCTAssertEqual(try ConfigLoader.load(scratch.paths)?.update, TimeoutUpdate(tcp: 2))
    }

    func testNetnsAddsUpAcrossFilesAndEmptyValueClears() throws {
        let scratch = ConfigScratch()
        scratch.write("ipvstune.conf", "netns = /main\n")
        scratch.mkdir("ipvstune.d")
        scratch.write("ipvstune.d/1.conf", "netns = /one\n")
        scratch.write("ipvstune.d/2.conf", "netns = /two\n")
        XCTAssertEqual(try ConfigLoader.load(scratch.paths)?.netns.map(\.value), ["/main", "/one", "/two"])
        scratch.write("ipvstune.d/3.conf", "netns =\nnetns = /three\n")
        XCTAssertEqual(try ConfigLoader.load(scratch.paths)?.netns.map(\.value), ["/three"])
    }

    func testProblemsInSeveralFilesAreAllReportedAndNothingApplies() {
        let scratch = ConfigScratch()
        let main = scratch.write("ipvstune.conf", "tcp = 7200\nfoo = 1\n")
        scratch.mkdir("ipvstune.d")
        let dropIn = scratch.write("ipvstune.d/x.conf", "udp = 0\n")
        let check = ConfigLoader.check(scratch.paths)
        XCTAssertNil(check.config)
        XCTAssertEqual(check.problems.map { "\($0.path):\($0.line ?? 0)" }, ["\(main):2", "\(dropIn):1"])
        XCTAssertThrowsError(try ConfigLoader.load(scratch.paths)) { error in
            let failure = error as? Failure
            XCTAssertEqual(failure?.status, .config)
            XCTAssertEqual(failure?.message.hasPrefix("\(main):2: unknown key 'foo'"), true)
            XCTAssertEqual(failure?.message.hasSuffix("(and 1 more problem)"), true)
        }
    }

    func testMainFileIsAFolder() {
        let scratch = ConfigScratch()
        let main = scratch.mkdir("ipvstune.conf")
        XCTAssertEqual(ConfigLoader.check(scratch.paths).problems.map(\.description),
                       ["\(main): is a folder, not a config file: move it away (drop-ins go in files ending in .conf)"])
    }

    func testDropInThatIsAFolder() {
        let scratch = ConfigScratch()
        scratch.mkdir("ipvstune.d")
        let folder = scratch.mkdir("ipvstune.d/old.conf")
        XCTAssertEqual(ConfigLoader.check(scratch.paths).problems.map(\.path), [folder])
    }

    func testDropInFolderThatIsAFile() {
        let scratch = ConfigScratch()
        let file = scratch.write("ipvstune.d", "tcp = 1\n")
        XCTAssertEqual(ConfigLoader.check(scratch.paths).problems.map(\.description),
                       ["\(file): is not a folder: drop-ins go in a folder of files ending in .conf; move it away"])
    }

    func testFIFOIsRefusedWithoutHanging() {
        let scratch = ConfigScratch()
        XCTAssertEqual(mkfifo(scratch.paths.main, 0o644), 0)
        XCTAssertEqual(ConfigLoader.check(scratch.paths).problems.map(\.description),
                       ["\(scratch.paths.main): is not a regular file (a device, FIFO or socket): replace it with a text file or remove it"])
    }

    func testDanglingSymlinkIsAProblemNotAMissingFile() {
        let scratch = ConfigScratch()
        scratch.link("ipvstune.conf", to: scratch.at("gone.conf"))
        XCTAssertEqual(ConfigLoader.check(scratch.paths).problems.map(\.description),
                       ["\(scratch.paths.main): is a symbolic link to \(scratch.at("gone.conf")), which does not exist: fix the link or remove it"])
    }

    func testSymlinkedMainFileIsRead() throws {
        let scratch = ConfigScratch()
        scratch.write("real.conf", "tcp = 42\n")
        scratch.link("ipvstune.conf", to: "real.conf")
        let config = try XCTUnwrap(ConfigLoader.load(scratch.paths))
        XCTAssertEqual(config.timeouts[.tcp]?.location, ConfigLocation(path: scratch.paths.main, line: 1))
    }

    func testTooLargeFile() {
        let scratch = ConfigScratch()
        scratch.write("ipvstune.conf", String(repeating: "# padding padding padding\n", count: 50_000))
        XCTAssertEqual(ConfigLoader.check(scratch.paths).problems.map(\.description),
                       ["\(scratch.paths.main): is larger than 1024 KiB, too large for a config file: is this the right file?"])
    }

    func testBinaryDropIn() {
        let scratch = ConfigScratch()
        scratch.mkdir("ipvstune.d")
        let dropIn = scratch.write("ipvstune.d/x.conf", bytes: [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x0A, 0xFF])
        XCTAssertEqual(ConfigLoader.check(scratch.paths).problems.map { "\($0.path):\($0.line ?? 0)" }, ["\(dropIn):1"])
    }

    func testUnreadableMessage() {
        // Tests run as root, which reads any file: the message is checked directly.
        XCTAssertEqual(ConfigFileReader.unreadable("/etc/ipvstune.conf", errno: EACCES).description,
                       "/etc/ipvstune.conf: cannot read: permission denied: run as root, or make it readable (chmod 644)")
        XCTAssertEqual(ConfigFileReader.unreadable("/etc/ipvstune.conf", errno: EIO).description,
                       "/etc/ipvstune.conf: cannot read: I/O error: check the disk (dmesg)")
    }

    func testUnreadableWhenNotRoot() throws {
        try XCTSkipIf(geteuid() == 0, "root reads files of mode 0000")
        let scratch = ConfigScratch()
        scratch.write("ipvstune.conf", "tcp = 1\n", mode: 0)
        XCTAssertEqual(ConfigLoader.check(scratch.paths).problems.first?.message.hasPrefix("cannot read: permission denied"), true)
    }

    func testDropInNameThatIsNotUTF8() {
        let scratch = ConfigScratch()
        scratch.mkdir("ipvstune.d")
        let name: [UInt8] = Array(scratch.at("ipvstune.d/").utf8) + [0xFF] + Array(".conf".utf8)
        var cString = name.map { CChar(bitPattern: $0) } + [0]
        let created = open(&cString, O_WRONLY | O_CREAT, 0o644)
        XCTAssertGreaterThanOrEqual(created, 0)
        close(created)
        XCTAssertEqual(ConfigLoader.check(scratch.paths).problems.first?.message, "the file name is not valid UTF-8: rename the drop-in")
    }
}
