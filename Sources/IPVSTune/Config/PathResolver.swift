import Glibc

/// Follows a symlink chain by hand (not realpath) because the last target may not exist yet:
/// `save` must be able to create the file a dangling `/etc/ipvstune.conf` link points to.
enum ConfigPathResolver {
    /// As the kernel's own limit on nested links.
    static let maximumLinks = 40

    /// The path itself, then each link target in turn; the last element is not a symlink
    /// (it is the real file, or nothing yet). Relative targets are taken from the link's folder.
    static func chain(_ path: String) throws(SystemError) -> [String] {
        var chain = [path]
        while true {
            let current = chain[chain.count - 1]
            let info: stat
            do {
                info = try ConfigSystem.fileStatus(current, followLinks: false)
            } catch {
                guard error.code == ENOENT else { throw error }
                return chain
            }
            guard ConfigSystem.isKind(info, S_IFLNK) else { return chain }
            guard chain.count <= maximumLinks else { throw SystemError(ELOOP) }
            let target = try POSIX.readLink(current).get()
            chain.append(target.hasPrefix("/") ? target : ConfigSystem.directory(of: current) + "/" + target)
        }
    }

    /// The file a write to `path` must replace: the end of its symlink chain.
    static func target(_ path: String) throws(SystemError) -> String {
        try chain(path).last!
    }
}
