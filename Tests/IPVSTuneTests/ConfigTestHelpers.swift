@testable import IPVSTune

/// Parses text as the main file at a fixed path, so messages can be compared whole.
func parseConfig(_ text: String, path: String = "/etc/ipvstune.conf") -> ParsedConfigFile {
    ConfigParser.parse(Array(text.utf8), path: path)
}

/// The problems of a text, as `file:line: message`.
func configProblems(_ text: String) -> [String] {
    parseConfig(text).problems.map(\.description)
}

/// The timeouts a text sets, ignoring netns.
func configUpdate(_ text: String) -> TimeoutUpdate {
    ConfigLoader.merge([parseConfig(text)]).update
}
