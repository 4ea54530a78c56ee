import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check datasets (.jsonl) and prompt files without running anything.",
        discussion: """
        Datasets: every line is checked and every problem is listed with file:line: field.
        Prompts: checked for the mode given (default: the prompt's own mode, else both modes \
        are reported).

        Examples:
          rerank-eval validate Datasets/personal-memories.jsonl
          rerank-eval validate Prompts/mem0-documented-template.txt \\
            --mode template
        """
    )

    @Argument(help: ArgumentHelp("Dataset (.jsonl) or prompt files.", valueName: "file"))
    var files: [String]

    @Option(name: .long, help: "Mode to validate prompts for: system or template.")
    var mode: PromptMode?

    func run() throws {
        var bad = false
        for file in files {
            if file.hasSuffix(".jsonl") || file.hasSuffix(".json") {
                do {
                    let d = try DatasetLoader().load(path: file)
                    for w in d.warnings { printError("warning: \(w)") }
                    let judged = d.queries.reduce(0) { $0 + $1.candidates.filter { $0.relevance != nil }.count }
                    // What the first stage missed: judged-relevant documents no candidate pool holds.
                    let outside = d.queries.reduce(0) { $0 + $1.judgments.count }
                    let outsideRelevant = d.queries.reduce(0) { $0 + $1.relevantOutsidePool(threshold: 1) }
                    let missing = d.queries.filter { $0.relevantOutsidePool(threshold: 1) > 0 }.count
                    printText("\(file): ok, \(d.queries.count) queries, \(d.candidateCount) candidates (\(judged) judged), "
                              + "\(outside) judgments outside the pools (\(outsideRelevant) relevant, in \(missing) quer\(missing == 1 ? "y" : "ies"))")
                } catch {
                    printError(error.commandLineMessage.split(separator: "\n").map { "error: \($0)" }.joined(separator: "\n"))
                    bad = true
                }
            } else {
                let prompt: ScoringPrompt
                do { prompt = try ScoringPrompt.load(path: file) } catch {
                    printError("error: \(error.commandLineMessage)")
                    bad = true
                    continue
                }
                // A Markdown file with no front matter is a document given by mistake (a
                // README), not a prompt card: say so instead of validating it as a prompt.
                if file.hasSuffix(".md"), prompt.bodyLineOffset == 0 {
                    printError("error: \(file): a Markdown file without front matter is neither a dataset nor a prompt; validate takes datasets (.jsonl) and prompt files (.txt, or prompt cards .md that start with front matter)")
                    bad = true
                    continue
                }
                // A prompt that names its mode (or is checked for one) must pass in it. One that
                // names none is fine if either mode works; the other mode's problems are notes,
                // so an "error:" line always means a non-zero exit.
                let modes = mode.map { [$0] } ?? prompt.mode.map { [$0] } ?? PromptMode.allCases
                let usable = modes.filter { m in !prompt.validate(mode: m).contains { $0.severity == .error } }
                for m in modes {
                    let problems = prompt.validate(mode: m)
                    // The mode that works gets every problem; one that does not, its first few.
                    let shown = usable.isEmpty || usable.contains(m) ? problems : Array(problems.prefix(5))
                    for p in shown {
                        let place = p.line > 0 ? "\(file):\(p.line):\(p.column)" : file
                        let severity = p.severity == .error && !usable.isEmpty ? "note: not usable in \(m.rawValue) mode:" : "\(p.severity.rawValue): [\(m.rawValue) mode]"
                        printError("\(severity) \(place): \(p.message)")
                    }
                    if shown.count < problems.count { printError("note: ... and \(problems.count - shown.count) more in \(m.rawValue) mode") }
                }
                if usable.isEmpty {
                    bad = true
                } else {
                    printText("\(file): ok for \(usable.map { "\($0.rawValue) mode" }.joined(separator: " and "))")
                }
            }
        }
        if bad { throw ExitCode(2) }
    }
}
