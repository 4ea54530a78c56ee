import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

@main
struct RerankEval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerank-eval",
        abstract: "Evaluate LLM reranker scoring prompts against labeled datasets, headless.",
        discussion: """
        Exit codes: 0 ok; 1 the run had failed calls, was cancelled, or a --fail-under gate failed; \
        2 bad input or usage.

        Examples:
          rerank-eval run --dataset Datasets/personal-memories.jsonl
          rerank-eval run --dataset Datasets/personal-memories.jsonl \\
            --format json > run.json
          rerank-eval validate Datasets/personal-memories.jsonl \\
            Prompts/mem0-default-system.txt
          rerank-eval prompts
          rerank-eval local install     # a real model with no API key
        """,
        subcommands: [RunCommand.self, MatrixCommand.self, ProbeCommand.self, TuneCommand.self, SplitCommand.self, HistoryCommand.self, ShowCommand.self, CompareCommand.self, ExportCommand.self, CacheCommand.self, StoreCommand.self, BatchesCommand.self, ValidateCommand.self, StatsCommand.self, ImportCommand.self, PromptsCommand.self, ProvidersCommand.self, PingCommand.self, LocalCommand.self]
    )

    /// ArgumentParser exits 64 on usage errors; this tool promises 2 for every bad input.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            // Help and version go to stdout as ArgumentParser writes them.
            if code == .success { exit(withError: error) }
            // Anything else is printed here, inert: a message may quote a value from a file.
            let message = error is any RemedialError ? "Error: \(error.commandLineMessage)" : fullMessage(for: error)
            if !message.isEmpty { printError(message) }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// Writes a message to standard error, inert: messages quote ids, paths, model names and server
/// replies, and none of them may act on the terminal (`TerminalText`).
func printError(_ message: String) {
    let text = TerminalText.inert(message, layout: .lines)
    FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// Prints human-readable text to standard output, inert (`TerminalText`): tables and reports
/// carry queries, ids and names from data. Machine formats (JSON, CSV, TREC) are made safe by
/// their own writers instead, so their bytes stay exact.
func printText(_ text: String, terminator: String = "\n") {
    print(TerminalText.inert(text, layout: .lines), terminator: terminator)
}

/// Prints `error: ...` lines for a bad input and exits 2.
func failInput(_ message: String) -> ExitCode {
    let lines = message.split(separator: "\n", omittingEmptySubsequences: false)
    printError(lines.map { "error: \($0)" }.joined(separator: "\n"))
    return ExitCode(2)
}

/// Writes a command's output to a file (atomically) or to standard output.
func writeOutput(_ text: String, to output: String?) throws {
    if let output {
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
            throw failInput("\(output): cannot write the output: \(error.localizedDescription)")
        }
    } else {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
