@testable import IPVSTune
import XCTest

final class WatchEventTests: XCTestCase {
    let tcp = WatchEntry(proto: "TCP", state: "ESTABLISHED", client: "10.1.0.2:51308", virtual: "10.1.0.100:5432",
                         dest: "10.2.0.2:5432", timeout: 900)
    let udp = WatchEntry(proto: "UDP", state: "UDP", client: "[2001:db8::2]:5353", virtual: "[2001:db8::100]:53",
                         dest: "[2001:db8:1::5]:53", timeout: 300)

    func event(_ kind: WatchEvent.Kind, _ entry: WatchEntry?, netns: String = "host", message: String? = nil) -> WatchEvent {
        var event = WatchEvent(kind: kind, netns: netns, entry: entry, message: message)
        event.time = "2026-11-29T19:01:02Z"
        return event
    }

    func testIdleExpiryAsTextAndJSON() {
        let advice = WatchEvent.advice(.idleExpiry, tcp, keepalive: TCPKeepalive(time: 7200, interval: 75))
        let idle = event(.idleExpiry, tcp, message: advice)
        XCTAssertEqual(idle.rendered(.text), "2026-11-29T19:01:02Z  host  idle-expiry  TCP 10.1.0.2:51308 -> 10.1.0.100:5432 -> 10.2.0.2:5432: idle past the tcp timeout 900 s (15m): its next packet is answered with a reset; raise it, ipvstune set --tcp 7275 --save, or have the client send TCP keepalives more often than every 900 s\n")
        XCTAssertEqual(idle.rendered(.json), #"{"event":"idle-expiry","time":"2026-11-29T19:01:02Z","netns":"host","proto":"TCP","state":"ESTABLISHED","client":"10.1.0.2:51308","virtual":"10.1.0.100:5432","dest":"10.2.0.2:5432","timeout":900,"message":"\#(advice)"}"# + "\n")
    }

    func testAdviceFollowsTheKeepaliveAndTheProtocol() {
        var long = tcp
        long.timeout = 10_000
        XCTAssertTrue(WatchEvent.advice(.idleExpiry, long, keepalive: TCPKeepalive(time: 7200, interval: 75)).contains("ipvstune set --tcp 20000 --save"))
        XCTAssertTrue(WatchEvent.advice(.idleExpiry, tcp, keepalive: TCPKeepalive(time: 600, interval: 30)).contains("ipvstune set --tcp 1800 --save"))
        XCTAssertTrue(WatchEvent.advice(.idleExpiry, tcp, keepalive: nil).contains("ipvstune set --tcp 7275 --save"))
        XCTAssertTrue(WatchEvent.advice(.idleExpiry, udp, keepalive: nil).contains("ipvstune set --udp 600 --save"))
        XCTAssertTrue(WatchEvent.advice(.templateGrace, tcp, keepalive: nil).contains("one-minute grace"))
    }

    func testNamespaceGone() {
        let gone = event(.netnsGone, nil, netns: "/run/netns/blue", message: "network namespace '/run/netns/blue' not found")
        XCTAssertEqual(gone.rendered(.text), "2026-11-29T19:01:02Z  /run/netns/blue  netns-gone: network namespace '/run/netns/blue' not found\n")
        XCTAssertEqual(gone.rendered(.json), #"{"event":"netns-gone","time":"2026-11-29T19:01:02Z","netns":"/run/netns/blue","message":"network namespace '/run/netns/blue' not found"}"# + "\n")
    }

    func testCountersPerNamespaceAndVirtualService() {
        var counters = WatchCounters()
        counters.time = "2026-11-29T20:00:00Z"
        XCTAssertEqual(counters.rendered(.text), "summary at 2026-11-29T20:00:00Z\nNAMESPACE   VIRTUAL                      IDLE-EXPIRY  TEMPLATE-GRACE\n(no events)\n")
        for kind in [WatchEvent.Kind.idleExpiry, .idleExpiry, .templateGrace] { counters.count(event(kind, tcp)) }
        counters.count(event(.idleExpiry, udp, netns: "/run/netns/blue"))
        counters.count(event(.netnsGone, nil, netns: "/run/netns/red"))
        XCTAssertEqual(counters.rendered(.text), """
            summary at 2026-11-29T20:00:00Z
            NAMESPACE        VIRTUAL                      IDLE-EXPIRY  TEMPLATE-GRACE
            host             10.1.0.100:5432                        2               1
            /run/netns/blue  [2001:db8::100]:53                     1               0

            """)
        XCTAssertEqual(counters.rendered(.json), #"{"summary":{"time":"2026-11-29T20:00:00Z","counts":[{"netns":"host","virtual":"10.1.0.100:5432","idle-expiry":2,"template-grace":1},{"netns":"/run/netns/blue","virtual":"[2001:db8::100]:53","idle-expiry":1,"template-grace":0}]}}"# + "\n")
    }
}
