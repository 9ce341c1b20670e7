import Glibc

/// Refuses config that someone other than root could have changed, like sshd's StrictModes:
/// `apply` runs as root at boot, so a file others can write is a way to set root's timeouts.
///
/// Symlinks are followed: the file that is checked is the one that would be read. Every folder
/// above each link of the chain and above the file, up to `/`, is checked too, both as the path
/// names it and as the folders it really goes through (a folder reached through a symlink),
/// because whoever can write any of them can swap what is below. Files and folders must be owned
/// by root and writable by neither group nor others; a root-owned folder with the sticky bit
/// (like /tmp) is accepted, since nobody else can rename or replace root's entries there.
enum ConfigSecurity {
    /// Problems with a config file (main or drop-in) and every folder it depends on. A missing
    /// file has none: there is nothing to trust or distrust.
    static func problems(file path: String, trustedOwner: uid_t = 0) -> [ConfigProblem] {
        let chain: [String]
        do {
            chain = try ConfigPathResolver.chain(path)
        } catch {
            return [ConfigFileReader.unreadable(path, errno: error.code)]
        }
        guard (try? ConfigSystem.fileStatus(chain.last!)) != nil else { return [] }
        var found = check(chain.last!, shownAs: path, trustedOwner: trustedOwner, isFolder: false)
        var checked: Set<FileIdentity> = []
        for link in chain {
            found += folderProblems(above: ConfigSystem.directory(of: link), trustedOwner: trustedOwner, checked: &checked)
        }
        return found
    }

    /// Problems with a folder that holds config files or links to them, and every folder above it.
    static func problems(directory path: String, trustedOwner: uid_t = 0) -> [ConfigProblem] {
        var checked: Set<FileIdentity> = []
        return folderProblems(above: path, trustedOwner: trustedOwner, checked: &checked)
    }

    /// Throws (status .config) when the file, or a folder it depends on, is not safe to apply.
    static func require(file path: String, trustedOwner: uid_t = 0) throws(Failure) {
        let found = problems(file: path, trustedOwner: trustedOwner)
        if !found.isEmpty { throw Failure.config(found) }
    }

    /// `folder` and each folder above it up to `/`, as named and as resolved; each folder once
    /// (by identity), under the first name found. A named folder that is a symlink is checked
    /// as its target.
    private static func folderProblems(above folder: String, trustedOwner: uid_t, checked: inout Set<FileIdentity>) -> [ConfigProblem] {
        var found: [ConfigProblem] = []
        for named in ancestors(folder) {
            guard let identity = FileIdentity(named), checked.insert(identity).inserted else { continue }
            let isLink = (try? ConfigSystem.fileStatus(named, followLinks: false)).map { ConfigSystem.isKind($0, S_IFLNK) } ?? false
            let target = isLink ? realPath(named) ?? named : named
            found += check(target, shownAs: named, trustedOwner: trustedOwner, isFolder: true)
        }
        guard let real = realPath(folder) else { return found }
        for resolved in ancestors(real) {
            guard let identity = FileIdentity(resolved), checked.insert(identity).inserted else { continue }
            found += check(resolved, shownAs: resolved, trustedOwner: trustedOwner, isFolder: true, through: folder)
        }
        return found
    }

    /// `/etc/ipvstune.d` gives `/etc/ipvstune.d`, `/etc`, `/`; a relative path is made absolute.
    static func ancestors(_ folder: String) -> [String] {
        var current = folder.hasPrefix("/") ? folder : (currentDirectory() ?? "") + "/" + folder
        while current.count > 1 && current.hasSuffix("/") { current.removeLast() }
        var all = [current]
        while current != "/" {
            current = ConfigSystem.directory(of: current)
            all.append(current)
        }
        return all
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private static func currentDirectory() -> String? {
        guard let cwd = getcwd(nil, 0) else { return nil }
        defer { free(cwd) }
        return String(cString: cwd)
    }

    /// `shown` is the name the operator knows; `path` the file actually checked (a link's
    /// target); `through`, a folder the config is read through that resolves to below `path`.
    private static func check(_ path: String, shownAs shown: String, trustedOwner: uid_t, isFolder: Bool,
                              through: String? = nil) -> [ConfigProblem] {
        let info: stat
        do {
            info = try ConfigSystem.fileStatus(path)
        } catch {
            if error.code == ENOENT { return [] }
            return [ConfigFileReader.unreadable(path, errno: error.code)]
        }
        var subject = path == shown ? "is" : "links to \(path), which is"
        if let through { subject = "holds \(through) through a symlink, and \(subject)" }
        let why = "ipvstune applies only config that nobody but root can change"
        var found: [ConfigProblem] = []
        // Folders may also belong to root when the tests trust another user for their own files.
        if info.st_uid != trustedOwner && !(isFolder && info.st_uid == 0) {
            found.append(ConfigProblem(path: shown, "\(subject) owned by uid \(info.st_uid), not root: \(why); run 'chown root: \(path)'"))
        }
        // Nobody can rename or replace root's entries in a root-owned sticky folder.
        if isFolder && info.st_uid == 0 && info.st_mode & S_ISVTX != 0 { return found }
        let writers = [(mode_t(0o020), "group"), (mode_t(0o002), "others")].filter { info.st_mode & $0.0 != 0 }.map(\.1)
        if !writers.isEmpty {
            let mode = ConfigSystem.octal(info.st_mode)
            found.append(ConfigProblem(path: shown, "\(subject) writable by \(writers.joined(separator: " and ")) (mode \(mode)): \(why); run 'chmod go-w \(path)'"))
        }
        return found
    }
}
