import XCTest
import IPVSTuneTestSupport

/// The shared test tools are what they say: a replayed seed gives SplitMix64's sequence, and the
/// samples file gives whole rows.
final class TestSupportTests: XCTestCase {
    /// Vigna's splitmix64.c from seed 1234567, so IPVSTUNE_SEED replays the same draws anywhere.
    func testSeededRandomIsSplitMix64() {
        var random = SeededRandom(seed: 1_234_567)
        XCTAssertEqual((0..<5).map { _ in random.next() },
                       [6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                        4_593_380_528_125_082_431, 16_408_922_859_458_223_821])
    }

    /// Names are unique, and a row is the whole line after its name, runs of spaces kept.
    func testConnSamplesAreWholeRows() {
        let rows = TestData.namedLines("conn-samples.txt")
        XCTAssertEqual(Set(rows.map(\.name)).count, rows.count)
        XCTAssertEqual(rows.first { $0.name == "ipv6" }?.text.split(separator: " ").count, 9)
        XCTAssertEqual(rows.first { $0.name == "tcp" }?.text, "TCP C0A80064 D431 C0A8010A 0050 0A010005 0050 ESTABLISHED     899")
    }
}
