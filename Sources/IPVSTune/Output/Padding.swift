/// Column padding for the text tables every report prints.
extension String {
    /// Left-aligned in a column of `width`, always followed by at least one space.
    func padded(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    /// Right-aligned in a column of `width`.
    func rightAligned(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// A column of a text table: its heading and its cells padded alike, so they line up.
struct TextColumn {
    enum Alignment { case left, right, unpadded }

    var heading: String
    var width: Int
    var alignment: Alignment

    init(_ heading: String, _ alignment: Alignment = .unpadded, width: Int = 0) {
        self.heading = heading
        self.width = width
        self.alignment = alignment
    }

    func cell(_ text: String) -> String {
        switch alignment {
        case .left: text.padded(to: width)
        case .right: text.rightAligned(to: width)
        case .unpadded: text
        }
    }

    /// The heading line of a table.
    static func headings(_ columns: [TextColumn]) -> String {
        columns.map { $0.cell($0.heading) }.joined() + "\n"
    }
}
