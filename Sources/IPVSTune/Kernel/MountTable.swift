import Glibc

/// A network namespace bind-mounted on a file: an `nsfs` mount whose root is `net:[INODE]`.
struct NamespaceMount: Equatable, Hashable, Sendable {
    var path: String
    /// The namespace's inode number: the same for every file the namespace is mounted on.
    var inode: UInt64
}

/// Reads /proc/self/mountinfo for the namespaces mounted in the folders ipvstune follows.
///
/// A line is `ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS`
/// (proc(5)); the mount point escapes space, tab, newline and backslash as `\040`-style octal.
enum MountTable {
    /// Every network namespace mounted directly in one of `folders`, in path order, named under
    /// the folder as given (the table shows resolved paths: /var/run/docker/netns/X appears as
    /// /run/docker/netns/X). For a path mounted over more than once, the topmost (last) mount,
    /// which is what opening it finds.
    static func namespaces(_ text: [UInt8], folders: [String]) -> [NamespaceMount] {
        let named = Dictionary(folders.map { (resolved($0), $0) }, uniquingKeysWith: { first, _ in first })
        var found: [String: UInt64] = [:]
        for line in text.split(separator: UInt8(ascii: "\n")) {
            guard let mount = namespace(line), let folder = named[ConfigSystem.directory(of: mount.path)] else { continue }
            found[folder + "/" + ConfigSystem.baseName(of: mount.path)] = mount.inode
        }
        return found.keys.sorted().map { NamespaceMount(path: $0, inode: found[$0]!) }
    }

    /// The folder as the mount table names it: its real path, or for one that does not exist
    /// yet, /var/run/... as /run/... (a symlink on every systemd distribution).
    static func resolved(_ folder: String) -> String {
        if let real = realpath(folder, nil) {
            defer { free(real) }
            return String(cString: real)
        }
        return folder.hasPrefix("/var/run/") ? String(folder.dropFirst(4)) : folder
    }

    /// The line's network namespace mount, or nil for any other line.
    static func namespace(_ line: ArraySlice<UInt8>) -> NamespaceMount? {
        let fields = line.split(separator: UInt8(ascii: " "))
        guard fields.count >= 10, let dash = fields[6...].firstIndex(where: { $0.elementsEqual("-".utf8) }),
              dash + 1 < fields.count, fields[dash + 1].elementsEqual("nsfs".utf8) else { return nil }
        let root = fields[3]
        guard root.starts(with: "net:[".utf8), root.last == UInt8(ascii: "]"),
              let inode = UInt64(String(decoding: root.dropFirst(5).dropLast(), as: UTF8.self)) else { return nil }
        return NamespaceMount(path: unescape(fields[4]), inode: inode)
    }

    /// `\040` back to a space, as the kernel's seq_escape wrote it.
    static func unescape(_ field: ArraySlice<UInt8>) -> String {
        var bytes: [UInt8] = []
        var index = field.startIndex
        while index < field.endIndex {
            let byte = field[index]
            if byte == UInt8(ascii: "\\"), field.endIndex - index >= 4,
               let value = UInt8(String(decoding: field[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(byte)
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
