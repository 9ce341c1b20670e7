/// Linux 7.x caps the connection entries of a network namespace at net.ipv4.vs.conn_max
/// (2^30 by default on 64-bit; a new namespace starts from the host's value): at the cap the
/// kernel creates no entry, so a new connection through IPVS is dropped. Idle connections keep
/// their entries for the tcp timeout, so the longer that timeout, the sooner the cap is reached.
/// Older kernels have no such sysctl and no cap but memory: nothing to check there.
///
/// The other sysctls 7.x adds, conn_lfactor and svc_lfactor, size the resizable hash tables
/// (memory against lookup time); the kernel refuses values outside -8...8, and no value of
/// theirs makes IPVS forget or refuse a connection, so doctor does not judge them.
struct ConnLimit: Equatable, Sendable {
    /// net.ipv4.vs.conn_max.
    var max: UInt32
    /// Entries now (`Conns:` of /proc/net/ip_vs_status); nil when that could not be read.
    var entries: UInt32?
    /// Why `entries` is nil.
    var problem: String?

    /// The namespace of the calling thread's limit and entries; nil when the kernel has no
    /// conn_max (before 7.x).
    static func read(procSys: String, proc: String) -> ConnLimit? {
        guard case .success(let max) = SystemFiles.number("\(procSys)/net/ipv4/vs/conn_max") else { return nil }
        let status = "\(proc)/thread-self/net/ip_vs_status"
        switch SystemFiles.text(status) {
        case .success(let text):
            guard let entries = entryCount(text) else {
                return ConnLimit(max: max, entries: nil, problem: "\(status) has no Conns: line")
            }
            return ConnLimit(max: max, entries: entries)
        case .failure(let error):
            return ConnLimit(max: max, entries: nil, problem: "cannot read \(status): \(error)")
        }
    }

    /// The number on the `Conns:` line of /proc/net/ip_vs_status.
    static func entryCount(_ status: String) -> UInt32? {
        for line in status.split(separator: "\n") where line.hasPrefix("Conns:") {
            return UInt32(String(line.dropFirst("Conns:".count)).trimmingSpaces)
        }
        return nil
    }
}

/// conn-max: is there room in the connection table for new connections?
enum ConnMaxCheck {
    /// From here on the table is close enough to its cap to act before it fills.
    static let warnAt = 0.8
    /// The most conn_max can be on 64-bit (IP_VS_CONN_MAX).
    static let platformLimit: UInt32 = 1 << 30

    /// nil on kernels without conn_max.
    static func finding(_ observed: NamespaceObservation) -> DoctorFinding? {
        guard let limit = observed.connLimit else { return nil }
        let sysctl = "net.ipv4.vs.conn_max"
        guard let entries = limit.entries else {
            return DoctorFinding(.info, .connMax, "\(limit.problem ?? "cannot count the connection entries"): the entries were not compared with \(sysctl) (\(limit.max))")
        }
        let tcp = DoctorText.seconds(observed.timeouts.tcp)
        let fix = [raise(limit, entries: entries, in: observed.target)]
        if entries >= limit.max {
            return DoctorFinding(.error, .connMax,
                "the connection table is full: \(entries) entries, and \(sysctl) allows \(limit.max): IPVS drops every new connection until entries expire, and an idle TCP connection keeps its entry for the tcp timeout (\(tcp))",
                fixes: fix)
        }
        if Double(entries) >= Double(limit.max) * warnAt {
            let percent = Int(Double(entries) * 100 / Double(limit.max))
            return DoctorFinding(.warning, .connMax,
                "the connection table holds \(entries) entries, \(percent)% of the \(limit.max) that \(sysctl) allows: once it is full IPVS drops every new connection, and an idle TCP connection keeps its entry for the tcp timeout (\(tcp)), so a longer timeout fills it sooner",
                fixes: fix)
        }
        return DoctorFinding(.ok, .connMax, "\(entries) connection entries, below the \(limit.max) that \(sysctl) allows")
    }

    /// Twice what the table holds now (at least 1,048,576), within the platform's limit.
    static func raise(_ limit: ConnLimit, entries: UInt32, in target: NamespaceTarget) -> String {
        let value = Swift.min(Swift.max(UInt64(entries) * 2, 1 << 20, UInt64(limit.max) * 2), UInt64(platformLimit))
        var words = ["sysctl", "-w", "net.ipv4.vs.conn_max=\(value)"]
        if let path = target.path { words = ["nsenter", "--net=\(path)"] + words }
        return words.map(DoctorFix.shellQuoted).joined(separator: " ")
    }
}
