/// Checks that a line is text before its syntax is looked at: config files get edited by hand,
/// copied from Windows, or replaced by mistake with something binary.
enum ConfigLineCheck {
    /// Long enough for a netns line with a PATH_MAX path; a longer line is not a config line.
    static let maximumLineBytes = 8192

    enum Outcome: Equatable {
        case text(String)
        /// Something is wrong with this line only; the next lines are still checked.
        case lineProblem(String)
        /// The file is not text at all (NUL bytes, not UTF-8): reading on would only add noise.
        case notText(String)
    }

    static func check(_ line: ConfigRawLine) -> Outcome {
        if line.content.contains(0) {
            return .notText("contains a NUL byte: this looks like a binary file, not KEY = VALUE lines; move it away")
        }
        guard let text = String(validating: line.content, as: UTF8.self) else {
            return .notText("is not valid UTF-8 text: save the file as UTF-8, or move it away if it is not a config file")
        }
        if line.content.count > maximumLineBytes {
            return .lineProblem("line is \(line.content.count) bytes long, more than \(maximumLineBytes): shorten it")
        }
        if let control = text.unicodeScalars.first(where: isForbiddenControl) {
            return .lineProblem("contains the control character \(hex(control)): remove it; only spaces and tabs may separate words")
        }
        return .text(text)
    }

    /// Tabs separate words; anything else below U+0020, and DEL, is corruption or a stray CR.
    private static func isForbiddenControl(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t") || scalar.value == 0x7F
    }

    private static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
