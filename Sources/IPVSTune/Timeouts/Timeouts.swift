/// The three IPVS timeouts the kernel lets us change, in seconds.
public struct Timeouts: Equatable, Sendable {
    public var tcp: UInt32
    public var tcpfin: UInt32
    public var udp: UInt32

    /// What every new network namespace starts from.
    static let kernelDefaults = Timeouts(tcp: 900, tcpfin: 120, udp: 300)

    public subscript(name: TimeoutName) -> UInt32 {
        get { self[keyPath: name.inTimeouts] }
        set { self[keyPath: name.inTimeouts] = newValue }
    }
}

/// A timeout's name as ipvsadm, keepalived and our config file spell it.
public enum TimeoutName: String, CaseIterable, Sendable {
    case tcp
    case tcpfin
    case udp

    var inTimeouts: WritableKeyPath<Timeouts, UInt32> {
        switch self {
        case .tcp: \.tcp
        case .tcpfin: \.tcpfin
        case .udp: \.udp
        }
    }

    var inUpdate: WritableKeyPath<TimeoutUpdate, UInt32?> {
        switch self {
        case .tcp: \.tcp
        case .tcpfin: \.tcpfin
        case .udp: \.udp
        }
    }

    /// What the timeout governs, in an operator's words.
    var meaning: String {
        switch self {
        case .tcp: "idle ESTABLISHED TCP connections"
        case .tcpfin: "TCP connections in FIN_WAIT"
        case .udp: "idle UDP flows"
        }
    }
}

/// A partial set of timeouts: nil leaves that timeout as it is.
public struct TimeoutUpdate: Equatable, Sendable {
    var tcp: UInt32?
    var tcpfin: UInt32?
    var udp: UInt32?

    public init(tcp: UInt32? = nil, tcpfin: UInt32? = nil, udp: UInt32? = nil) {
        self.tcp = tcp
        self.tcpfin = tcpfin
        self.udp = udp
    }

    public subscript(name: TimeoutName) -> UInt32? {
        get { self[keyPath: name.inUpdate] }
        set { self[keyPath: name.inUpdate] = newValue }
    }

    public var isEmpty: Bool { tcp == nil && tcpfin == nil && udp == nil }

    /// The timeouts after this update is applied to `current`.
    func applied(to current: Timeouts) -> Timeouts {
        var result = current
        for name in TimeoutName.allCases {
            if let value = self[name] { result[name] = value }
        }
        return result
    }

    /// Only the values that differ from `current`; empty when nothing would change.
    func changes(from current: Timeouts) -> TimeoutUpdate {
        var result = TimeoutUpdate()
        for name in TimeoutName.allCases {
            if let value = self[name], value != current[name] { result[name] = value }
        }
        return result
    }
}

/// One timeout's value before and after a change.
struct TimeoutChange: Equatable, Sendable {
    var name: TimeoutName
    var from: UInt32
    var to: UInt32

    /// Every timeout whose value differs between `before` and `after`, in canonical order.
    static func between(_ before: Timeouts, _ after: Timeouts) -> [TimeoutChange] {
        TimeoutName.allCases.compactMap { name in
            before[name] == after[name] ? nil : TimeoutChange(name: name, from: before[name], to: after[name])
        }
    }
}
