/// Whether systemd would run ipvstune.service at boot, judged from the files alone, so doctor
/// needs neither systemctl nor a running systemd.
enum BootUnitState: Equatable, Sendable {
    /// A `*.target.wants/ipvstune.service` link exists.
    case enabled(link: String)
    /// The unit file is a link to /dev/null: systemd never starts it.
    case masked(path: String)
    /// A wants link exists, but neither it nor any unit folder leads to the unit file.
    case dangling(link: String)
    /// Installed, not enabled.
    case disabled(unit: String)
    case notInstalled
}

enum BootUnit {
    static let name = "ipvstune.service"

    /// Where units and their wants links live, most specific first.
    static let directories = ["/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system",
                                     "/usr/lib/systemd/system", "/lib/systemd/system"]

    static func state(directories: [String] = directories) -> BootUnitState {
        let units = directories.map { "\($0)/\(name)" }
        if let masked = units.first(where: { SystemFiles.readLink($0) == "/dev/null" }) {
            return .masked(path: masked)
        }
        let installed = units.first { SystemFiles.exists($0) }
        // systemd loads a wanted unit by its name, so a link whose target moved still works
        // while the unit is installed somewhere.
        let links = directories.flatMap { SystemFiles.glob("\($0)/*.target.wants/\(name)") }
        if let link = links.first(where: { SystemFiles.exists($0) || installed != nil }) { return .enabled(link: link) }
        if let link = links.first { return .dangling(link: link) }
        if let installed { return .disabled(unit: installed) }
        return .notInstalled
    }
}
