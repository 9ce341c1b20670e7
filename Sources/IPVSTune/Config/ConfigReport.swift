/// What `show-config` prints: each effective value and the file:line it came from. Text and JSON
/// come from the same `EffectiveConfig`; JSON values are plain seconds, unset ones null.
public enum ConfigReport {
    public static func text(_ config: EffectiveConfig?, paths: ConfigPaths = .system) -> String {
        guard let config else {
            return "no config: neither \(paths.main) nor \(paths.dropInPattern) exists\n"
        }
        var out = "files: " + config.files.joined(separator: " ") + "\n"
        for name in TimeoutName.allCases {
            out += name.rawValue + spaces(8 - name.rawValue.count)
            guard let setting = config.timeouts[name] else {
                out += "not set: apply leaves the kernel's value\n"
                continue
            }
            let seconds = String(setting.value)
            let human = "(\(TimeoutDuration.format(UInt64(setting.value))))"
            out += spaces(8 - seconds.count) + seconds + " s  " + human + spaces(10 - human.count)
            out += "from \(setting.location)\n"
        }
        for namespace in config.netns {
            out += "netns   \(namespace.value)  from \(namespace.location)\n"
        }
        return out
    }

    public static func json(_ config: EffectiveConfig?, paths: ConfigPaths = .system) -> String {
        jsonValue(config, paths: paths).rendered + "\n"
    }

    /// `{"configured":…,"files":[…],"timeouts":{"tcp":7200,…},"sources":{"tcp":{"file":…,"line":3},…},"netns":[…]}`
    public static func jsonValue(_ config: EffectiveConfig?, paths: ConfigPaths = .system) -> JSON {
        let timeouts = TimeoutName.allCases.map { name in
            (name.rawValue, config?.timeouts[name].map { JSON.uint(UInt64($0.value)) } ?? .null)
        }
        let sources = TimeoutName.allCases.map { name in
            (name.rawValue, config?.timeouts[name].map { location($0.location) } ?? .null)
        }
        let netns = (config?.netns ?? []).map { setting in
            JSON.object([("path", .string(setting.value)), ("source", location(setting.location))])
        }
        return .object([
            ("configured", .bool(config != nil)),
            ("main", .string(paths.main)),
            ("dropins", .string(paths.dropInPattern)),
            ("files", .array((config?.files ?? []).map { .string($0) })),
            ("timeouts", .object(timeouts)),
            ("sources", .object(sources)),
            ("netns", .array(netns)),
        ])
    }

    private static func location(_ location: ConfigLocation) -> JSON {
        .object([("file", .string(location.path)), ("line", .uint(UInt64(location.line)))])
    }

    private static func spaces(_ count: Int) -> String {
        String(repeating: " ", count: max(1, count))
    }
}
