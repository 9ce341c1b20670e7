/// Builds small texts as bytes with the pointer writers of `ConnFormat`: an address's
/// description, one row for tests. The streamed output has its own buffer (ConnOutput).
struct ConnByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Gives `body` room for `maxBytes` (its text and `ConnFormat.slack`) and keeps what it
    /// wrote up to the position it returns.
    mutating func write(maxBytes: Int, _ body: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: maxBytes))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            return body(base + start) - (base + start)
        }
        precondition(written >= 0 && written <= maxBytes, "ConnByteWriter: a writer passed its bound")
        bytes.removeLast(maxBytes - written)
    }

    mutating func append(decimal value: UInt64) {
        write(maxBytes: 20 + ConnFormat.slack) { ConnFormat.shared.decimal(value, at: $0) }
    }

    /// Dotted quad, or RFC 5952 text (see `ConnAddress.description`).
    mutating func append(_ address: ConnAddress) {
        write(maxBytes: ConnFormat.maxEndpoint + ConnFormat.slack) { ConnFormat.shared.address(address, at: $0) }
    }

    /// `1.2.3.4:80` or `[2001:db8::1]:80`.
    mutating func append(_ endpoint: ConnEndpoint) {
        write(maxBytes: ConnFormat.maxEndpoint + ConnFormat.slack) { ConnFormat.shared.endpoint(endpoint, at: $0) }
    }
}
