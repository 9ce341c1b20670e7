/// A line of the connection table that could not be read, and why.
public struct ConnParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based, counting the header line.
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line): \(reason)" }
}

/// What reading one line gives: an entry, or an error that does not stop the reading.
public enum ConnRecord: Equatable, Sendable {
    case entry(ConnEntry)
    case malformed(ConnParseError)
}
