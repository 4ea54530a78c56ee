import ArgumentParser
import Foundation
import RerankKit
import WorkbenchUI

@main
struct Rerankbench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rerankbench",
        abstract: "The terminal workbench: edit a scoring prompt, run the reranker on a labeled dataset, read the metrics.",
        discussion: """
        Examples:
          rerankbench Datasets/personal-memories.jsonl
          rerankbench Datasets/eng-notes.jsonl --prompt Prompts/contextual-needs.txt \\
            --provider openai --model gpt-4o-mini
          rerankbench     # restores the last session, or opens the sample dataset

        Keys: ? shows them all; the bottom line shows the ones for the current pane.
        NO_COLOR or TERM=dumb give a monochrome screen.
        """
    )

    @Argument(help: "A dataset to open (JSONL).") var dataset: String?
    @Option(help: "A prompt file to edit.") var prompt: String?
    @Option(help: "Provider (default: lexical, the offline BM25 baseline).") var provider: String?
    @Option(help: "Model name.") var model: String?
    @Option(name: .customLong("base-url"), help: "Base URL of the provider's API.") var baseURL: String?
    @Option(name: .customLong("api-key"), help: "API key for the provider chosen at start (default: its environment variable; K in Settings gives one later). Kept in memory only, never stored.") var apiKey: String?
    @Flag(help: "Ignore the saved session and start fresh.") var fresh = false
    @Option(name: .customLong("session"), help: "Where the session is kept.") var sessionPath: String = ".rerankbench/session.json"

    mutating func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let monochrome = environment["NO_COLOR"].map { !$0.isEmpty } ?? false || environment["TERM"] == "dumb"
        var state = WorkbenchState(width: 80, height: 24, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        state.monochrome = monochrome
        if !fresh, let session = Session.load(from: sessionPath) {
            session.apply(to: &state)
        } else if FileManager.default.fileExists(atPath: "Datasets/personal-memories.jsonl") {
            state.datasetPath = "Datasets/personal-memories.jsonl"
        }
        if let dataset { state.datasetPath = dataset }
        if let prompt {
            do {
                let p = try ScoringPrompt.load(path: prompt)
                state.prompt = p
                state.editor = TextEditor(text: p.text)
                if let m = p.mode { state.settings.mode = m }
                if let parser = p.parser {
                    state.settings.parser = parser
                    state.settings.topLogprobs = parser == .logprob ? 20 : nil
                }
                if let scale = p.scale { state.settings.scale = scale }
                if let maxTokens = p.maxTokens { state.settings.maxTokens = maxTokens }
            } catch {
                printError("error: \(error.description)")
                throw ExitCode(2)
            }
        }
        if let provider {
            guard ProviderCatalog.names.contains(provider) else {
                printError("error: unknown provider '\(provider)'; known providers: \(ProviderCatalog.names.joined(separator: ", "))")
                throw ExitCode(2)
            }
            state.settings.provider = provider
            state.settings.model = ProviderCatalog.defaultModel(provider)
            state.settings.concurrency = ProviderPreset.named(provider)?.defaultConcurrency ?? 8
        }
        if let model { state.settings.model = model }
        if let baseURL { state.settings.baseURL = baseURL }
        if let path = state.datasetPath, !FileManager.default.fileExists(atPath: path) {
            printError("error: \(path): no such file; check the path (samples are in Datasets/)")
            throw ExitCode(2)
        }

        let finalState = state
        let path = sessionPath
        let key = apiKey
        let failure: String? = MainActor.assumeIsolated {
            let terminal = CursesTerminal(monochrome: monochrome)
            if let problem = terminal.start() { return problem }
            TerminalGuard.install()
            WorkbenchApp(state: finalState, terminal: terminal, sessionPath: path, apiKey: key).run()
            CursesTerminal.restore()
            return nil
        }
        if let failure {
            printError("error: \(failure)")
            throw ExitCode(2)
        }
    }
}

/// Writes a message to standard error, inert (`TerminalText`): it may quote a path or a file's
/// content, which must not act on the terminal.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((TerminalText.inert(message, layout: .lines) + "\n").utf8))
}
