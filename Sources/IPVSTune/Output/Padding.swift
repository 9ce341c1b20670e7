/// Column padding for the text tables every report prints.
extension String {
    /// Left-aligned in a column of `width`, always followed by at least one space.
    func padded(to width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }

    /// Right-aligned in a column of `width`.
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
