import XCTest
@testable import IPVSTune

final class ConnSummaryTests: XCTestCase {
    private func summary(_ lines: [String]) -> ConnSummary {
        var summary = ConnSummary()
        for line in lines { if let entry = ConnSamples.entry(line) { summary.add(entry) } }
        return summary
    }

    func testCounts() {
        let summary = summary(ConnSamples.all)
        XCTAssertEqual(summary.entries, 14)
        XCTAssertEqual(summary.templates, 5)
        XCTAssertEqual(summary.connections, 9)
        XCTAssertEqual(summary.invalidated, 1)
        XCTAssertEqual(summary.states["ESTABLISHED"], 4)
        XCTAssertEqual(summary.states["NONE"], 3)
        XCTAssertEqual(summary.statesByCount.first?.state, "ESTABLISHED")
        // le_60, le_900, le_3600, le_7200, later, wrapped
        XCTAssertEqual(summary.expiry, [3, 9, 0, 1, 0, 1])
    }

    func testBucketEdges() {
        XCTAssertEqual(ConnSummary.bucket(0), 0)
        XCTAssertEqual(ConnSummary.bucket(60), 0)
        XCTAssertEqual(ConnSummary.bucket(61), 1)
        XCTAssertEqual(ConnSummary.bucket(900), 1)
        XCTAssertEqual(ConnSummary.bucket(3600), 2)
        XCTAssertEqual(ConnSummary.bucket(7200), 3)
        XCTAssertEqual(ConnSummary.bucket(7201), 4)
        XCTAssertEqual(ConnSummary.bucket(ConnEntry.wrappedExpiry), 4)
        XCTAssertEqual(ConnSummary.bucket(ConnEntry.wrappedExpiry + 1), 5)
        XCTAssertEqual(ConnSummary.bucket(UInt64.max), 5)
    }

    func testServices() {
        let summary = summary([ConnSamples.tcp, ConnSamples.syncOrigin, ConnSamples.templateNone,
                               ConnSamples.fwmarkTemplate, ConnSamples.udp])
        let services = summary.servicesByCount.map { "\($0.service.text) \($0.count.connections)/\($0.count.templates)" }
        XCTAssertEqual(services, ["TCP 192.168.1.10:80 2/1", "IP fwmark:100 0/1", "UDP 10.0.0.10:53 1/0"])
    }

    func testText() {
        var summary = summary([ConnSamples.tcp, ConnSamples.templateNone, ConnSamples.invalidated, ConnSamples.wrapped])
        summary.malformed = 2
        XCTAssertEqual(summary.text, """
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
        XCTAssertEqual(summary.json.rendered,
                       #"{"entries":2,"connections":1,"templates":1,"invalidated":0,"malformed":0,"#
                       + #""states":{"ASSURED":1,"ESTABLISHED":1},"#
                       + #""services":[{"proto":"IP","virtual":"fwmark:100","connections":0,"templates":1},"#
                       + #"{"proto":"TCP","virtual":"192.168.1.10:80","connections":1,"templates":0}],"#
                       + #""expires":{"le_60":0,"le_900":2,"le_3600":0,"le_7200":0,"later":0,"wrapped":0}}"#)
    }

    func testEmpty() {
        let summary = ConnSummary()
        XCTAssertEqual(summary.entries, 0)
        XCTAssertTrue(summary.json.rendered.contains(#""states":{},"services":[]"#))
    }
}
