import ArgumentParser
import IPVSTune

struct ShowConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show-config",
        abstract: "Print the settings apply would use, and the file and line of each.",
        discussion: "Every problem in the config is listed on stderr, one per line (exit 78)."
    )

    @Flag(help: "Print JSON: values in seconds, their sources, and the files read.")
    var json = false

    @OptionGroup var configOptions: ConfigOptions

    func run() throws {
        let paths = configOptions.paths
        let result = ConfigLoader.check(paths)
        if !result.problems.isEmpty {
            for problem in result.problems.dropLast() { Output.error(problem.description) }
            throw Failure(result.problems.last!.description, status: .config)
        }
        emit(ConfigReport(result.config, paths: paths), json: json)
    }
}
