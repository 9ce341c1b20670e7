import CIPVS

import Glibc

/// Visits namespaces one after the other in this one process, coming back in between.
public final class NamespaceVisitor {
    private let home: Int32

    public init() throws(Failure) {
        home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)
        guard home >= 0 else {
            throw Failure("cannot open /proc/self/ns/net: \(Failure.describe(errno: errno))", status: .osError, errno: errno)
        }
    }

    deinit { close(home) }

    /// Runs `body` inside the target and returns to the starting namespace, whatever happens.
    public func visit<T>(_ target: NamespaceTarget, _ body: () throws(Failure) -> T) -> Result<T, Failure> {
        guard let path = target.path else { return Result { () throws(Failure) -> T in try body() } }
        do {
            try NetworkNamespace(path).enter()
        } catch {
            return .failure(error)
        }
        defer {
            // Coming back cannot fail for a descriptor we opened ourselves, short of a kernel bug.
            if cipvs_enter_netns_fd(home) != 0 { fatalError("cannot return to the starting network namespace") }
        }
        return Result { () throws(Failure) -> T in try body() }
    }
}
