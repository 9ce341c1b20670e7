/// One entry as the hot paths see it: plain numbers and byte views, nothing counted by
/// reference, so making, filtering and writing a row costs no allocation, retain or release.
///
/// The views point into the line being read (fast path), into the Strings of a `ConnEntry`
/// (everything else, see `ConnEntry.withRow`) or into what `--sort` kept (`ConnKeptRows`);
/// a row lives only as long as those. Its bytes are always valid UTF-8: the fast parser
/// hands anything else to the String-based parser, whose Strings have replaced bad bytes.
struct ConnRow: @unchecked Sendable {
    var proto: UnsafeBufferPointer<UInt8>
    var state: UnsafeBufferPointer<UInt8>
    var client: ConnEndpoint
    var virtual: ConnEndpoint
    var dest: ConnEndpoint
    var expires: UInt64
    var peName: UnsafeBufferPointer<UInt8>?
    var peData: UnsafeBufferPointer<UInt8>?
    var origin: ConnOrigin?

    static let unset = ConnRow(proto: UnsafeBufferPointer(start: nil, count: 0), state: UnsafeBufferPointer(start: nil, count: 0),
                               client: ConnEndpoint(.v4(0), 0), virtual: ConnEndpoint(.v4(0), 0),
                               dest: ConnEndpoint(.v4(0), 0), expires: 0, peName: nil, peData: nil, origin: nil)

    @inline(__always) var isExpiryWrapped: Bool { expires > ConnEntry.wrappedExpiry }

    @inline(__always) var isTemplate: Bool { client.port == 0 }

    @inline(__always) var isInvalidated: Bool { isTemplate && virtual.port == 0xFFFF && dest.port == 0xFFFF }

    /// The protocol is exactly `IP`: the kernel's name for firewall-mark templates.
    @inline(__always) var isFirewallMarkProto: Bool {
        proto.count == 2 && proto[0] == UInt8(ascii: "I") && proto[1] == UInt8(ascii: "P")
    }

    /// As `ConnEntry.firewallMark`.
    @inline(__always) var firewallMark: UInt32? {
        guard isFirewallMarkProto else { return nil }
        switch virtual.address {
        case .v4(let mark): return mark
        case .v6(let high, _): return UInt32(truncatingIfNeeded: high >> 32)
        }
    }

    /// The entry these views describe, with its own Strings.
    var entry: ConnEntry {
        ConnEntry(proto: String(decoding: proto, as: UTF8.self), client: client, virtual: virtual, dest: dest,
                  state: String(decoding: state, as: UTF8.self), expires: expires,
                  peName: peName.map { String(decoding: $0, as: UTF8.self) },
                  peData: peData.map { String(decoding: $0, as: UTF8.self) }, origin: origin)
    }
}

extension ConnEntry {
    /// Calls `body` with a row viewing this entry's Strings (inout only to pass it by
    /// address, like every writer of rows: `body` must not change it), so that entries made by hand or
    /// kept for sorting go through the same filter and writers as streamed rows.
    func withRow<Result>(_ body: (inout ConnRow) -> Result) -> Result {
        var proto = self.proto
        var state = self.state
        var name = peName ?? ""
        var data = peData ?? ""
        let hasName = peName != nil
        let hasData = peData != nil
        return proto.withUTF8 { proto in
            state.withUTF8 { state in
                name.withUTF8 { name in
                    data.withUTF8 { data in
                        var row = ConnRow(proto: proto, state: state, client: client, virtual: virtual, dest: dest,
                                          expires: expires, peName: hasName ? name : nil, peData: hasData ? data : nil,
                                          origin: origin)
                        return body(&row)
                    }
                }
            }
        }
    }
}
