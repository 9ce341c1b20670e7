/// The connection table counted while it streams by: what `conns --summary` and `metrics`
/// show. Entries are counted by virtual service (connections and templates), by protocol and
/// state, and by time to expiry (every entry, and the ESTABLISHED TCP connections apart);
/// with `byState`, connections also by service and state, for metrics. A row costs two
/// lookups of values it already holds and makes no String. Memory grows with the distinct
/// services and states, never with the entries.
struct TableCount: Equatable, Sendable {
    /// A protocol and a state. A table holds few such pairs: each is numbered once, so that
    /// the rest is counted under plain numbers.
    struct Names: Hashable {
        var proto: ConnName
        var state: ConnName

        /// Mixed as `Service` is, for the same reason: every row looks its names up.
        func hash(into hasher: inout Hasher) {
            hasher.combine(_rawHashValue(seed: 0))
        }

        func _rawHashValue(seed: Int) -> Int {
            let mixed = (UInt64(bitPattern: Int64(seed)) ^ proto.word &* 0x9E37_79B9_7F4A_7C15 ^ state.word) &* 0xFF51_AFD7_ED55_8CCD
            return Int(truncatingIfNeeded: mixed ^ mixed >> 29)
        }
    }

    /// A virtual service as the table shows it: a protocol (by its number in `protocols`) and
    /// the virtual address and port (a firewall-mark template's holds the mark).
    struct Service: Hashable {
        var proto: Int32
        /// A service beyond `virtualLimit`, counted under "other" (`virtual` is then 0).
        var isOther: Bool
        var virtual: Endpoint

        /// A generated table can have a service for every few entries, and SipHash over
        /// the key costs more than reading the row: the key's words are mixed by
        /// multiplication instead (as hashers for integer keys do), with the process's seed.
        /// Equal keys give equal words, and `==` tells the rest apart. Nothing here is a
        /// client's to choose: the services are the director's own.
        func hash(into hasher: inout Hasher) {
            hasher.combine(_rawHashValue(seed: 0))
        }

        func _rawHashValue(seed: Int) -> Int {
            let mixed = (UInt64(bitPattern: Int64(seed)) ^ virtual.word ^ UInt64(UInt32(bitPattern: proto)) << 40
                         ^ (isOther ? 1 << 39 : 0)) &* 0x9E37_79B9_7F4A_7C15
            return Int(truncatingIfNeeded: mixed ^ mixed >> 29)
        }
    }

    struct ServiceCount: Equatable, Sendable {
        var connections = 0
        var templates = 0
    }

    /// Connections of one service in one state (by their numbers), for `byState`.
    struct Cell: Hashable {
        var service: Int32
        var names: Int32
    }

    /// Upper bounds of the expiry buckets, in seconds: each entry falls in the first whose
    /// bound its expiry does not pass, or after the last when its timer wrapped. They are the
    /// bounds of every view: the summary's buckets and the metrics histogram's.
    static let expiryBounds: [UInt64] = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, ConnEntry.wrappedExpiry]

    /// Services counted each on its own; entries of any further one go to "other" at once, so
    /// a table of a million distinct services stays small. Unbounded for the summary.
    let virtualLimit: Int
    let byState: Bool
    private(set) var names: [Names] = []
    private var nameNumbers: [Names: Int32] = [:]
    /// For each of `names`: the number of its protocol, whether it is TCP ESTABLISHED, and
    /// how many entries (templates too) it has.
    private var protocolOfNames: [Int32] = []
    private var isEstablished: [Bool] = []
    private(set) var entriesByNames: [Int] = []
    private(set) var protocols: [ConnName] = []
    private(set) var services: [Service] = []
    private var serviceNumbers: [Service: Int32] = [:]
    private(set) var serviceCounts: [ServiceCount] = []
    private(set) var cells: [Cell: Int] = [:]
    /// The virtual addresses counted on their own, while `virtualLimit` is finite.
    private var addresses: Set<VirtualAddress> = []
    /// Every entry by expiry bucket, the wrapped ones last.
    private(set) var expiry = [Int](repeating: 0, count: expiryBounds.count + 1)
    /// ESTABLISHED TCP connections (not templates) by expiry bucket, and the sum of their
    /// expiries (a wrapped timer as 0): what metrics' histogram shows.
    private(set) var established = [Int](repeating: 0, count: expiryBounds.count + 1)
    private(set) var establishedSum: UInt64 = 0
    private(set) var invalidated = 0
    /// Lines that were no table row, set by whoever reads them.
    var malformed = 0

    init(virtualLimit: Int = .max, byState: Bool = false) {
        self.virtualLimit = virtualLimit
        self.byState = byState
    }

    mutating func add(_ entry: ConnEntry) {
        let number = nameNumbers[Names(proto: entry.protoName, state: entry.stateName)] ?? addNames(entry)
        entriesByNames[Int(number)] += 1
        let service = serviceNumbers[Service(proto: protocolOfNames[Int(number)], isOther: false, virtual: entry.virtual)]
            ?? addService(Service(proto: protocolOfNames[Int(number)], isOther: false, virtual: entry.virtual), entry)
        if entry.isTemplate {
            serviceCounts[Int(service)].templates += 1
        } else {
            serviceCounts[Int(service)].connections += 1
            if byState { cells[Cell(service: service, names: number), default: 0] += 1 }
        }
        var bucket = 0
        while bucket < TableCount.expiryBounds.count && entry.expires > TableCount.expiryBounds[bucket] { bucket += 1 }
        expiry[bucket] += 1
        if !entry.isTemplate && isEstablished[Int(number)] {
            established[bucket] += 1
            establishedSum &+= entry.expiresIn ?? 0
        }
        if entry.isInvalidated { invalidated += 1 }
    }

    private mutating func addNames(_ entry: ConnEntry) -> Int32 {
        let pair = Names(proto: entry.protoName, state: entry.stateName)
        let number = Int32(names.count)
        nameNumbers[pair] = number
        names.append(pair)
        entriesByNames.append(0)
        isEstablished.append(pair.proto == .tcp && pair.state == .established)
        if let known = protocols.firstIndex(of: pair.proto) {
            protocolOfNames.append(Int32(known))
        } else {
            protocolOfNames.append(Int32(protocols.count))
            protocols.append(pair.proto)
        }
        return number
    }

    /// A service seen for the first time: counted on its own while under the limit.
    private mutating func addService(_ service: Service, _ entry: ConnEntry) -> Int32 {
        var service = service
        if virtualLimit < .max {
            let address = entry.virtualAddress
            if addresses.contains(address) || addresses.count < virtualLimit {
                addresses.insert(address)
            } else {
                service.isOther = true
                service.virtual = Endpoint(.v4(0), 0)
                if let known = serviceNumbers[service] { return known }
            }
        }
        let number = Int32(services.count)
        serviceNumbers[service] = number
        services.append(service)
        serviceCounts.append(ServiceCount())
        return number
    }

    func proto(_ service: Service) -> ConnName { protocols[Int(service.proto)] }

    /// The virtual service as conns names it: `fwmark:N` for a firewall-mark template; nil
    /// for "other".
    func virtualAddress(_ service: Service) -> VirtualAddress? {
        guard !service.isOther else { return nil }
        if let mark = ConnEntry.firewallMark(proto: proto(service), virtual: service.virtual.address) { return .firewallMark(mark) }
        return .endpoint(service.virtual)
    }

    var summary: ConnSummary { ConnSummary(self) }
}

/// What `conns --summary` shows: counts by state, by virtual service, templates against
/// connections, and how soon entries expire; as text for people and as one JSON object,
/// both from the same fields. Its lines are written straight into the output, as the
/// listing's are: a generated table can have a service for every few entries.
struct ConnSummary: Report {
    /// The buckets shown, each with the index of the last `TableCount.expiryBounds` bucket it
    /// takes in: an entry falls in the first bucket whose limit its expiry does not pass.
    static let buckets: [(key: String, label: String, last: Int)] = [
        ("le_60", "1 min or less", 4), ("le_900", "1-15 min", 8), ("le_3600", "15 min-1 h", 10),
        ("le_7200", "1-2 h", 11), ("later", "over 2 h", 12), ("wrapped", "wrapped", 13),
    ]

    struct Service {
        var proto: ConnName
        var virtual: Endpoint
        var count: TableCount.ServiceCount

        /// As conns names it: `fwmark:N` for a firewall-mark template.
        var address: VirtualAddress {
            ConnEntry.firewallMark(proto: proto, virtual: virtual.address).map { .firewallMark($0) } ?? .endpoint(virtual)
        }
    }

    var entries = 0
    var templates = 0
    var invalidated = 0
    var malformed = 0
    /// Most frequent first; ties by name so the output is stable.
    var states: [(state: String, count: Int)] = []
    /// Most entries first; ties by protocol, then address.
    var services: [Service] = []
    var expiry = [Int](repeating: 0, count: ConnSummary.buckets.count)

    var connections: Int { entries - templates }

    init(_ table: TableCount) {
        invalidated = table.invalidated
        malformed = table.malformed
        entries = table.expiry.reduce(0, +)
        templates = table.serviceCounts.reduce(0) { $0 + $1.templates }
        var states: [ConnName: Int] = [:]
        for (number, names) in table.names.enumerated() { states[names.state, default: 0] += table.entriesByNames[number] }
        self.states = states.map { (state: $0.key.text, count: $0.value) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.state < $1.state }
        var bucket = 0
        for (offset, count) in table.expiry.enumerated() {
            while offset > ConnSummary.buckets[bucket].last { bucket += 1 }
            expiry[bucket] += count
        }
        // Most entries first, then by protocol name and address: sorted as plain numbers,
        // the protocols ranked by name once.
        var rank = [Int](repeating: 0, count: table.protocols.count)
        for (position, number) in table.protocols.indices.sorted(by: { table.protocols[$0].text < table.protocols[$1].text }).enumerated() {
            rank[number] = position
        }
        let order = table.services.indices.map { index in
            let service = table.services[index], count = table.serviceCounts[index]
            let address = service.virtual.address.sortKey
            return (UInt64(Int.max - count.connections - count.templates), UInt64(rank[Int(service.proto)]) << 8 | UInt64(address.0),
                    address.1, address.2, UInt64(service.virtual.port) << 32 | UInt64(index))
        }.sorted { ($0.0, $0.1, $0.2, $0.3, $0.4) < ($1.0, $1.1, $1.2, $1.3, $1.4) }
        services = order.map { key in
            let index = Int(truncatingIfNeeded: key.4 & 0xFFFF_FFFF)
            return Service(proto: table.proto(table.services[index]), virtual: table.services[index].virtual, count: table.serviceCounts[index])
        }
    }

    private static let count = TextColumn("COUNT", .right, width: 9)
    private static let connectionsColumn = TextColumn("CONNECTIONS", .right, width: 12)
    private static let templatesColumn = TextColumn("TEMPLATES", .right, width: 11)

    /// `expires` keys: `le_60` counts entries expiring within 60 s, `le_900` those within
    /// 61-900 s, and so on; `later` is over 2 h, `wrapped` a wrapped timer.
    func print(to printer: inout Printer) {
        printer.line("entries", 14, .number(entries), ConnSummary.count)
        printer.line("connections", 14, .number(connections), ConnSummary.count)
        printer.line("templates", 14, .number(templates), ConnSummary.count, note: invalidated > 0 ? "  (\(invalidated) invalidated)" : "")
        printer.field("invalidated", .number(invalidated))
        if malformed > 0 {
            printer.line("malformed", 14, .number(malformed), ConnSummary.count, note: "  (lines not read)")
        } else {
            printer.field("malformed", .number(malformed))
        }
        printer.text("\n" + TextColumn.headings([TextColumn("STATE", .left, width: 20), ConnSummary.count]))
        printer.object("states") { printer in
            for (state, count) in states { printer.line(state, 20, .number(count), ConnSummary.count) }
        }
        printer.text("\n" + TextColumn.headings([TextColumn("VIRTUAL SERVICE", .left, width: 32), ConnSummary.connectionsColumn, ConnSummary.templatesColumn]))
        printer.array("services") { printer in
            for service in services {
                printer.object { printer in
                    printer.service(service.proto, service.virtual)
                    printer.field("connections", .number(service.count.connections), column: ConnSummary.connectionsColumn)
                    printer.field("templates", .number(service.count.templates), column: ConnSummary.templatesColumn)
                    printer.text("\n")
                }
            }
        }
        printer.text("\n" + TextColumn.headings([TextColumn("EXPIRES IN", .left, width: 20), ConnSummary.count]))
        printer.object("expires") { printer in
            for (bucket, spec) in ConnSummary.buckets.enumerated() {
                printer.line(spec.key, 20, .number(expiry[bucket]), ConnSummary.count, label: spec.label)
            }
        }
    }
}

extension Printer {
    /// A line of the summary: the label (the key, unless given) left in `width`, the value
    /// in `column`, a note. JSON: the key and the value.
    fileprivate mutating func line(_ key: String, _ width: Int, _ value: JSON, _ column: TextColumn, label: String? = nil, note: String = "") {
        if !isJSON { out.append((label ?? key).padded(to: width)) }
        field(key, value, column: column)
        text(note + "\n")
    }

    /// The summary's `PROTO VIRTUAL` cell, or its `proto` and `virtual` members.
    fileprivate mutating func service(_ proto: ConnName, _ virtual: Endpoint) {
        let mark = ConnEntry.firewallMark(proto: proto, virtual: virtual.address)
        if isJSON {
            member("proto")
            out.appendJSON(proto)
            member("virtual")
            out.append(UInt8(ascii: "\""))
        }
        let start = out.count
        if !isJSON {
            out.append(proto)
            out.append(UInt8(ascii: " "))
        }
        if let mark {
            out.append("fwmark:")
            out.append(decimal: UInt64(mark))
        } else {
            out.append(virtual)
        }
        if isJSON { out.append(UInt8(ascii: "\"")) } else { out.padCharacters(from: start, to: 32) }
    }
}
