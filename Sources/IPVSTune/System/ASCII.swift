extension UInt8 {
    /// A space or a tab: what separates the fields of /proc tables and config lines.
    var isBlank: Bool { self == 0x20 || self == 0x09 }
}
