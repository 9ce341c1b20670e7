import Foundation

/// The files of Tests/Data, which the shell scripts under Tests/ read too.
public enum TestData {
    /// Tests/Data, found from this file's own path (Tests/TestSupport/TestData.swift).
    public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data").path

    /// The named lines of a data file, in file order: each line is a name, one space and the
    /// text, kept exactly; `#` lines and blank lines are notes.
    public static func namedLines(_ file: String) -> [(name: String, text: String)] {
        let path = "\(folder)/\(file)"
        guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else { fatalError("cannot read \(path)") }
        return contents.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let space = line.firstIndex(of: " ") else { return nil }
            return (String(line[..<space]), String(line[line.index(after: space)...]))
        }
    }
}
