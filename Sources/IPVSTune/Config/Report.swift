/// What `show-config` prints: each effective value and the file:line it came from. In JSON
/// values are plain seconds, unset ones null, and the sources are an object of their own.
public struct ConfigReport: Report {
    var config: EffectiveConfig?
    var paths: ConfigPaths

    public init(_ config: EffectiveConfig?, paths: ConfigPaths = .system) {
        self.config = config
        self.paths = paths
    }

    public func print(to printer: inout Printer) {
        let noConfig = "no config: neither \(paths.main) nor \(paths.dropInPattern) exists\n"
        printer.field("configured", .bool(config != nil), text: config == nil ? noConfig : nil)
        printer.field("main", .string(paths.main))
        printer.field("dropins", .string(paths.dropInPattern))
        // Without a config the text says so and nothing more; the JSON has every key.
        let listed = config != nil
        printer.array("files") { printer in
            if listed { printer.text("files: ") }
            for (index, file) in (config?.files ?? []).enumerated() {
                printer.item(.string(file), text: listed ? (index > 0 ? " " : "") + file : nil)
            }
            if listed { printer.text("\n") }
        }
        let settings = config?.timeouts ?? [:]
        printer.object("timeouts") { printer in
            for name in TimeoutName.allCases {
                printer.field(name.rawValue, .number(settings[name]?.value), text: listed ? Self.line(name, settings[name]) : nil)
            }
        }
        printer.object("sources") { printer in
            for name in TimeoutName.allCases { Self.print(settings[name]?.location, as: name.rawValue, to: &printer) }
        }
        printer.array("netns") { printer in
            for setting in config?.netns ?? [] {
                printer.object { printer in
                    printer.field("path", .string(setting.value), text: "netns   \(setting.value)  ")
                    Self.print(setting.location, as: "source", to: &printer, text: true)
                }
            }
        }
    }

    /// `tcp         7200 s  (2h)      from /etc/ipvstune.conf:3`.
    private static func line(_ name: TimeoutName, _ setting: ConfigSetting<UInt32>?) -> String {
        guard let setting else { return name.rawValue.padded(to: 8) + "not set: apply leaves the kernel's value\n" }
        let human = "(\(TimeoutDuration.format(UInt64(setting.value))))"
        // At least one space before the seconds, however many digits.
        return name.rawValue.padded(to: 8) + " " + String(setting.value).rightAligned(to: 7) + " s  " + human.padded(to: 10)
            + "from \(setting.location)\n"
    }

    /// `{"file":"/etc/ipvstune.conf","line":3}`; with `text`, `from /etc/ipvstune.conf:3`.
    private static func print(_ location: ConfigLocation?, as key: String, to printer: inout Printer, text: Bool = false) {
        guard let location else { return printer.field(key, .null) }
        printer.object(key) { printer in
            printer.field("file", .string(location.path), text: text ? "from \(location.path)" : nil)
            printer.field("line", .number(location.line), text: text ? ":\(location.line)\n" : nil)
        }
    }
}
