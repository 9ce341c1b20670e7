import Glibc

/// Refuses config that someone other than root could have changed, like sshd's StrictModes:
/// `apply` runs as root at boot, so a file others can write is a way to set root's timeouts.
///
/// Symlinks are followed: the file that is checked is the one that would be read, and the folder
/// of every link in the chain is checked too, because whoever can write that folder can swap the
/// link. Each file and folder must be owned by root and writable by neither group nor others.
enum ConfigSecurity {
    /// Problems with a config file (main or drop-in), the folder holding it, and the folders of
    /// its links. A missing file has none: there is nothing to trust or distrust.
    static func problems(file path: String, trustedOwner: uid_t = 0) -> [ConfigProblem] {
        let chain: [String]
        do {
            chain = try ConfigPathResolver.chain(path)
        } catch {
            return [ConfigFileReader.unreadable(path, errno: error.code)]
        }
        guard (try? ConfigSystem.fileStatus(chain.last!)) != nil else { return [] }
        var found = check(chain.last!, shownAs: path, trustedOwner: trustedOwner)
        var folders: [String] = []
        for link in chain where !folders.contains(ConfigSystem.directory(of: link)) {
            folders.append(ConfigSystem.directory(of: link))
        }
        for folder in folders { found += problems(directory: folder, trustedOwner: trustedOwner) }
        return found
    }

    /// Problems with a folder that holds config files or links to them.
    static func problems(directory path: String, trustedOwner: uid_t = 0) -> [ConfigProblem] {
        check(path, shownAs: path, trustedOwner: trustedOwner)
    }

    /// Throws (status .config) when the file, or a folder it depends on, is not safe to apply.
    static func require(file path: String, trustedOwner: uid_t = 0) throws(Failure) {
        let found = problems(file: path, trustedOwner: trustedOwner)
        if !found.isEmpty { throw Failure.config(found) }
    }

    /// `shown` is the name the operator knows; `path` the file actually checked (a link's target).
    private static func check(_ path: String, shownAs shown: String, trustedOwner: uid_t) -> [ConfigProblem] {
        let info: stat
        do {
            info = try ConfigSystem.fileStatus(path)
        } catch {
            if error.code == ENOENT { return [] }
            return [ConfigFileReader.unreadable(path, errno: error.code)]
        }
        let subject = path == shown ? "is" : "links to \(path), which is"
        let why = "ipvstune applies only config that nobody but root can change"
        var found: [ConfigProblem] = []
        if info.st_uid != trustedOwner {
            found.append(ConfigProblem(path: shown, "\(subject) owned by uid \(info.st_uid), not root: \(why); run 'chown root: \(path)'"))
        }
        let writers = [(mode_t(0o020), "group"), (mode_t(0o002), "others")].filter { info.st_mode & $0.0 != 0 }.map(\.1)
        if !writers.isEmpty {
            let mode = ConfigSystem.octal(info.st_mode)
            found.append(ConfigProblem(path: shown, "\(subject) writable by \(writers.joined(separator: " and ")) (mode \(mode)): \(why); run 'chmod go-w \(path)'"))
        }
        return found
    }
}
