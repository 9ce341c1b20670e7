import Glibc

/// The generator every random test draws from: SplitMix64, seeded so a failure can be replayed.
///
/// The seed comes from IPVSTUNE_SEED when it is set, otherwise it is new each run; either way
/// it is printed, so `IPVSTUNE_SEED=N swift test --filter NAME` repeats a failing run exactly.
public struct SeededRandom: RandomNumberGenerator {
    public let seed: UInt64
    private var state: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// A generator for the test named `test`, announcing its seed.
    public static func forTest(_ test: String = #function) -> SeededRandom {
        var system = SystemRandomNumberGenerator()
        let seed = getenv("IPVSTUNE_SEED").flatMap { UInt64(String(cString: $0)) } ?? system.next()
        print("\(test): seed \(seed) (rerun with IPVSTUNE_SEED=\(seed))")
        return SeededRandom(seed: seed)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A whole number in 0..<bound.
    public mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// One of `items`, which must not be empty.
    public mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }
}
