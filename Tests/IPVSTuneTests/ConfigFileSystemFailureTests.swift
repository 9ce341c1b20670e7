@testable import IPVSTune
import IPVSTuneTestSupport
import XCTest

import Glibc

/// Real EROFS and ENOSPC: a thread of its own moves into a private mount namespace and mounts a
/// small tmpfs over a scratch folder; the mounts vanish with the thread and nobody else sees them.
/// Skipped where mounting is not allowed (not root, or no CAP_SYS_ADMIN in a container).
final class ConfigFileSystemFailureTests: XCTestCase {
    func testReadOnlyFileSystem() throws {
        let scratch = ConfigScratch()
        let folder = scratch.mkdir("ro")
        let path = folder + "/ipvstune.conf"
        let outcome = OutcomeBox()
        try inPrivateMountNamespace {
            if let code = mountTmpfs(folder, options: "size=64k") { return code }
            ConfigScratchFile.write(path, "# kept\ntcp = 1\n")
            guard mount("none", folder, nil, UInt(MS_REMOUNT | MS_RDONLY), nil) == 0 else { return errno }
            outcome.save(to: path)
            outcome.kept = ConfigScratchFile.read(path)
            return nil
        }
        XCTAssertEqual(outcome.kept, "# kept\ntcp = 1\n")
        XCTAssertEqual(outcome.failure?.status, .osError)
        XCTAssertEqual(outcome.failure?.errno, EROFS)
        XCTAssertEqual(outcome.failure?.message, "cannot save \(path): cannot create a temporary file in \(folder): the file system is read-only: remount it read-write, or save on a writable file system; nothing was changed")
    }

    func testFullFileSystem() throws {
        let scratch = ConfigScratch()
        let folder = scratch.mkdir("full")
        let path = folder + "/ipvstune.conf"
        let outcome = OutcomeBox()
        try inPrivateMountNamespace {
            if let code = mountTmpfs(folder, options: "size=16k") { return code }
            ConfigScratchFile.write(path, "# kept\ntcp = 1\n")
            ConfigScratchFile.fill(folder + "/filler")
            outcome.save(to: path)
            outcome.kept = ConfigScratchFile.read(path)
            outcome.names = ConfigScratchFile.names(folder)
            return nil
        }
        XCTAssertEqual(outcome.kept, "# kept\ntcp = 1\n")
        XCTAssertEqual(outcome.names, ["filler", "ipvstune.conf"], "the temporary file is removed")
        XCTAssertEqual(outcome.failure?.status, .osError)
        XCTAssertEqual(outcome.failure?.errno, ENOSPC)
        XCTAssertEqual(outcome.failure?.message, "cannot save \(path): cannot write the new file: no space left on the device: free some space and save again; nothing was changed")
    }
}

/// What the namespace thread saw, read by the test after the thread has ended.
private final class OutcomeBox: @unchecked Sendable {
    var failure: Failure?
    var kept: String?
    var names: [String] = []

    func save(to path: String) {
        do {
            _ = try ConfigSaver.save(Timeouts(tcp: 7200, tcpfin: 120, udp: 300), to: path)
        } catch {
            failure = error
        }
    }
}

/// nil on success, else the errno.
private func mountTmpfs(_ folder: String, options: String) -> Int32? {
    guard mount("none", "/", nil, UInt(MS_REC | MS_PRIVATE), nil) == 0 else { return errno }
    guard mount("tmpfs", folder, "tmpfs", 0, options) == 0 else { return errno }
    return nil
}

/// Glibc's module hides unshare(2) (it needs _GNU_SOURCE), so it is looked up at run time.
private func unshareMountNamespace() -> Int32 {
    let cloneNewNS: Int32 = 0x0002_0000
    guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "unshare") else { return ENOSYS }
    let unshare = unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    return unshare(cloneNewNS) == 0 ? 0 : errno
}

private final class ThreadJob: @unchecked Sendable {
    let body: () -> Int32?
    var error: Int32?
    init(_ body: @escaping () -> Int32?) { self.body = body }
}

/// Runs `body` on a new thread that has unshared its mount namespace, and waits for it. `body`
/// returns an errno when it cannot set up its mounts; the test is then skipped.
private func inPrivateMountNamespace(_ body: @escaping () -> Int32?) throws {
    let job = ThreadJob(body)
    var thread = pthread_t()
    let started = pthread_create(&thread, nil, { context in
        let job = Unmanaged<ThreadJob>.fromOpaque(context!).takeUnretainedValue()
        let code = unshareMountNamespace()
        job.error = code != 0 ? code : job.body()
        return nil
    }, Unmanaged.passUnretained(job).toOpaque())
    guard started == 0 else { throw XCTSkip("pthread_create: \(started)") }
    pthread_join(thread, nil)
    if let code = job.error {
        throw XCTSkip("cannot mount a private tmpfs here: \(Failure.describe(errno: code))")
    }
}

/// File helpers that take full paths, for use inside the namespace thread.
enum ConfigScratchFile {
    static func write(_ path: String, _ text: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "open \(path): \(errno)")
        var text = text
        text.withUTF8 { _ = Glibc.write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    /// Writes until the file system is full.
    static func fill(_ path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "open \(path): \(errno)")
        let block = [UInt8](repeating: 0x23, count: 1024)
        while block.withUnsafeBytes({ Glibc.write(fd, $0.baseAddress, $0.count) }) > 0 {}
        close(fd)
    }

    static func read(_ path: String) -> String? {
        guard case .bytes(let bytes)? = try? ConfigFileReader.read(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func names(_ folder: String) -> [String] {
        POSIX.directoryNames(folder)
    }
}
