import XCTest
@testable import IPVSTune

final class ConnSummaryTests: XCTestCase {
    private func summary(_ lines: [String], malformed: Int = 0) -> ConnSummary {
        var table = TableCount()
        for line in lines { if let entry = ConnSamples.entry(line) { table.add(entry) } }
        table.malformed = malformed
        return table.summary
    }

    func testCounts() {
        let summary = summary(ConnSamples.all)
        XCTAssertEqual(summary.entries, 14)
        XCTAssertEqual(summary.templates, 5)
        XCTAssertEqual(summary.connections, 9)
        XCTAssertEqual(summary.invalidated, 1)
        XCTAssertEqual(summary.states.first { $0.state == "ESTABLISHED" }?.count, 4)
        XCTAssertEqual(summary.states.first { $0.state == "NONE" }?.count, 3)
        XCTAssertEqual(summary.states.first?.state, "ESTABLISHED")
        // le_60, le_900, le_3600, le_7200, later, wrapped
        XCTAssertEqual(summary.expiry, [3, 9, 0, 1, 0, 1])
    }

    /// An entry falls in the first bucket whose limit its expiry does not pass; past 2^31
    /// seconds a timer has wrapped.
    func testBucketEdges() {
        let edges: [(UInt64, Int)] = [(0, 0), (60, 0), (61, 1), (900, 1), (901, 2), (3600, 2), (7200, 3), (7201, 4),
                                      (ConnEntry.wrappedExpiry, 4), (ConnEntry.wrappedExpiry + 1, 5), (UInt64.max, 5)]
        for (expires, bucket) in edges {
            var table = TableCount()
            var entry = try! XCTUnwrap(ConnSamples.entry(ConnSamples.tcp))
            entry.expires = expires
            table.add(entry)
            var expected = [Int](repeating: 0, count: 6)
            expected[bucket] = 1
            XCTAssertEqual(table.summary.expiry, expected, "\(expires)")
        }
    }

    func testServices() {
        let summary = summary([ConnSamples.tcp, ConnSamples.syncOrigin, ConnSamples.templateNone,
                               ConnSamples.fwmarkTemplate, ConnSamples.udp])
        let services = summary.services.map { "\($0.proto.text) \($0.address) \($0.count.connections)/\($0.count.templates)" }
        XCTAssertEqual(services, ["TCP 192.168.1.10:80 2/1", "IP fwmark:100 0/1", "UDP 10.0.0.10:53 1/0"])
    }

    func testText() {
        let summary = summary([ConnSamples.tcp, ConnSamples.templateNone, ConnSamples.invalidated, ConnSamples.wrapped], malformed: 2)
        XCTAssertEqual(summary.rendered(.text), """
            entries               4
            connections           2
            templates             2  (1 invalidated)
            malformed             2  (lines not read)

            STATE                   COUNT
            NONE                        2
            CLOSE                       1
            ESTABLISHED                 1

            VIRTUAL SERVICE                  CONNECTIONS  TEMPLATES
            TCP 192.168.1.10:80                        2          1
            TCP 192.168.1.10:65535                     0          1

            EXPIRES IN              COUNT
            1 min or less               1
            1-15 min                    2
            15 min-1 h                  0
            1-2 h                       0
            over 2 h                    0
            wrapped                     1

            """)
    }

    func testJSON() {
        let summary = summary([ConnSamples.tcp, ConnSamples.fwmarkTemplate])
        XCTAssertEqual(summary.rendered(.json),
                       #"{"entries":2,"connections":1,"templates":1,"invalidated":0,"malformed":0,"#
                       + #""states":{"ASSURED":1,"ESTABLISHED":1},"#
                       + #""services":[{"proto":"IP","virtual":"fwmark:100","connections":0,"templates":1},"#
                       + #"{"proto":"TCP","virtual":"192.168.1.10:80","connections":1,"templates":0}],"#
                       + #""expires":{"le_60":0,"le_900":2,"le_3600":0,"le_7200":0,"later":0,"wrapped":0}}"# + "\n")
    }

    func testEmpty() {
        let summary = TableCount().summary
        XCTAssertEqual(summary.entries, 0)
        XCTAssertTrue(summary.rendered(.json).contains(#""states":{},"services":[]"#))
    }
}
