@testable import IPVSTune
import CIPVS

import Glibc
#if !FUZZING
import XCTest
#endif

/// What must hold for any input to ipvstune's parsers, whatever its bytes. Each property
/// returns what it found wrong (empty: all good). The fuzz targets in Tests/Fuzz compile this
/// same file (Tests/Fuzz/Sources/FuzzProperties links to it, FUZZING defined) and trap on a
/// violation; `FuzzRegressionTests` below replays the committed corpus through it.
///
/// Options a target needs besides its bytes (read sizes, filters, timeouts to save) come from
/// a hash of the input, so every corpus file is plain text or a plain netlink message.
public enum FuzzProperties {
    /// Corpus folder names, which are also the fuzz targets' names without the `Fuzz` prefix.
    public static let targets = ["conns", "config", "duration", "netlink"]

    public static func check(_ target: String, _ data: [UInt8]) -> [String] {
        switch target {
        case "conns": return conns(data)
        case "config": return config(data)
        case "duration": return duration(data)
        case "netlink": return data.withUnsafeBytes { netlink($0) }
        default: return ["no fuzz target named '\(target)'"]
        }
    }

    static func seed(_ data: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in data { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }
}

// MARK: - The connection table: ConnReader, ConnRowParser and every ConnRunner mode.

extension FuzzProperties {
    static let readSizes = [Int.max, 1, 2, 3, 7, 64, 100, 4096]
    static let bufferSizes = [ConnReader.defaultBufferSize, 64, 65, 80, 128, 200, 1024, 4096]
    static let filters: [ConnFilter] = [
        ConnFilter(),
        try! ConnFilter.parse(states: ["established,none"]),
        try! ConnFilter.parse(protocols: ["tcp", "ip"]),
        try! ConnFilter.parse(clients: ["192.168.0.0/16", "2001:db8::/32"]),
        try! ConnFilter.parse(virtuals: ["192.168.1.10:80", "fwmark:100", "[2001:db8::a]:443"]),
        try! ConnFilter.parse(dests: ["10.1.0.5", "[2001:db8:1::5]:443"]),
        try! ConnFilter.parse(templates: true),
        try! ConnFilter.parse(templates: false, expiringWithin: "15m"),
        try! ConnFilter.parse(states: ["syn_recv", "UDP"], protocols: ["udp,tcp"], clients: ["0.0.0.0/0"]),
    ]

    /// Reading in any chunking gives the same records as parsing each line on its own; errors
    /// name lines in order; every entry read writes back as a kernel row that reads as the same
    /// entry, and renders as one text line and one valid JSON line; every mode's output is what
    /// the listing, the sort and the summary make of those records.
    public static func conns(_ data: [UInt8]) -> [String] {
        let seed = seed(data)
        // Reads of a few bytes rescan the partial line each time: keep them to small inputs.
        let readSize = data.count > 1024 ? max(readSizes[Int(seed & 7)], 64) : readSizes[Int(seed & 7)]
        let bufferSize = bufferSizes[Int(seed >> 3 & 7)]
        let options = "readSize \(readSize), bufferSize \(bufferSize)"
        var problems: [String] = []
        func reader() -> ConnReader { ConnReader(bytes: data, readSize: readSize, bufferSize: bufferSize) }

        guard let records = collect(reader(), &problems), let whole = collect(ConnReader(bytes: data), &problems) else {
            return problems
        }
        // A line as long as the buffer is reported as too long; shorter lines must not notice the chunking.
        if longestLine(data) + 2 < max(bufferSize, 64) && records != whole {
            problems.append("records differ from a whole-buffer read with \(options)")
        }
        problems += lineNumbers(records, lines: data.count(where: { $0 == 10 }) + 1)
        problems += lineByLine(data, whole)
        for entry in entries(whole) { problems += entryRendering(entry) + roundTrip(entry) }

        let filter = filters[Int(seed >> 6) % filters.count]
        let sortKey = ConnSortKey.allCases[Int(seed >> 10) % ConnSortKey.allCases.count]
        let runs: [(ConnQuery.Mode, Bool, ConnSortKey?)] = [
            (.list, false, nil), (.list, true, nil), (.count, false, nil), (.count, true, nil),
            (.summary, false, nil), (.summary, true, nil), (.list, seed >> 12 & 1 == 1, sortKey),
        ]
        #if FUZZING
        // Per input the fuzzer checks the plain listing and one other mode, chosen by the hash:
        // three times the runs a second; the replay below checks every mode.
        let checked = [runs[0], runs[1 + Int(seed >> 13) % (runs.count - 1)]]
        #else
        let checked = runs
        #endif
        for (mode, json, sort) in checked {
            // The plain listing reads in chunks; the other modes need not pay for that again.
            let chunked = mode == .list && !json && sort == nil
            guard let query = try? ConnQuery(path: "-", filter: filter, mode: mode, json: json, sort: sort) else {
                problems.append("the query \(mode) \(sort.map { "\($0)" } ?? "") was refused")
                continue
            }
            let name = "\(mode)\(json ? " json" : "")\(sort.map { " sort \($0)" } ?? "")\(chunked ? " (\(options))" : "")"
            problems += runMatches(query, chunked ? reader() : ConnReader(bytes: data), chunked ? records : whole)
                .map { "\(name): \($0)" }
        }
        problems += closedOutput(ConnReader(bytes: data), total: entries(whole).count)
        return problems
    }

    private static func entries(_ records: [ConnRecord]) -> [ConnEntry] {
        records.compactMap { record in
            if case .entry(let entry) = record { return entry }
            return nil
        }
    }

    /// One `ConnRunner.run` against what the renderers make of `records`.
    private static func runMatches(_ query: ConnQuery, _ reader: ConnReader, _ records: [ConnRecord]) -> [String] {
        var problems: [String] = []
        let all = entries(records)
        let matched = all.filter(query.filter.matches)
        let expected = (entries: all.count, matched: matched.count, malformed: records.count - all.count)
        guard let (result, output, warnings) = run(query, reader, &problems) else { return problems }
        if (result.entries, result.matched, result.malformed) != expected || result.outputClosed {
            problems.append("\(result), expected \(expected)")
        }
        problems += warningCount(warnings, malformed: expected.malformed)
        if let wanted = expectedOutput(query, matched: matched, malformed: expected.malformed), output != wanted {
            problems.append("output\n\(output)\ndiffers from the renderers'\n\(wanted)")
        }
        if query.json {
            for line in output.split(separator: "\n") where !JSONCheck.isValid(Array(line.utf8)) {
                problems.append("invalid JSON line \(line)")
            }
        }
        if let sort = query.sort { problems += sortOrder(sort, matched: matched) }
        return problems
    }

    private static func collect(_ reader: ConnReader, _ problems: inout [String]) -> [ConnRecord]? {
        let records: [ConnRecord]
        do {
            records = try reader.records()
        } catch {
            problems.append("reading bytes from memory failed: \(error)")
            return nil
        }
        return records
    }

    private static func longestLine(_ data: [UInt8]) -> Int {
        var longest = 0
        var current = 0
        for byte in data {
            if byte == 10 { current = 0 } else { current += 1; longest = max(longest, current) }
        }
        return longest
    }

    /// The reader splits lines as `split` does (a last line without newline included), and
    /// counts them: each record is what `ConnRowParser` makes of its line on its own.
    private static func lineByLine(_ data: [UInt8], _ whole: [ConnRecord]) -> [String] {
        var lines = data.split(separator: 10, omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var expected: [ConnRecord] = []
        for (index, line) in lines.enumerated() {
            let record = Array(line).withUnsafeBufferPointer { ConnRowParser.parse($0, number: index + 1) }
            if let record { expected.append(record) }
        }
        guard expected != whole else { return [] }
        let first = zip(expected, whole).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(expected.count, whole.count)
        let shown = { (records: [ConnRecord]) in first < records.count ? "\(records[first])" : "nothing" }
        return ["record \(first + 1): the reader gives \(shown(whole)), the line on its own \(shown(expected))"]
    }

    /// The entry written back in the kernel's row format reads as the same entry.
    private static func roundTrip(_ entry: ConnEntry) -> [String] {
        func hex(_ value: UInt64, _ digits: Int) -> String {
            let text = String(value, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, digits - text.count)) + text
        }
        func address(_ address: IPAddress) -> String {
            switch address {
            case .v4(let value): return hex(UInt64(value), 8)
            case .v6(let high, let low):
                let groups: [String] = (0..<8).map { (index: Int) -> String in
                    let word: UInt64 = index < 4 ? high : low
                    return hex(word >> UInt64(48 - 16 * (index % 4)) & 0xFFFF, 4)
                }
                return groups.joined(separator: ":")
            }
        }
        let endpoints = [entry.client, entry.virtual, entry.dest].map { "\(address($0.address)) \(hex(UInt64($0.port), 4))" }
        var line = "\(entry.proto) \(endpoints.joined(separator: " ")) \(entry.state) "
        if let origin = entry.origin { line += "\(origin.rawValue) " }
        line += "\(entry.expires)"
        if let name = entry.peName { line += " \(name) \(entry.peData ?? "")" }
        // The parser takes one CR off the line's end, as from a CRLF file.
        if line.hasSuffix("\r") { line += "\r" }
        guard case .entry(let again)? = ConnRowParser.parse(line) else {
            return ["\(entry) writes back as \(String(reflecting: line)), which does not read as an entry"]
        }
        return again == entry ? [] : ["\(entry) writes back as \(String(reflecting: line)), which reads as \(again)"]
    }

    private static func lineNumbers(_ records: [ConnRecord], lines: Int) -> [String] {
        var previous = 0
        for case .malformed(let error) in records {
            guard error.line > previous, error.line <= lines else {
                return ["malformed line numbers out of order or past the \(lines) lines: \(error)"]
            }
            previous = error.line
        }
        return []
    }

    /// One row per entry, one line of valid JSON, and addresses whose text reads back as them.
    private static func entryRendering(_ entry: ConnEntry) -> [String] {
        var problems: [String] = []
        let row = ConnListing.row(entry)
        if row.last != "\n" || row.dropLast().contains("\n") { problems.append("text row is not one line: \(row)") }
        let json = ConnListing.row(entry, json: true)
        if json.last != "\n" || !JSONCheck.isValid(Array(json.utf8.dropLast())) { problems.append("invalid JSON for an entry: \(json)") }
        for endpoint in [entry.client, entry.virtual, entry.dest] {
            let text = endpoint.address.description
            if IPAddress(parsing: text) != endpoint.address {
                problems.append("address \(endpoint.address) prints as '\(text)', which reads back differently")
            }
        }
        return problems
    }

    private static func run(_ query: ConnQuery, _ reader: ConnReader,
                            _ problems: inout [String]) -> (ConnQuery.Result, String, [String])? {
        final class Sink: @unchecked Sendable { var text = "" }
        let sink = Sink()
        var warnings: [String] = []
        do {
            let result = try query.run(reader: reader, write: { sink.text += $0; return true },
                                            warn: { warnings.append($0) })
            return (result, sink.text, warnings)
        } catch {
            problems.append("failed: \(error)")
            return nil
        }
    }

    private static func warningCount(_ warnings: [String], malformed: Int) -> [String] {
        let limit = ConnQuery.warningLimit
        let wanted = min(malformed, limit) + (malformed > limit ? 1 : 0)
        guard warnings.count == wanted else { return ["\(warnings.count) warnings for \(malformed) malformed lines"] }
        return warnings.filter { !$0.hasPrefix("standard input: ") }.map { "warning without the input's name: \($0)" }
    }

    private static func expectedOutput(_ query: ConnQuery, matched: [ConnEntry], malformed: Int) -> String? {
        switch query.mode {
        case .list:
            let ordered = query.sort.map { $0.sorted(matched) } ?? matched
            return (query.json ? "" : ConnListing.header) + ordered.map { ConnListing.row($0, json: query.json) }.joined()
        case .count:
            return query.json ? "{\"count\":\(matched.count)}\n" : "\(matched.count)\n"
        case .summary:
            var table = TableCount()
            for entry in matched { table.add(entry) }
            table.malformed = malformed
            return table.summary.rendered(query.json ? .json : .text)
        }
    }

    /// The sorted listing holds every entry once, in the key's order.
    private static func sortOrder(_ key: ConnSortKey, matched: [ConnEntry]) -> [String] {
        let order = key.order(matched)
        if order.sorted() != Array(matched.indices) { return ["sorting lost or repeated entries: \(order)"] }
        for (a, b) in zip(order, order.dropFirst()) {
            let (x, y) = (matched[a], matched[b])
            let inOrder: Bool
            switch key {
            case .expire: inOrder = (x.expires, x.client) <= (y.expires, y.client)
            case .client: inOrder = (x.client, x.expires) <= (y.client, y.expires)
            case .state: inOrder = (x.state, x.expires) <= (y.state, y.expires)
            }
            if !inOrder { return ["\(x) sorted before \(y)"] }
        }
        return []
    }

    /// A closed output (`| head`) stops the run: it says so and reads no further than needed.
    private static func closedOutput(_ reader: ConnReader, total: Int) -> [String] {
        do {
            let result = try ConnQuery(path: "-").run(reader: reader, write: { _ in false }, warn: { _ in })
            if !result.outputClosed { return ["a refused write was not reported as a closed output"] }
            if result.entries > total { return ["closed output: \(result.entries) entries read of \(total)"] }
        } catch {
            return ["closed output: \(error)"]
        }
        return []
    }
}

// MARK: - The config file: ConfigParser and the in-place rewrite of `save`.

extension FuzzProperties {
    static let configPath = "/etc/ipvstune.conf"
    /// Timeouts to save, chosen by the input's hash; 0 and 31 days + 1 s must be refused.
    static let savedValues: [UInt32] = [1, 59, 60, 61, 90, 120, 300, 900, 3599, 5400, 7200, 86_400,
                                        93_784, 2_678_400, 0, 2_678_401]

    /// `1d23h59m59s`: the longest spelling a saved value can get.
    static let longestValue = 11

    static func update(_ seed: UInt64) -> TimeoutUpdate {
        var update = TimeoutUpdate()
        for (index, name) in TimeoutName.allCases.enumerated() {
            let bits = seed >> (20 + 6 * index)
            if bits & 3 != 0 { update[name] = savedValues[Int(bits >> 2 & 15)] }
        }
        return update
    }

    /// parse, rewrite, parse again: the new file has no problems, holds the saved timeouts and
    /// every other setting, keeps every other line byte for byte, and a second rewrite changes nothing.
    public static func config(_ data: [UInt8]) -> [String] {
        let update = update(seed(data))
        let storable = TimeoutName.allCases.allSatisfy { (update[$0] ?? 1) >= 1 && (update[$0] ?? 1) <= TimeoutDuration.maximum }
        let before = ConfigParser.parse(data, path: configPath)
        let after: [UInt8]
        do {
            after = try ConfigRewriter.rewrite(bytes: data, path: configPath, to: update)
        } catch {
            if !storable { return error.status == .dataError ? [] : ["unstorable \(update): \(error.status), not dataError"] }
            if !before.problems.isEmpty { return error.status == .config ? [] : ["file with problems: \(error.status), not config"] }
            // Refusing is right where a longer value would push its line past the line limit.
            let nearLimit = before.lines.contains { $0.content.count + longestValue > ConfigLineCheck.maximumLineBytes }
            return nearLimit ? [] : ["rewrite with \(update) refused a file without problems: \(error)"]
        }
        if !storable { return ["rewrite accepted the unstorable \(update)"] }
        if !before.problems.isEmpty { return ["rewrite accepted a file with problems: \(before.problems)"] }

        let reread = ConfigParser.parse(after, path: configPath)
        guard reread.problems.isEmpty else {
            return ["the rewrite for \(update) gives a file with problems: \(reread.problems)\n\(shown(after))"]
        }
        var problems = settings(before, reread, update) + keptLines(before, reread)
        do {
            let again = try ConfigRewriter.rewrite(bytes: after, path: configPath, to: update)
            if again != after { problems.append("a second rewrite with \(update) changed the file again:\n\(shown(again))") }
            let text = try ConfigRewriter.rewrite(String(decoding: after, as: UTF8.self), path: configPath, to: update)
            if text.changed { problems.append("the String rewrite reports a change on an up-to-date file") }
        } catch {
            problems.append("a second rewrite with \(update) failed: \(error)")
        }
        return problems
    }

    private static func timeouts(_ file: ParsedConfigFile) -> [TimeoutName: UInt32] {
        var values: [TimeoutName: UInt32] = [:]
        for case .timeout(let name, let seconds) in file.entries.map(\.value) { values[name] = seconds }
        return values
    }

    private static func netns(_ file: ParsedConfigFile) -> [ConfigEntry.Value] {
        file.entries.map(\.value).filter { if case .timeout = $0 { return false } else { return true } }
    }

    private static func settings(_ before: ParsedConfigFile, _ after: ParsedConfigFile, _ update: TimeoutUpdate) -> [String] {
        var wanted = timeouts(before)
        for name in TimeoutName.allCases { if let value = update[name] { wanted[name] = value } }
        var problems: [String] = []
        if timeouts(after) != wanted { problems.append("timeouts after the rewrite: \(timeouts(after)), wanted \(wanted)") }
        if netns(after) != netns(before) { problems.append("netns lines changed: \(netns(before)) became \(netns(after))") }
        if after.byteOrderMark != before.byteOrderMark { problems.append("the byte order mark was not kept") }
        return problems
    }

    /// Every old line is still there, at its place: the same bytes, but for a changed value
    /// (only inside its value range) and a newline added to a last line that had none.
    private static func keptLines(_ before: ParsedConfigFile, _ after: ParsedConfigFile) -> [String] {
        guard after.lines.count >= before.lines.count else {
            return ["\(before.lines.count) lines became \(after.lines.count)"]
        }
        let valueLines = Dictionary(before.entries.map { ($0.line, $0.valueRange) }, uniquingKeysWith: { a, _ in a })
        var problems: [String] = []
        for (old, new) in zip(before.lines, after.lines) {
            if old.terminator != new.terminator && !(old.terminator.isEmpty && old.number == before.lines.count) {
                problems.append("line \(old.number) changed its line end")
            }
            guard old.content != new.content else { continue }
            let kept = { (range: Range<Int>) in
                new.content.count >= old.content.count - range.count
                    && old.content.prefix(range.lowerBound).elementsEqual(new.content.prefix(range.lowerBound))
                    && old.content.suffix(from: range.upperBound).elementsEqual(new.content.suffix(old.content.count - range.upperBound))
            }
            guard let range = valueLines[old.number], kept(range) else {
                problems.append("line \(old.number) changed outside its value: \(shown(old.content)) became \(shown(new.content))")
                continue
            }
        }
        return problems
    }

    private static func shown(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes.prefix(120), as: UTF8.self)
        return String(reflecting: text) + (bytes.count > 120 ? "... (\(bytes.count) bytes)" : "")
    }
}

// MARK: - Durations: TimeoutDuration.parse and format.

extension FuzzProperties {
    /// A parsed duration is at most 31 days, and its compact form and its plain seconds read
    /// back as the same value.
    public static func duration(_ data: [UInt8]) -> [String] {
        let text = String(decoding: data, as: UTF8.self)
        let seconds: UInt32
        do {
            seconds = try TimeoutDuration.parse(text)
        } catch {
            return error.description.isEmpty ? ["empty message for \(String(reflecting: text))"] : []
        }
        if seconds > TimeoutDuration.maximum { return ["\(String(reflecting: text)) parsed as \(seconds), above 31 days"] }
        var problems: [String] = []
        let compact = TimeoutDuration.format(UInt64(seconds))
        for form in [compact, String(seconds)] {
            do {
                let again = try TimeoutDuration.parse(form)
                if again != seconds { problems.append("\(String(reflecting: text)) is \(seconds) s, but '\(form)' reads as \(again)") }
            } catch {
                problems.append("\(String(reflecting: text)) is \(seconds) s, but '\(form)' does not parse: \(error)")
            }
        }
        return problems
    }
}

// MARK: - The shim's netlink reply parsers, against a model of libnl's rules.

extension FuzzProperties {
    /// Every `cipvs_parse_*_reply` on the same bytes: each never reads outside the message (the
    /// fuzz build has ASan), returns 0 or -EBADMSG, and accepts exactly what the model accepts,
    /// with the same values.
    public static func netlink(_ message: UnsafeRawBufferPointer) -> [String] {
        let reply = NetlinkModel(message)
        var problems: [String] = []
        func compare<T>(_ name: String, _ result: Int32, _ got: T, _ model: T?) {
            switch (result, model) {
            case (0, let wanted?):
                if String(describing: got) != String(describing: wanted) {
                    problems.append("\(name) reply read as \(got), the model reads \(wanted)")
                }
            case (-EBADMSG, nil): break
            default: problems.append("\(name) reply: returned \(result), the model \(model.map { "accepts \($0)" } ?? "refuses")")
            }
        }
        var config = cipvs_timeouts(tcp: 0xDEAD, tcp_fin: 0xDEAD, udp: 0xDEAD)
        compare("config", cipvs_parse_config_reply(message.baseAddress, message.count, &config), config, reply.config())
        var service = cipvs_service()
        compare("service", cipvs_parse_service_reply(message.baseAddress, message.count, &service), service, reply.service())
        var dest = cipvs_dest()
        compare("dest", cipvs_parse_dest_reply(message.baseAddress, message.count, &dest), dest, reply.dest())
        var daemon = cipvs_daemon()
        compare("daemon", cipvs_parse_daemon_reply(message.baseAddress, message.count, &daemon), daemon, reply.daemon())
        return problems
    }
}

/// A reply as libnl 3.7 reads it (lib/attr.c, lib/genl/genl.c) and as <linux/ip_vs.h> numbers
/// it, written from those sources rather than from the shim, so the two can disagree.
struct NetlinkModel {
    /// nla_policy: NLA_U8/U16/U32 give their size as the minimum; strings must end in NUL.
    struct Rule {
        var minimum = 0
        var maximum = 0
        var string = false
        static func size(_ bytes: Int) -> Rule { Rule(minimum: bytes) }
        static func text(_ maximum: Int) -> Rule { Rule(minimum: 1, maximum: maximum, string: true) }
    }

    static let inet = UInt16(AF_INET), inet6 = UInt16(AF_INET6)
    let message: UnsafeRawBufferPointer

    init(_ message: UnsafeRawBufferPointer) { self.message = message }

    func u8(_ at: Int) -> UInt8 { message[at] }
    func u16(_ at: Int) -> UInt16 { UInt16(message[at]) | UInt16(message[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
    func u32(_ payload: Range<Int>?) -> UInt32 { payload.map { u32($0.lowerBound) } ?? 0 }

    /// The attributes after the nlmsghdr and genlmsghdr, when the message is a whole generic
    /// netlink message with `command` and its attributes keep `rules`.
    func attributes(command: UInt8, _ rules: [Int: Rule]) -> [Int: Range<Int>]? {
        guard message.count >= 16 else { return nil }
        let length = Int(u32(0))
        guard length >= 20, length <= message.count, u8(16) == command else { return nil }
        return attributes(in: 20..<length, rules)
    }

    /// nla_parse: a short or overlong tail ends the walk quietly, a rule broken refuses all,
    /// the last of a repeated type wins. Payload ranges by type.
    func attributes(in range: Range<Int>, _ rules: [Int: Rule]) -> [Int: Range<Int>]? {
        var found: [Int: Range<Int>] = [:]
        var at = range.lowerBound
        while range.upperBound - at >= 4 {
            let size = Int(u16(at))
            guard size >= 4, size <= range.upperBound - at else { break }
            let type = Int(u16(at + 2) & 0x3FFF)
            let payload = (at + 4)..<(at + size)
            if let rule = rules[type] {
                if payload.count < rule.minimum || (rule.maximum > 0 && payload.count > rule.maximum) { return nil }
                if rule.string && message[payload.upperBound - 1] != 0 { return nil }
            }
            found[type] = payload
            at += (size + 3) & ~3
        }
        return found
    }

    /// The nested attribute `outer` of a reply with `command`, parsed with `rules`.
    func nested(command: UInt8, outer: Int, _ rules: [Int: Rule]) -> [Int: Range<Int>]? {
        guard let top = attributes(command: command, [:]), let inner = top[outer] else { return nil }
        return attributes(in: inner, rules)
    }

    func bytes(_ payload: Range<Int>, count: Int) -> [UInt8] { Array(message[payload.prefix(count)]) }

    /// nla_strlcpy into 16 bytes: at most 15 bytes, NUL-padded.
    func text(_ payload: Range<Int>?) -> [UInt8] {
        guard let payload else { return [] }
        var bytes = Array(message[payload])
        if bytes.last == 0 { bytes.removeLast() }
        return Array(bytes.prefix(15))
    }

    static func fill<T>(_ field: inout T, _ bytes: [UInt8]) {
        withUnsafeMutableBytes(of: &field) { raw in
            for (index, byte) in bytes.prefix(raw.count).enumerated() { raw[index] = byte }
        }
    }

    // IPVS_CMD_SET_CONFIG answers GET_CONFIG; attributes TIMEOUT_TCP 4, TCP_FIN 5, UDP 6.
    func config() -> cipvs_timeouts? {
        guard let attributes = attributes(command: 12, [4: .size(4), 5: .size(4), 6: .size(4)]) else { return nil }
        return cipvs_timeouts(tcp: u32(attributes[4]), tcp_fin: u32(attributes[5]), udp: u32(attributes[6]))
    }

    // IPVS_CMD_NEW_SERVICE 1 with IPVS_CMD_ATTR_SERVICE 1: AF 1, PROTOCOL 2, ADDR 3, PORT 4,
    // FWMARK 5, SCHED_NAME 6, FLAGS 7, TIMEOUT 8, NETMASK 9, PE_NAME 11.
    func service() -> cipvs_service? {
        let rules: [Int: Rule] = [1: .size(2), 2: .size(2), 3: .size(4), 4: .size(2), 5: .size(4), 6: .text(16),
                                  7: .size(8), 8: .size(4), 9: .size(4), 11: .text(16)]
        guard let a = nested(command: 1, outer: 1, rules), let af = a[1].map({ u16($0.lowerBound) }),
              af == NetlinkModel.inet || af == NetlinkModel.inet6 else { return nil }
        var out = cipvs_service()
        out.af = af
        if let mark = a[5] {
            out.fwmark = u32(mark.lowerBound)
        } else {
            let need = af == NetlinkModel.inet6 ? 16 : 4
            guard let proto = a[2], let port = a[4], let addr = a[3], addr.count >= need else { return nil }
            out.`protocol` = u16(proto.lowerBound)
            out.port = u16(port.lowerBound).byteSwapped
            NetlinkModel.fill(&out.addr, bytes(addr, count: need))
        }
        NetlinkModel.fill(&out.scheduler, text(a[6]))
        NetlinkModel.fill(&out.pe_name, text(a[11]))
        out.flags = u32(a[7])
        out.timeout = u32(a[8])
        out.netmask = u32(a[9])
        return out
    }

    // IPVS_CMD_NEW_DEST 5 with IPVS_CMD_ATTR_DEST 2: ADDR 1, PORT 2, FWD_METHOD 3, WEIGHT 4,
    // U_THRESH 5, L_THRESH 6, ACTIVE 7, INACT 8, PERSIST 9, ADDR_FAMILY 11. No family (before
    // Linux 4.3): 16 address bytes when there are, else 4.
    func dest() -> cipvs_dest? {
        var rules: [Int: Rule] = [1: .size(4), 2: .size(2), 11: .size(2)]
        for type in 3...9 { rules[type] = .size(4) }
        guard let a = nested(command: 5, outer: 2, rules), let port = a[2], let addr = a[1] else { return nil }
        let af = a[11].map { u16($0.lowerBound) } ?? 0
        guard af == 0 || af == NetlinkModel.inet || af == NetlinkModel.inet6 else { return nil }
        let need = af == NetlinkModel.inet ? 4 : (af == NetlinkModel.inet6 || addr.count >= 16 ? 16 : 4)
        guard addr.count >= need else { return nil }
        var out = cipvs_dest()
        out.af = af
        NetlinkModel.fill(&out.addr, bytes(addr, count: need))
        out.port = u16(port.lowerBound).byteSwapped
        out.forward = u32(a[3]) & 7
        out.weight = u32(a[4])
        out.upper_threshold = u32(a[5])
        out.lower_threshold = u32(a[6])
        out.active = u32(a[7])
        out.inactive = u32(a[8])
        out.persistent = u32(a[9])
        return out
    }

    // IPVS_CMD_NEW_DAEMON 9 with IPVS_CMD_ATTR_DAEMON 3: STATE 1, MCAST_IFN 2, SYNC_ID 3,
    // SYNC_MAXLEN 4, MCAST_GROUP 5, MCAST_GROUP6 6, MCAST_PORT 7, MCAST_TTL 8.
    func daemon() -> cipvs_daemon? {
        let rules: [Int: Rule] = [1: .size(4), 2: .text(16), 3: .size(4), 4: .size(2), 5: .size(4), 6: .size(16),
                                  7: .size(2), 8: .size(1)]
        guard let a = nested(command: 9, outer: 3, rules), let state = a[1], let syncid = a[3] else { return nil }
        var out = cipvs_daemon()
        out.state = u32(state.lowerBound)
        out.syncid = u32(syncid.lowerBound)
        NetlinkModel.fill(&out.ifname, text(a[2]))
        out.maxlen = a[4].map { u16($0.lowerBound) } ?? 0
        // The kernel keeps and sends the sync port in host order (nla_put_u16 of mcast_port),
        // unlike the service and real-server ports (nla_put_be16): ipvsadm shows 8848 for 90 22.
        out.port = a[7].map { u16($0.lowerBound) } ?? 0
        out.ttl = a[8].map { u8($0.lowerBound) } ?? 0
        if let group = a[5] {
            out.group_af = NetlinkModel.inet
            NetlinkModel.fill(&out.group, bytes(group, count: 4))
        } else if let group = a[6] {
            out.group_af = NetlinkModel.inet6
            NetlinkModel.fill(&out.group, bytes(group, count: 16))
        }
        return out
    }
}

// MARK: - A strict JSON checker (RFC 8259), so escaping mistakes cannot hide.

enum JSONCheck {
    static func isValid(_ bytes: [UInt8]) -> Bool {
        var index = 0
        guard value(bytes, &index) else { return false }
        skipSpace(bytes, &index)
        return index == bytes.count && String(validating: bytes, as: UTF8.self) != nil
    }

    private static func skipSpace(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private static func value(_ bytes: [UInt8], _ index: inout Int, depth: Int = 0) -> Bool {
        skipSpace(bytes, &index)
        guard index < bytes.count, depth < 64 else { return false }
        switch bytes[index] {
        case UInt8(ascii: "{"): return container(bytes, &index, close: UInt8(ascii: "}"), depth: depth, keyed: true)
        case UInt8(ascii: "["): return container(bytes, &index, close: UInt8(ascii: "]"), depth: depth, keyed: false)
        case UInt8(ascii: "\""): return string(bytes, &index)
        case UInt8(ascii: "t"): return literal("true", bytes, &index)
        case UInt8(ascii: "f"): return literal("false", bytes, &index)
        case UInt8(ascii: "n"): return literal("null", bytes, &index)
        default: return number(bytes, &index)
        }
    }

    private static func container(_ bytes: [UInt8], _ index: inout Int, close: UInt8, depth: Int, keyed: Bool) -> Bool {
        index += 1
        skipSpace(bytes, &index)
        if index < bytes.count && bytes[index] == close { index += 1; return true }
        while true {
            if keyed {
                skipSpace(bytes, &index)
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), string(bytes, &index) else { return false }
                skipSpace(bytes, &index)
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
                index += 1
            }
            guard value(bytes, &index, depth: depth + 1) else { return false }
            skipSpace(bytes, &index)
            guard index < bytes.count else { return false }
            if bytes[index] == close { index += 1; return true }
            guard bytes[index] == UInt8(ascii: ",") else { return false }
            index += 1
        }
    }

    private static func string(_ bytes: [UInt8], _ index: inout Int) -> Bool {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return true
            case 0..<0x20: return false
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return false }
                let escape = bytes[index]
                index += 1
                if escape == UInt8(ascii: "u") {
                    guard index + 4 <= bytes.count, bytes[index..<index + 4].allSatisfy(isHex) else { return false }
                    index += 4
                } else if !"\"\\/bfnrt".utf8.contains(escape) {
                    return false
                }
            default: continue
            }
        }
        return false
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        (48...57).contains(byte) || (65...70).contains(byte) || (97...102).contains(byte)
    }

    private static func literal(_ word: String, _ bytes: [UInt8], _ index: inout Int) -> Bool {
        let count = word.utf8.count
        guard bytes.count - index >= count, bytes[index..<index + count].elementsEqual(word.utf8) else { return false }
        index += count
        return true
    }

    /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
    private static func number(_ bytes: [UInt8], _ index: inout Int) -> Bool {
        func digits() -> Int {
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            return index - start
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
        let start = index
        let count = digits()
        guard count > 0, count == 1 || bytes[start] != 48 else { return false }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return false }
        }
        if index < bytes.count && (bytes[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard digits() > 0 else { return false }
        }
        return true
    }
}

// MARK: - The replay: every file under Tests/Fuzz/Corpus, seeds and crashers alike.

#if !FUZZING
final class FuzzRegressionTests: XCTestCase {
    static let corpus = String(#filePath.dropLast("IPVSTuneTests/FuzzRegressionTests.swift".count)) + "Fuzz/Corpus"

    func testCorpusHoldsEveryTarget() {
        for target in FuzzProperties.targets {
            XCTAssertFalse(files(target).isEmpty, "no corpus files in \(Self.corpus)/\(target)")
        }
    }

    func testConnsCorpus() { replay("conns") }
    func testConfigCorpus() { replay("config") }
    func testDurationCorpus() { replay("duration") }
    func testNetlinkCorpus() { replay("netlink") }

    /// The checker itself: JSON that must pass and must fail.
    func testJSONCheck() {
        for good in ["{}", "[]", "{\"a\":[1,-0.5e+3,true,false,null,\"\\u00e9\\n\"]}", "0", "\"\""] {
            XCTAssertTrue(JSONCheck.isValid(Array(good.utf8)), good)
        }
        for bad in ["", "{", "{\"a\"}", "[1,]", "01", "\"\n\"", "\"\\x\"", "{\"a\":1}x", "nul"] {
            XCTAssertFalse(JSONCheck.isValid(Array(bad.utf8)), bad)
        }
    }

    private func replay(_ target: String, file: StaticString = #filePath, line: UInt = #line) {
        for path in files(target) {
            guard let data = read(path) else {
                XCTFail("cannot read \(path)", file: file, line: line)
                continue
            }
            for problem in FuzzProperties.check(target, data) {
                XCTFail("\(path): \(problem)", file: file, line: line)
            }
        }
    }

    private func files(_ target: String) -> [String] {
        let folder = "\(Self.corpus)/\(target)"
        guard let stream = opendir(folder) else { return [] }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if !name.hasPrefix(".") { names.append("\(folder)/\(name)") }
        }
        return names.sorted()
    }

    private func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 { return nil }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }
}
#endif
