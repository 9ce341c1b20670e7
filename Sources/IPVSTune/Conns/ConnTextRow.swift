/// The text listing of `conns`: one row per entry under a header, columns sized for IPv4
/// (a longer value pushes the rest of its row right, as `ss` does) because a streamed
/// listing cannot measure the whole table first.
public enum ConnTextRow {
    private static let widths = (proto: 5, state: 12, expires: 8, endpoint: 22)

    public static var header: String {
        "PRO".padded(to: widths.proto) + "STATE".padded(to: widths.state) + "EXPIRES".leftPadded(to: widths.expires)
            + "  " + "CLIENT".padded(to: widths.endpoint) + "VIRTUAL".padded(to: widths.endpoint)
            + "DEST".padded(to: widths.endpoint) + "FLAGS\n"
    }

    /// `TCP  ESTABLISHED     14:59  10.0.0.1:51234  192.168.1.10:80  10.1.0.5:80`, with
    /// FLAGS such as `template invalidated sync sip=<call-id>`.
    public static func row(_ entry: ConnEntry) -> String {
        var writer = ConnByteWriter()
        write(entry, to: &writer)
        return writer.string
    }

    static func write(_ entry: ConnEntry, to out: inout ConnByteWriter) {
        var start = out.count
        out.append(entry.proto)
        out.pad(from: start, to: widths.proto)
        start = out.count
        out.append(entry.state)
        out.pad(from: start, to: widths.state)
        start = out.count
        writeExpiry(entry.expiresIn, to: &out)
        out.alignRight(from: start, width: widths.expires)
        out.append("  ")
        writeEndpoints(entry, to: &out)
        writeFlags(entry, to: &out)
        out.trimTrailingSpaces()
        out.append(byte: 10)
    }

    private static func writeEndpoints(_ entry: ConnEntry, to out: inout ConnByteWriter) {
        var start = out.count
        out.append(entry.client)
        out.pad(from: start, to: widths.endpoint)
        start = out.count
        if let mark = entry.firewallMark {
            out.append("fwmark:")
            out.append(decimal: UInt64(mark))
        } else {
            out.append(entry.virtual)
        }
        out.pad(from: start, to: widths.endpoint)
        start = out.count
        out.append(entry.dest)
        out.pad(from: start, to: widths.endpoint)
    }

    /// `m:ss` under an hour, `h:mm:ss` from an hour on, `wrapped` when the kernel printed a
    /// wrapped (already due) timer.
    public static func expiry(_ seconds: UInt64?) -> String {
        var writer = ConnByteWriter()
        writeExpiry(seconds, to: &writer)
        return writer.string
    }

    static func writeExpiry(_ seconds: UInt64?, to out: inout ConnByteWriter) {
        guard let seconds else { out.append("wrapped"); return }
        let hours = seconds / 3600
        if hours > 0 {
            out.append(decimal: hours)
            out.append(byte: 58)
            out.append(twoDigits: seconds / 60 % 60)
        } else {
            out.append(decimal: seconds / 60 % 60)
        }
        out.append(byte: 58)
        out.append(twoDigits: seconds % 60)
    }

    private static func writeFlags(_ entry: ConnEntry, to out: inout ConnByteWriter) {
        guard entry.isTemplate || entry.origin == .sync || entry.peName != nil else { return }
        out.append(flags(entry).joined(separator: " "))
    }

    static func flags(_ entry: ConnEntry) -> [String] {
        var flags: [String] = []
        if entry.isTemplate { flags.append("template") }
        if entry.isInvalidated { flags.append("invalidated") }
        if entry.origin == .sync { flags.append("sync") }
        if let name = entry.peName { flags.append(printable(name) + "=" + printable(entry.peData ?? "")) }
        return flags
    }

    /// PEData is copied from a packet; control characters would break the table's rows.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : $0 }))
    }
}
