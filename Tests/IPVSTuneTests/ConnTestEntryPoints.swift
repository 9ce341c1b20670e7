@testable import IPVSTune

// Entry points only tests use: the tool itself walks a table with `ConnReader.forEachEntry`
// and prints entries through `Printer`.

/// What reading one line gives: an entry, or an error that does not stop the reading.
enum ConnRecord: Equatable {
    case entry(ConnEntry)
    case malformed(ConnParseError)
}

extension ConnRowParser {
    /// nil for the header and blank lines.
    static func parse(_ line: UnsafeBufferPointer<UInt8>, number: Int) -> ConnRecord? {
        var entry = ConnEntry.empty
        do {
            return try parse(line.span, number: number, into: &entry) ? .entry(entry) : nil
        } catch {
            return .malformed(error)
        }
    }

    static func parse(_ line: String, number: Int = 1) -> ConnRecord? {
        var line = line
        return line.withUTF8 { parse($0, number: number) }
    }
}

extension ConnReader {
    /// Every entry and malformed line, in order.
    func records() throws(Failure) -> [ConnRecord] {
        var records: [ConnRecord] = []
        try forEachEntry({ records.append(.entry($0)); return true }, onMalformed: { records.append(.malformed($0)) })
        return records
    }
}

extension ConnEntry {
    init(proto: String, client: Endpoint, virtual: Endpoint, dest: Endpoint, state: String,
         expires: UInt64, peName: String? = nil, peData: String? = nil, origin: ConnOrigin? = nil) {
        self.init(protoName: ConnName(proto), client: client, virtual: virtual, dest: dest, stateName: ConnName(state),
                  expires: expires, peName: peName, peData: peData, origin: origin)
    }

    var virtualText: String { virtualAddress.description }
}

/// One entry's listing row or JSON line.
enum ConnListing {
    static let header = Printer.listingHeader

    static func row(_ entry: ConnEntry, json: Bool = false) -> String {
        var printer = Printer(OutputFormat(json: json))
        printer.entry(entry)
        return printer.out.string
    }
}

extension ConnSortKey {
    /// A stable sort: entries equal under the key keep the kernel's order.
    func sorted(_ entries: [ConnEntry]) -> [ConnEntry] {
        order(entries).map { entries[$0] }
    }
}

/// Addresses written as text in tests: `"10.0.0.1"`, `"10.0.0.1:80"`, `"[2001:db8::1]:443"`, `"fwmark:7"`.
extension IPAddress: ExpressibleByStringLiteral {
    public init(stringLiteral text: String) {
        guard let address = IPAddress(parsing: text) else { fatalError("bad test address \(text)") }
        self = address
    }
}

extension Endpoint: ExpressibleByStringLiteral {
    public init(stringLiteral text: String) {
        let colon = text.lastIndex(of: ":")!
        var host = String(text[..<colon])
        if host.hasPrefix("[") { host = String(host.dropFirst().dropLast()) }
        self.init(IPAddress(stringLiteral: host), UInt16(text[text.index(after: colon)...])!)
    }
}

extension VirtualAddress: ExpressibleByStringLiteral {
    public init(stringLiteral text: String) {
        if text.hasPrefix("fwmark:") {
            self = .firewallMark(UInt32(text.dropFirst(7))!)
        } else {
            self = .endpoint(Endpoint(stringLiteral: text))
        }
    }
}
