import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

struct SplitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Write a copy of a dataset with a held-out split: \"split\": \"dev\" or \"test\" on every query.",
        discussion: """
        Tune prompts on dev; evaluate test once, at the end (`--split test`), for a number that \
        was not tuned on. The split is deterministic for a seed, stratified by whether a query \
        has any relevant candidate (label >= 1), and with --by FIELD a group's queries (one \
        user's, one conversation's) stay on one side; a query without the field is a group \
        alone. Every other field of a line is kept as it was.

        Examples:
          rerank-eval split Datasets/personal-memories.jsonl --test 0.3 --seed 7 \\
            -o memories-split.jsonl
          rerank-eval split Datasets/personal-memories.jsonl --test 0.3 --seed 7 \\
            --by user_id -o memories-by-user.jsonl
        """)

    @Argument(help: ArgumentHelp("The labeled dataset (JSONL).", valueName: "dataset"))
    var dataset: String

    @Option(name: .long, help: "The share of queries held out for test, between 0 and 1.")
    var test: Double = 0.3

    @Option(name: .long, help: "Seed of the shuffle: the same seed gives the same split.")
    var seed: UInt64

    @Option(name: .long, help: ArgumentHelp("A field of the query lines whose value keeps queries together (e.g. user_id).", valueName: "field"))
    var by: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("The file to write (not the input itself).", valueName: "file"))
    var output: String

    func validate() throws {
        guard test > 0, test < 1 else { throw ValidationError("--test must be between 0 and 1 (the held-out share), e.g. --test 0.3") }
        if let by, by.isEmpty { throw ValidationError("--by takes a field name of the query lines, e.g. --by user_id") }
    }

    func run() async throws {
        let same = URL(fileURLWithPath: dataset).standardizedFileURL.path == URL(fileURLWithPath: output).standardizedFileURL.path
        if same { throw failInput("\(output): is the input file; write the split copy elsewhere (-o NEW.jsonl)") }
        let outcome: DatasetSplitter.Outcome
        do { outcome = try DatasetSplitter(testFraction: test, seed: seed, groupField: by).split(path: dataset) } catch { throw failInput(error.commandLineMessage) }
        try writeOutput(outcome.text, to: output)
        var line = "wrote \(output): \(outcome.devQueries) dev, \(outcome.testQueries) test queries (with a relevant candidate: \(outcome.devWithRelevant) dev, \(outcome.testWithRelevant) test), seed \(seed)"
        if let by { line += ", \(outcome.groups) groups by \(by)\(outcome.withoutGroupField > 0 ? " (\(outcome.withoutGroupField) queries without it, each alone)" : "")" }
        printText(line)
        if outcome.testQueries == 0 || outcome.devQueries == 0 {
            printError("warning: the \(outcome.testQueries == 0 ? "test" : "dev") side is empty: too few queries or groups for --test \(test); use a larger dataset or fewer, smaller groups")
        }
    }
}
