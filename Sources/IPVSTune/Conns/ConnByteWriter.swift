/// Builds output as bytes: a listing of a million entries made of small Strings spends its
/// time allocating them, while appending digits to one buffer does not.
struct ConnByteWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }

    var string: String { String(decoding: bytes, as: UTF8.self) }

    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    mutating func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func append(byte: UInt8) { bytes.append(byte) }

    /// Spaces up to `width` bytes since `start`, or one space when the field is wider.
    mutating func pad(from start: Int, to width: Int) {
        let used = bytes.count - start
        let spaces = used >= width ? 1 : width - used
        for _ in 0..<spaces { bytes.append(32) }
    }

    mutating func trimTrailingSpaces() {
        while bytes.last == 32 { bytes.removeLast() }
    }

    /// Right-aligns what was appended since `start` in `width` bytes.
    mutating func alignRight(from start: Int, width: Int) {
        let used = bytes.count - start
        guard used < width else { return }
        bytes.insert(contentsOf: repeatElement(UInt8(32), count: width - used), at: start)
    }

    mutating func append(decimal value: UInt64) {
        // Digits come out last first: fill a small stack buffer from its end.
        var storage: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &storage) { digits in
            var rest = value
            var index = digits.count
            repeat {
                index -= 1
                digits[index] = 48 + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: digits[index...]))
        }
    }

    /// Two digits, for the minutes and seconds of `h:mm:ss`.
    mutating func append(twoDigits value: UInt64) {
        bytes.append(48 + UInt8(value / 10 % 10))
        bytes.append(48 + UInt8(value % 10))
    }

    /// Dotted quad, or RFC 5952 text (see `ConnAddress.description`).
    mutating func append(_ address: ConnAddress) {
        switch address {
        case .v4(let value): append(ipv4: value)
        case .v6(let high, let low): append(ipv6High: high, low: low)
        }
    }

    mutating func append(ipv4 value: UInt32) {
        append(decimal: UInt64(value >> 24))
        bytes.append(46)
        append(decimal: UInt64(value >> 16 & 0xFF))
        bytes.append(46)
        append(decimal: UInt64(value >> 8 & 0xFF))
        bytes.append(46)
        append(decimal: UInt64(value & 0xFF))
    }

    mutating func append(ipv6High high: UInt64, low: UInt64) {
        // IPv4-mapped addresses read better with their IPv4 part dotted (RFC 5952 section 5).
        if high == 0 && low >> 32 == 0xFFFF {
            append("::ffff:")
            append(ipv4: UInt32(truncatingIfNeeded: low))
            return
        }
        let run = ConnAddress.zeroRunToCompress(high: high, low: low)
        var index = 0
        var afterRun = false
        while index < 8 {
            if let run, index == run.start {
                append("::")
                index += run.length
                afterRun = true
                continue
            }
            if index > 0 && !afterRun { bytes.append(58) }
            afterRun = false
            append(hex: ConnAddress.group(index, high: high, low: low))
            index += 1
        }
    }

    /// Lower-case hex without leading zeros, as IPv6 text wants its groups.
    mutating func append(hex value: UInt16) {
        var shift = 12
        while shift > 0 && value >> UInt16(shift) == 0 { shift -= 4 }
        while shift >= 0 {
            let nibble = UInt8(truncatingIfNeeded: value >> UInt16(shift)) & 15
            bytes.append(nibble < 10 ? 48 + nibble : 87 + nibble)
            shift -= 4
        }
    }

    mutating func append(_ endpoint: ConnEndpoint) {
        let v6 = endpoint.address.isIPv6
        if v6 { bytes.append(91) }
        append(endpoint.address)
        if v6 { bytes.append(93) }
        bytes.append(58)
        append(decimal: UInt64(endpoint.port))
    }

    /// A JSON string with the same escapes as `JSON.writeString`.
    mutating func append(jsonString text: String) {
        bytes.append(34)
        for byte in text.utf8 {
            switch byte {
            case 34: bytes.append(contentsOf: [92, 34])
            case 92: bytes.append(contentsOf: [92, 92])
            case 10: bytes.append(contentsOf: [92, 110])
            case 13: bytes.append(contentsOf: [92, 114])
            case 9: bytes.append(contentsOf: [92, 116])
            case 0..<32:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, 117, 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(34)
    }
}
