@testable import IPVSTune
import IPVSTuneTestSupport
import Dispatch
import XCTest

import Glibc

final class ConfigSaverTests: XCTestCase {
    let values = Timeouts(tcp: 7200, tcpfin: 120, udp: 300)

    func testCreatesANewFileWithHeaderMode0644() throws {
        let scratch = ConfigScratch()
        let path = scratch.at("ipvstune.conf")
        let outcome = try ConfigSaver.save(values, to: path)
        XCTAssertEqual(outcome, ConfigSaveOutcome(path: path, target: path, changed: true, created: true))
        XCTAssertEqual(scratch.read("ipvstune.conf"), ConfigSaver.newFileHeader + "\ntcp = 7200\ntcpfin = 120\nudp = 300\n")
        let info = scratch.status("ipvstune.conf")
        XCTAssertEqual(info.st_mode & 0o7777, 0o644)
        XCTAssertEqual(info.st_uid, geteuid())
        XCTAssertEqual(scratch.names(), ["ipvstune.conf"], "no temporary or lock file is left")
        XCTAssertEqual(try ConfigLoader.load(scratch.paths)?.update, TimeoutUpdate(tcp: 7200, tcpfin: 120, udp: 300))
    }

    func testKeepsCommentsModeAndOwner() throws {
        let scratch = ConfigScratch()
        let path = scratch.write("ipvstune.conf", "# director\ntcp = 2h\n", mode: 0o640)
        if geteuid() == 0 { XCTAssertEqual(chown(path, 1000, 1001), 0) }
        let before = scratch.status("ipvstune.conf")
        let outcome = try ConfigSaver.save(Timeouts(tcp: 3600, tcpfin: 120, udp: 300), to: path)
        XCTAssertTrue(outcome.changed)
        XCTAssertFalse(outcome.created)
        XCTAssertEqual(scratch.read("ipvstune.conf"), "# director\ntcp = 1h\ntcpfin = 120\nudp = 300\n")
        let after = scratch.status("ipvstune.conf")
        XCTAssertEqual(after.st_mode & 0o7777, 0o640)
        XCTAssertEqual(after.st_uid, before.st_uid)
        XCTAssertEqual(after.st_gid, before.st_gid)
        XCTAssertNotEqual(after.st_ino, before.st_ino, "replaced by rename, not rewritten in place")
    }

    func testUnchangedFileIsNotRewritten() throws {
        let scratch = ConfigScratch()
        let path = scratch.write("ipvstune.conf", "tcp = 2h\ntcpfin = 2m\nudp = 5m\n")
        let before = scratch.status("ipvstune.conf")
        let outcome = try ConfigSaver.save(values, to: path)
        XCTAssertEqual(outcome, ConfigSaveOutcome(path: path, target: path, changed: false, created: false))
        XCTAssertEqual(scratch.status("ipvstune.conf").st_ino, before.st_ino)
    }

    func testWritesThroughSymlinkChains() throws {
        let scratch = ConfigScratch()
        scratch.mkdir("real")
        let real = scratch.write("real/ipvstune.conf", "# real\ntcp = 1\n", mode: 0o600)
        scratch.link("middle.conf", to: "real/ipvstune.conf")
        let link = scratch.link("ipvstune.conf", to: scratch.at("middle.conf"))
        let outcome = try ConfigSaver.save(values, to: link)
        XCTAssertEqual(outcome.target, scratch.at("real/ipvstune.conf"))
        XCTAssertEqual(try POSIX.readLink(link).get(), scratch.at("middle.conf"), "the link itself stays")
        XCTAssertEqual(scratch.read("real/ipvstune.conf"), "# real\ntcp = 7200\ntcpfin = 120\nudp = 300\n")
        XCTAssertEqual(scratch.status("real/ipvstune.conf").st_mode & 0o7777, 0o600)
        XCTAssertEqual(real, outcome.target)
    }

    func testDanglingSymlinkCreatesItsTarget() throws {
        let scratch = ConfigScratch()
        let link = scratch.link("ipvstune.conf", to: "new.conf")
        let outcome = try ConfigSaver.save(values, to: link)
        XCTAssertTrue(outcome.created)
        XCTAssertEqual(outcome.target, scratch.at("new.conf"))
        XCTAssertEqual(try ConfigLoader.load(scratch.paths)?.update.tcp, 7200)
    }

    func testSymlinkLoop() {
        let scratch = ConfigScratch()
        scratch.link("a.conf", to: "b.conf")
        let link = scratch.link("b.conf", to: "a.conf")
        XCTAssertThrowsError(try ConfigSaver.save(values, to: link)) { error in
            XCTAssertEqual((error as? Failure)?.status, .osError)
            XCTAssertEqual((error as? Failure)?.errno, ELOOP)
        }
    }

    func testMissingFolderFails() {
        let scratch = ConfigScratch()
        let path = scratch.at("no/such/ipvstune.conf")
        XCTAssertThrowsError(try ConfigSaver.save(values, to: path)) { error in
            let failure = error as? Failure
            XCTAssertEqual(failure?.status, .osError)
            XCTAssertEqual(failure?.errno, ENOENT)
            XCTAssertEqual(failure?.message, "cannot save \(path): cannot open folder \(scratch.at("no/such")): the folder does not exist: create it first; nothing was changed")
        }
        XCTAssertEqual(scratch.names(), [])
    }

    func testTargetThatIsAFolderFailsAndStays() {
        let scratch = ConfigScratch()
        let path = scratch.mkdir("ipvstune.conf")
        XCTAssertThrowsError(try ConfigSaver.save(values, to: path)) { error in
            XCTAssertEqual((error as? Failure)?.status, .config)
        }
        XCTAssertThrowsError(try ConfigAtomicWriter.write("tcp = 1\n", to: path)) { error in
            XCTAssertEqual((error as? Failure)?.status, .osError)
            XCTAssertEqual((error as? Failure)?.errno, EISDIR)
        }
        XCTAssertEqual(scratch.names(), ["ipvstune.conf"])
    }

    func testBrokenExistingFileIsRefusedAndKept() {
        let scratch = ConfigScratch()
        let path = scratch.write("ipvstune.conf", "tcp = 1\nTCP = 2\n")
        XCTAssertThrowsError(try ConfigSaver.save(values, to: path)) { error in
            XCTAssertEqual((error as? Failure)?.status, .config)
            XCTAssertEqual((error as? Failure)?.message.contains("\(path):2: unknown key 'TCP'"), true)
        }
        XCTAssertEqual(scratch.read("ipvstune.conf"), "tcp = 1\nTCP = 2\n")
    }

    /// A write that fails half-way (here the file size limit, EFBIG, standing in for a full disk)
    /// removes the temporary file and leaves the old file as it was.
    func testFailedWriteLeavesTheOldFileIntact() throws {
        let scratch = ConfigScratch()
        let old = "# " + String(repeating: "long comment ", count: 20) + "\ntcp = 1\n"
        let path = scratch.write("ipvstune.conf", old)
        let fileSize = __rlimit_resource_t(RLIMIT_FSIZE.rawValue)
        var limit = rlimit()
        XCTAssertEqual(getrlimit(fileSize, &limit), 0)
        let previousHandler = signal(SIGXFSZ, SIG_IGN)
        var small = limit
        small.rlim_cur = 64
        XCTAssertEqual(setrlimit(fileSize, &small), 0)
        defer {
            setrlimit(fileSize, &limit)
            signal(SIGXFSZ, previousHandler)
        }
        XCTAssertThrowsError(try ConfigSaver.save(values, to: path)) { error in
            let failure = error as? Failure
            XCTAssertEqual(failure?.status, .osError)
            XCTAssertEqual(failure?.errno, EFBIG)
            XCTAssertEqual(failure?.message, "cannot save \(path): cannot write the new file: file too large for this process (ulimit -f): raise the limit and save again; nothing was changed")
        }
        setrlimit(fileSize, &limit)
        XCTAssertEqual(scratch.read("ipvstune.conf"), old)
        XCTAssertEqual(scratch.names(), ["ipvstune.conf"], "the temporary file is removed")
    }

    func testWriteFailureMessages() {
        XCTAssertEqual(Failure.configWrite("/etc/ipvstune.conf", "cannot create a temporary file in /etc", errno: EROFS).message,
                       "cannot save /etc/ipvstune.conf: cannot create a temporary file in /etc: the file system is read-only: remount it read-write, or save on a writable file system; nothing was changed")
        XCTAssertEqual(Failure.configWrite("/etc/ipvstune.conf", "cannot write the new file", errno: ENOSPC).message,
                       "cannot save /etc/ipvstune.conf: cannot write the new file: no space left on the device: free some space and save again; nothing was changed")
        XCTAssertEqual(Failure.configWrite("/etc/ipvstune.conf", "x", errno: EACCES).status, .osError)
    }

    func testNonRootCannotSaveIntoRootsFolder() throws {
        try XCTSkipIf(geteuid() == 0, "root writes anywhere")
        XCTAssertThrowsError(try ConfigSaver.save(values, to: "/etc/ipvstune-test.conf")) { error in
            XCTAssertEqual((error as? Failure)?.errno, EACCES)
        }
    }

    func testAtomicWriterWritesExactText() throws {
        let scratch = ConfigScratch()
        let path = scratch.at("x.conf")
        try ConfigAtomicWriter.write("anything\r\n", to: path)
        XCTAssertEqual(scratch.read("x.conf"), "anything\r\n")
        try ConfigAtomicWriter.write("", to: path)
        XCTAssertEqual(scratch.read("x.conf"), "")
    }

    /// Saves wait for the folder lock; a save started while another holds it finishes after.
    func testSaveWaitsForTheLock() throws {
        let scratch = ConfigScratch()
        let path = scratch.at("ipvstune.conf")
        var lock: ConfigFolderLock? = try ConfigFolderLock(scratch.path, for: path)
        let done = DispatchSemaphore(value: 0)
        let values = self.values
        DispatchQueue.global().async {
            _ = try? ConfigSaver.save(values, to: path)
            done.signal()
        }
        XCTAssertEqual(done.wait(timeout: .now() + .milliseconds(300)), .timedOut, "the save must wait")
        XCTAssertNil(scratch.read("ipvstune.conf"))
        lock = nil
        XCTAssertNil(lock)
        XCTAssertEqual(done.wait(timeout: .now() + .seconds(10)), .success)
        XCTAssertEqual(try ConfigLoader.load(scratch.paths)?.update.tcp, 7200)
    }

    /// Two threads saving different values over and over end with one complete file.
    func testConcurrentSavesEndWithOneCompleteFile() throws {
        let scratch = ConfigScratch()
        let path = scratch.write("ipvstune.conf", "# shared\n; keep me\n")
        let choices = [Timeouts(tcp: 111, tcpfin: 222, udp: 333), Timeouts(tcp: 4444, tcpfin: 5555, udp: 6666)]
        let failures = FailureBox()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            for round in 0..<30 {
                let value = choices[(index + round) % 2]
                do {
                    _ = try ConfigSaver.save(value, to: path)
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        XCTAssertEqual(failures.all, [])
        let text = try XCTUnwrap(scratch.read("ipvstune.conf"))
        let update = try XCTUnwrap(ConfigLoader.load(scratch.paths)).update
        XCTAssertTrue(choices.map { TimeoutUpdate(tcp: $0.tcp, tcpfin: $0.tcpfin, udp: $0.udp) }.contains(update), text)
        XCTAssertTrue(text.hasPrefix("# shared\n; keep me\n\ntcp = "), text)
        XCTAssertEqual(text.split(separator: "\n").count, 5, text)
        XCTAssertEqual(scratch.names(), ["ipvstune.conf"])
    }
}

private final class FailureBox: @unchecked Sendable {
    private var items: [String] = []
    private let lock = DispatchSemaphore(value: 1)

    func add(_ item: String) {
        lock.wait()
        items.append(item)
        lock.signal()
    }

    var all: [String] {
        lock.wait()
        defer { lock.signal() }
        return items
    }
}
