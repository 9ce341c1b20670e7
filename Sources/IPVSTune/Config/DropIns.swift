import Glibc

/// Finds the drop-ins: `*.conf` in the drop-in folder, in byte order of their names (as sysctl.d
/// and systemd sort, independent of the locale), so `10-a.conf` comes before `9-b.conf`.
enum ConfigDropIns {
    /// Hidden files are skipped: editors' lock files such as `.#10-x.conf` end in .conf too.
    static func isDropIn(_ name: [UInt8]) -> Bool {
        let suffix = Array(ConfigPaths.dropInSuffix.utf8)
        return name.first != UInt8(ascii: ".") && name.count > suffix.count && name.suffix(suffix.count).elementsEqual(suffix)
    }

    /// The drop-ins' paths; an absent folder means no drop-ins.
    static func list(_ directory: String) throws(ConfigProblem) -> [String] {
        switch POSIX.directoryEntries(directory) {
        case .success(let names):
            return try names.filter(isDropIn).map { (name) throws(ConfigProblem) in try path(directory, name) }
        case .failure(let error) where error.code == ENOENT:
            return []
        case .failure(let error) where error.code == ENOTDIR:
            throw ConfigProblem(path: directory, "is not a folder: drop-ins go in a folder of files ending in .conf; move it away")
        case .failure(let error):
            throw ConfigFileReader.unreadable(directory, errno: error.code)
        }
    }

    /// A name that is not UTF-8 cannot be shown or opened faithfully through a String.
    private static func path(_ directory: String, _ name: [UInt8]) throws(ConfigProblem) -> String {
        guard let text = String(validating: name, as: UTF8.self) else {
            throw ConfigProblem(path: directory + "/" + String(decoding: name, as: UTF8.self),
                                "the file name is not valid UTF-8: rename the drop-in")
        }
        return directory + "/" + text
    }
}
