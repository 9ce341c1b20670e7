/// What `metrics` takes from the connection table: the one counter (`TableCount`) read once
/// per namespace, seen as label values.
extension TableCount {
    /// Virtual services counted each on its own while reading, per namespace.
    static let metricsVirtualLimit = 4096

    /// From 1 s to the 2 h of the TCP keepalive time: where idle connections are about to be forgotten.
    static let histogramBounds: [Double] = expiryBounds.dropLast().map { Double($0) }

    /// Reads the whole table of the namespace the calling thread is in.
    static func read(_ path: String = ConnSource.table) throws(Failure) -> TableCount {
        let reader = try ConnSource.open(path)
        var counts = TableCount(virtualLimit: metricsVirtualLimit, byState: true)
        try reader.forEachEntry({ counts.add($0); return true }, onMalformed: { _ in counts.malformed += 1 })
        return counts
    }

    struct EntryLabels: Hashable, Sendable {
        var virtual: String
        var proto: String
        var state: String
    }

    struct TemplateLabels: Hashable, Sendable {
        var virtual: String
        var proto: String
    }

    /// Connections by virtual service, protocol and state; templates by virtual service and
    /// protocol. Text is made once per key, not per entry.
    var labelled: (entries: [EntryLabels: Int], templates: [TemplateLabels: Int]) {
        var entries: [EntryLabels: Int] = [:]
        var templates: [TemplateLabels: Int] = [:]
        for (cell, count) in cells {
            let service = services[Int(cell.service)]
            let virtual = virtualAddress(service)?.description ?? MetricsLabels.other
            entries[EntryLabels(virtual: virtual, proto: proto(service).text, state: names[Int(cell.names)].state.text), default: 0] += count
        }
        for (index, service) in services.enumerated() where serviceCounts[index].templates > 0 {
            let virtual = virtualAddress(service)?.description ?? MetricsLabels.other
            templates[TemplateLabels(virtual: virtual, proto: proto(service).text), default: 0] += serviceCounts[index].templates
        }
        return (entries, templates)
    }

    /// ESTABLISHED TCP connections (not templates) by seconds left; a timer already due counts as 0.
    var establishedHistogram: Histogram {
        var histogram = Histogram(bounds: TableCount.histogramBounds)
        // A wrapped timer (the last bucket) is due: it counts as 0 seconds, in the first bucket.
        let buckets = established
        histogram.add(counts: [buckets[0] + buckets[buckets.count - 1]] + buckets[1..<buckets.count - 1], sum: establishedSum)
        return histogram
    }
}
