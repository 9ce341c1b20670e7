/// Where the persistent settings live: one main file and a folder of drop-ins, as sysctl.d does.
public struct ConfigPaths: Equatable, Sendable {
    public var main: String
    var dropInDirectory: String

    public init(main: String, dropInDirectory: String) {
        self.main = main
        self.dropInDirectory = dropInDirectory
    }

    public static let system = ConfigPaths(main: "/etc/ipvstune.conf", dropInDirectory: "/etc/ipvstune.d")

    /// Only files with this suffix are drop-ins, so editors' backups and `.rpmsave` files are ignored.
    static let dropInSuffix = ".conf"

    /// How messages name the drop-ins as a whole.
    var dropInPattern: String { "\(dropInDirectory)/*\(Self.dropInSuffix)" }
}
