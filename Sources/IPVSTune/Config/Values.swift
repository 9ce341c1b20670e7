/// Checks a value the way the config file wants it; messages name the key and say what to write.
enum ConfigValues {
    /// Seconds or a duration, 1 s to 31 days. Unlike `ipvstune set`, 0 is an error here: a line
    /// that should change nothing is better removed than left looking like a setting.
    static func seconds(_ value: String, key: TimeoutName) -> Result<UInt32, ConfigValueError> {
        let name = key.rawValue
        if let comment = trailingCommentMessage(value) { return .failure(ConfigValueError(comment)) }
        guard !value.isEmpty else {
            return .failure(ConfigValueError("\(name) has no value: give seconds or a duration such as 2h, or remove the line to keep the kernel's value"))
        }
        // The duration parser quotes the whole value; a page-long one would flood the message.
        guard value.count <= 40 else {
            return .failure(ConfigValueError("\(name): \(quoted(value)) is too long for a duration: give seconds or a duration such as 2h"))
        }
        do {
            let seconds = try TimeoutDuration.parse(value)
            guard seconds > 0 else {
                return .failure(ConfigValueError("\(name) = \(value) is not a timeout: give 1 second or more, or remove the line to keep the kernel's value"))
            }
            return .success(seconds)
        } catch .negative {
            return .failure(ConfigValueError("\(name) = \(value) is negative: give 1 second or more, or remove the line to keep the kernel's value"))
        } catch {
            return .failure(ConfigValueError("\(name): \(error)"))
        }
    }

    /// sysctl.d has no comments after a value, so neither do we: `7200 # 2h` would otherwise be
    /// read differently by people and by tools. For paths, only a `#` or `;` after a blank counts,
    /// so a namespace file named `a#b` stays possible.
    static func trailingCommentMessage(_ value: String) -> String? {
        let scalars = Array(value.unicodeScalars)
        let hasComment = scalars.indices.contains { index in
            (scalars[index] == "#" || scalars[index] == ";") && index > 0 && (scalars[index - 1] == " " || scalars[index - 1] == "\t")
        }
        guard hasComment else { return nil }
        return "\(quoted(value)) has a comment after the value: put comments on a line of their own, starting with # or ;"
    }

    /// User text in a message: quoted, and cut short so one bad line cannot flood the terminal.
    static func quoted(_ text: String, limit: Int = 60) -> String {
        guard text.count > limit else { return "'\(text)'" }
        return "'\(text.prefix(limit))...'"
    }
}

struct ConfigValueError: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}
