/// Parses one row of /proc/net/ip_vs_conn or /proc/net/ip_vs_conn_sync, straight from the
/// read buffer: a table can have millions of rows, so the common path makes no String but
/// the protocol and state names (small enough to be stored inline).
///
/// Row shapes (net/netfilter/ipvs/ip_vs_conn.c):
///   ip_vs_conn:      Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires [PEName PEData]
///   ip_vs_conn_sync: Pro FromIP FPrt ToIP TPrt DestIP DPrt State Origin Expires
/// Columns are separated by runs of spaces (`%-11s` pads the state, `%7lu` the expiry).
/// The row's shape is recognised per line, so both files need no mode switch.
public enum ConnLineParser {
    /// What a line is; `nil` for the header and blank lines.
    public static func parse(_ line: UnsafeBufferPointer<UInt8>, number: Int) -> ConnRecord? {
        var cursor = ConnCursor(line)
        guard let first = cursor.token() else { return nil }
        let proto = cursor.text(first)
        if proto == "Pro" { return nil }
        do {
            return .entry(try entry(proto: proto, cursor: &cursor))
        } catch {
            return .malformed(ConnParseError(line: number, reason: error.reason))
        }
    }

    /// The same for a String, for tests and small inputs.
    public static func parse(_ line: String, number: Int = 1) -> ConnRecord? {
        var line = line
        return line.withUTF8 { parse($0, number: number) }
    }

    private static func entry(proto: String, cursor: inout ConnCursor) throws(ConnFieldError) -> ConnEntry {
        let client = try endpoint(&cursor, "client")
        let virtual = try endpoint(&cursor, "virtual")
        let dest = try endpoint(&cursor, "destination")
        let stateField = try cursor.require("State")
        // The kernel's state names are ASCII words: other bytes mean a damaged line. (The fast
        // parser hands every line with such bytes to this one.)
        guard cursor.isASCII(stateField) else {
            throw ConnFieldError("state '\(cursor.shown(stateField))' is not a state name: the kernel writes ASCII names")
        }
        let state = cursor.text(stateField)
        var entry = ConnEntry(proto: proto, client: client, virtual: virtual, dest: dest, state: state, expires: 0)
        try tail(&cursor, into: &entry)
        return entry
    }

    /// Everything after the state: `Expires [PEName PEData]` or `Origin Expires`.
    private static func tail(_ cursor: inout ConnCursor, into entry: inout ConnEntry) throws(ConnFieldError) {
        let field = try cursor.require("Expires")
        if let seconds = cursor.decimal(field) {
            entry.expires = seconds
            if let name = cursor.token() {
                entry.peName = cursor.text(name)
                entry.peData = cursor.restAfterOneSpace()
            }
            return
        }
        guard let origin = ConnOrigin(rawValue: cursor.text(field)) else {
            throw ConnFieldError("expected Expires seconds (or Origin LOCAL/SYNC) after the state, found '\(cursor.shown(field))'")
        }
        entry.origin = origin
        let expires = try cursor.require("Expires")
        guard let seconds = cursor.decimal(expires) else {
            throw ConnFieldError("Expires '\(cursor.shown(expires))' is not a number of seconds")
        }
        entry.expires = seconds
        if let extra = cursor.token() {
            throw ConnFieldError("unexpected '\(cursor.shown(extra))' after Expires in a row with an Origin column")
        }
    }

    private static func endpoint(_ cursor: inout ConnCursor, _ role: String) throws(ConnFieldError) -> ConnEndpoint {
        let addressField = try cursor.require("\(role) address")
        let address = try self.address(cursor, addressField, role)
        let portField = try cursor.require("\(role) port")
        guard portField.count <= 4, let port = cursor.hex(portField) else {
            throw ConnFieldError("\(role) port '\(cursor.shown(portField))' is not 4 hex digits")
        }
        return ConnEndpoint(address, UInt16(truncatingIfNeeded: port))
    }

    /// `0A000001` (IPv4, host order) or `2001:0db8:0000:0000:0000:0000:0000:0001` (IPv6).
    private static func address(_ cursor: ConnCursor, _ field: Range<Int>, _ role: String) throws(ConnFieldError) -> ConnAddress {
        if cursor.contains(UInt8(ascii: ":"), in: field) {
            guard let (high, low) = cursor.ipv6(field) else {
                throw ConnFieldError("\(role) address '\(cursor.shown(field))' is not a full IPv6 address (8 groups of 4 hex digits)")
            }
            return .v6(high: high, low: low)
        }
        guard cursor.isHex(field) else {
            throw ConnFieldError("\(role) address '\(cursor.shown(field))' is not hexadecimal")
        }
        guard field.count == 8, let value = cursor.hex(field) else {
            throw ConnFieldError("\(role) address '\(cursor.shown(field))' has \(field.count) hex digits: an IPv4 address has 8")
        }
        return .v4(UInt32(truncatingIfNeeded: value))
    }
}

/// Why a row was rejected; typed so the hot path throws without existential boxing.
struct ConnFieldError: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
