/// keepalived's version: what it does with `lvs_timeouts` changed in 2.1.4.
struct KeepalivedVersion: Comparable, Sendable, CustomStringConvertible {
    var parts: [Int]

    init(_ parts: Int...) { self.parts = parts }
    init(parts: [Int]) { self.parts = parts }

    /// From 2.1.4 the checker process applies lvs_timeouts, and only it: it runs only when a
    /// virtual_server is configured. Before, the VRRP process did, and only with lvs_sync_daemon.
    static let checkerApplies = KeepalivedVersion(2, 1, 4)

    var checkerApplies: Bool { self >= Self.checkerApplies }

    var description: String { parts.map(String.init).joined(separator: ".") }

    static func < (lhs: KeepalivedVersion, rhs: KeepalivedVersion) -> Bool {
        for index in 0..<max(lhs.parts.count, rhs.parts.count) {
            let left = index < lhs.parts.count ? lhs.parts[index] : 0
            let right = index < rhs.parts.count ? rhs.parts[index] : 0
            if left != right { return left < right }
        }
        return false
    }

    static func == (lhs: KeepalivedVersion, rhs: KeepalivedVersion) -> Bool { !(lhs < rhs) && !(rhs < lhs) }

    /// `2.2.7`, and the leading numbers of anything after it: `2.3.3-1`, `2.0.19~rc1`.
    init?(_ text: some StringProtocol) {
        var parts: [Int] = []
        var digits = ""
        for character in text {
            if character.isASCII && character.isNumber {
                digits.append(character)
            } else {
                guard let value = Int(digits) else { break }
                parts.append(value)
                digits = ""
                if character != "." { break }
            }
        }
        if let value = Int(digits) { parts.append(value) }
        guard parts.count >= 2 else { return nil }
        self.parts = parts
    }

    /// The first line of `keepalived --version`: `Keepalived v2.2.7 (01/16,2022)`.
    static func banner(_ text: String) -> KeepalivedVersion? {
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count >= 2, words[0] == "Keepalived", words[1].hasPrefix("v") else { continue }
            return KeepalivedVersion(words[1].dropFirst())
        }
        return nil
    }

    /// keepalived's `Version:` in dpkg's status file when it is installed: `1:2.2.7-1+b2`.
    static func dpkgStatus(_ text: String) -> KeepalivedVersion? {
        for stanza in text.split(separator: "\n\n", omittingEmptySubsequences: true) {
            var package: Substring?, status: Substring?, version: Substring?
            for line in stanza.split(separator: "\n") {
                if line.hasPrefix("Package: ") { package = line.dropFirst(9) }
                if line.hasPrefix("Status: ") { status = line.dropFirst(8) }
                if line.hasPrefix("Version: ") { version = line.dropFirst(9) }
            }
            guard package == "keepalived", status?.hasSuffix(" installed") == true, var version else { continue }
            if let epoch = version.firstIndex(of: ":") { version = version[version.index(after: epoch)...] }
            return KeepalivedVersion(version)
        }
        return nil
    }
}

/// What a keepalived of this version does with `lvs_timeouts`, in doctor's words. An unknown
/// version is judged by the rules of 2.1.4 and later (Debian 11 and every release since).
struct KeepalivedRules {
    var version: KeepalivedVersion?

    init(_ version: KeepalivedVersion?) { self.version = version }

    private var checker: Bool { version?.checkerApplies ?? true }

    private var who: String {
        guard let version else { return "keepalived (version unknown: no dpkg record, no keepalived --version; judged as 2.1.4 or later)" }
        return "keepalived \(version)"
    }

    /// Who applies lvs_timeouts, and when.
    var applies: String {
        checker
            ? "\(who) applies lvs_timeouts from its checker process, which runs only when at least one virtual_server is configured (lvs_sync_daemon plays no part since 2.1.4)"
            : "\(who) applies lvs_timeouts from its VRRP process, and only when lvs_sync_daemon is configured (before 2.1.4)"
    }

    /// What the file lacks for this version to apply lvs_timeouts at all; nil when it has it
    /// (or an include might hold it).
    func missing(_ config: KeepalivedConfig) -> String? {
        guard config.includes.isEmpty else { return nil }
        if checker { return config.hasVirtualServer ? nil : "configures no virtual_server" }
        return config.syncDaemon ? nil : "configures no lvs_sync_daemon"
    }

    /// When keepalived sets its values and when it puts the old ones back.
    var lifecycle: String {
        checker
            ? "\(who) sets lvs_timeouts when its checker starts, records the values it found the first time, puts them back when it stops and before each reload, and sets its own again after the reload (a SIGKILL skips the restore)"
            : "\(who) sets lvs_timeouts when its VRRP process starts"
    }
}
