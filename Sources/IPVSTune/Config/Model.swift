/// A place in a config file: what `show-config` prints as provenance and errors point at.
public struct ConfigLocation: Equatable, Hashable, Sendable, CustomStringConvertible {
    var path: String
    /// 1-based, as editors count.
    var line: Int

    public var description: String { "\(path):\(line)" }
}

/// One effective value and the line it came from.
public struct ConfigSetting<Value: Equatable & Sendable>: Equatable, Sendable {
    public var value: Value
    var location: ConfigLocation

    init(_ value: Value, at location: ConfigLocation) {
        self.value = value
        self.location = location
    }
}

/// The settings of the main file and its drop-ins merged: later files win, each value remembers its line.
/// "No config at all" is `nil` where an `EffectiveConfig` is expected, never an empty value of this type.
public struct EffectiveConfig: Equatable, Sendable {
    /// Every file read, in the order read: the main file (when present), then the drop-ins.
    var files: [String] = []
    var timeouts: [TimeoutName: ConfigSetting<UInt32>] = [:]
    /// Extra network namespaces (paths or globs), in file order; kept for commands that walk them.
    public var netns: [ConfigSetting<String>] = []

    /// What `apply` hands to the kernel: unset timeouts stay as the kernel has them.
    var update: TimeoutUpdate {
        var update = TimeoutUpdate()
        for (name, setting) in timeouts { update[name] = setting.value }
        return update
    }

    /// True when the files exist but set nothing.
    var isEmpty: Bool { timeouts.isEmpty && netns.isEmpty }

    /// Timeouts whose effective value comes from a file other than `path`: a `save` to the main
    /// file does not change what `apply` uses for them, and the operator should be told.
    public func timeoutsOverridden(outside path: String) -> [TimeoutName: ConfigLocation] {
        timeouts.filter { $0.value.location.path != path }.mapValues(\.location)
    }
}
