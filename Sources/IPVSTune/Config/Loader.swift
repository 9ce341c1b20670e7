/// Everything known after reading the config: the merged settings, or every problem found.
public struct ConfigCheck: Equatable, Sendable {
    /// Files read, in order: the main file when present, then the drop-ins.
    var files: [String]
    /// Nil when no config file exists at all, and when there is any problem: nothing applies then.
    public var config: EffectiveConfig?
    public var problems: [ConfigProblem]
}

/// Reads the main file, then the drop-ins in byte order, later values winning.
public enum ConfigLoader {
    /// The effective config; nil when neither the main file nor any drop-in exists (no config
    /// at all, as opposed to files that set nothing). Throws status .config on any problem.
    /// `requireSecure` (what `apply` asks for) refuses files and folders others could change.
    public static func load(_ paths: ConfigPaths = .system, requireSecure: Bool = false) throws(Failure) -> EffectiveConfig? {
        let result = check(paths, requireSecure: requireSecure)
        guard result.problems.isEmpty else { throw Failure.config(result.problems) }
        return result.config
    }

    /// Reads everything and collects every problem instead of stopping at the first.
    public static func check(_ paths: ConfigPaths = .system, requireSecure: Bool = false) -> ConfigCheck {
        var problems: [ConfigProblem] = []
        var dropIns: [String] = []
        do {
            dropIns = try ConfigDropIns.list(paths.dropInDirectory)
        } catch {
            problems.append(error)
        }
        if requireSecure && !dropIns.isEmpty {
            problems += ConfigSecurity.problems(directory: paths.dropInDirectory)
        }
        var parsed: [ParsedConfigFile] = []
        for path in [paths.main] + dropIns {
            if requireSecure { problems += ConfigSecurity.problems(file: path) }
            do {
                guard case .bytes(let bytes) = try ConfigFileReader.read(path) else { continue }
                let file = ConfigParser.parse(bytes, path: path)
                parsed.append(file)
                problems += file.problems
            } catch {
                problems.append(error)
            }
        }
        let unique = problems.reduce(into: [ConfigProblem]()) { kept, problem in
            if !kept.contains(problem) { kept.append(problem) }
        }
        let files = parsed.map(\.path)
        let config = unique.isEmpty && !parsed.isEmpty ? merge(parsed) : nil
        return ConfigCheck(files: files, config: config, problems: unique)
    }

    /// Later files win for timeouts; `netns` lines add up across files, and an empty `netns =`
    /// clears what came before, as an empty assignment resets a list in systemd units.
    static func merge(_ files: [ParsedConfigFile]) -> EffectiveConfig {
        var config = EffectiveConfig(files: files.map(\.path))
        for file in files {
            for entry in file.entries {
                let location = ConfigLocation(path: file.path, line: entry.line)
                switch entry.value {
                case .timeout(let name, let seconds):
                    config.timeouts[name] = ConfigSetting(seconds, at: location)
                case .netns(let path):
                    config.netns.append(ConfigSetting(path, at: location))
                case .netnsReset:
                    config.netns.removeAll()
                }
            }
        }
        return config
    }
}
