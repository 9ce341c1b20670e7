import ArgumentParser
import IPVSTuneTestSupport
import XCTest
@testable import ipvstune

/// `IPVSTuneCommand.parse` starts at the named subcommand to save start-up time; whatever it
/// returns or throws must be what parsing from the root gives for the same arguments.
final class ArgumentParsingTests: XCTestCase {
    static let words = [
        "get", "set", "conns", "services", "apply", "save", "show-config", "doctor", "bogus",
        "tcp", "tcpfin", "udp", "7200", "120", "300", "0", "2h", "-5", "--", "x",
        "--json", "--all-netns", "--netns", "--netns=a=b", "ns1", "/run/netns/ns1",
        "--tcp", "--tcpfin", "--udp", "--tcp=90s", "--save", "--config", "/tmp/x.conf",
        "--state", "established,none", "--proto", "tcp", "--client", "10.0.0.0/8", "--virtual", "fwmark:7",
        "--dest", "10.0.0.5:80", "--templates", "--no-templates", "--expiring-within", "15m",
        "--count", "--summary", "--sort", "expire", "client", "--file", "-", "/tmp/table",
        "--check", "--detailed-exitcode", "--quiet", "-q", "-j", "--unknown",
    ]

    func testSameResultAsParsingFromTheRoot() {
        var random = SeededRandom.forTest()
        let listed: [[String]] = [
            ["get"], ["get", "tcp"], ["get", "--json"], ["set", "7200", "120", "300"], ["set", "--tcp", "2h"],
            ["set", "--tcp=2h", "--save", "--config", "/tmp/x.conf"], ["conns", "--state", "established", "--count"],
            ["conns", "--file", "-"], ["conns", "--templates", "--no-templates"], ["services", "--json"],
            ["apply", "--check"], ["doctor", "--all-netns"], ["get", "--bogus"], ["set"], ["conns", "x"],
        ]
        let drawn = (0..<400).map { _ in
            [random.pick(Array(Self.words.prefix(9)))] + (0..<random.below(5)).map { _ in random.pick(Self.words) }
        }
        for arguments in listed + drawn {
            XCTAssertEqual(outcome { try IPVSTuneCommand.parse(arguments) }, outcome { try IPVSTuneCommand.parseAsRoot(arguments) },
                           arguments.joined(separator: " "))
        }
    }

    func testHelpVersionAndCompletionsGoToTheRoot() {
        for arguments in [["get", "--help"], ["set", "-h"], ["help", "get"], ["conns", "--version"],
                          ["get", "--generate-completion-script", "bash"]] {
            XCTAssertEqual(outcome { try IPVSTuneCommand.parse(arguments) }, outcome { try IPVSTuneCommand.parseAsRoot(arguments) },
                           arguments.joined(separator: " "))
        }
    }

    /// The parsed command with every value, or the error as the user would see it.
    private func outcome(_ parse: () throws -> ParsableCommand) -> String {
        do {
            var text = ""
            dump(try parse(), to: &text)
            return text
        } catch {
            return "error \(IPVSTuneCommand.exitCode(for: error).rawValue): \(IPVSTuneCommand.fullMessage(for: error))"
        }
    }
}
