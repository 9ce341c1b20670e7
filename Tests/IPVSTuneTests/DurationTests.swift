import XCTest
@testable import IPVSTune

final class DurationTests: XCTestCase {
    func testPlainSeconds() throws {
        XCTAssertEqual(try TimeoutDuration.parse("7200"), 7200)
        XCTAssertEqual(try TimeoutDuration.parse("0"), 0)
        XCTAssertEqual(try TimeoutDuration.parse(" 300 "), 300)
    }

    func testUnits() throws {
        XCTAssertEqual(try TimeoutDuration.parse("90s"), 90)
        XCTAssertEqual(try TimeoutDuration.parse("15m"), 900)
        XCTAssertEqual(try TimeoutDuration.parse("2h"), 7200)
        XCTAssertEqual(try TimeoutDuration.parse("1h30m"), 5400)
        XCTAssertEqual(try TimeoutDuration.parse("1d"), 86400)
        XCTAssertEqual(try TimeoutDuration.parse("1d2h3m4s"), 93784)
        XCTAssertEqual(try TimeoutDuration.parse("31d"), 2_678_400)
    }

    func testUpperBoundIs31Days() {
        XCTAssertEqual(try TimeoutDuration.parse("2678400"), TimeoutDuration.maximum)
        XCTAssertThrowsError(try TimeoutDuration.parse("2678401")) { error in
            XCTAssertEqual(error as? TimeoutDuration.ParseError, .tooLarge("2678401"))
        }
        XCTAssertThrowsError(try TimeoutDuration.parse("32d"))
        XCTAssertThrowsError(try TimeoutDuration.parse("99999999999999999999999"))
        XCTAssertThrowsError(try TimeoutDuration.parse("9999999999999d"))
    }

    func testRejectsWhatIsNotAWholeNonNegativeDuration() {
        let cases: [(String, TimeoutDuration.ParseError)] = [
            ("", .empty),
            ("   ", .empty),
            ("-1", .negative("-1")),
            ("1.5", .fractional("1.5")),
            ("1,5", .fractional("1,5")),
            ("abc", .malformed("abc")),
            ("2x", .malformed("2x")),
            ("h", .malformed("h")),
            ("1h30", .malformed("1h30")),   // seconds after units would be ambiguous
            ("30m1h", .malformed("30m1h")), // units largest first
            ("1h1h", .malformed("1h1h")),   // each unit once
            ("1H", .malformed("1H")),
            ("1 h", .malformed("1 h")),
            ("٣", .malformed("٣")),        // only ASCII digits
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try TimeoutDuration.parse(text), text) { error in
                XCTAssertEqual(error as? TimeoutDuration.ParseError, expected, text)
            }
        }
    }

    func testMessagesSayWhatToDo() {
        XCTAssertTrue(TimeoutDuration.ParseError.tooLarge("32d").description.contains("31 days"))
        XCTAssertTrue(TimeoutDuration.ParseError.malformed("x").description.contains("90s"))
    }

    func testFormat() {
        XCTAssertEqual(TimeoutDuration.format(0), "0s")
        XCTAssertEqual(TimeoutDuration.format(900), "15m")
        XCTAssertEqual(TimeoutDuration.format(5400), "1h30m")
        XCTAssertEqual(TimeoutDuration.format(93784), "1d2h3m4s")
    }

    func testFormatThenParseRoundTrips() throws {
        for seconds: UInt32 in [1, 59, 60, 61, 3599, 3600, 86399, 86400, 2_678_400] {
            XCTAssertEqual(try TimeoutDuration.parse(TimeoutDuration.format(UInt64(seconds))), seconds)
        }
    }
}
