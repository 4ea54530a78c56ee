import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit
import WorkbenchConfigFile
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
        Keys, colours, the mouse and a fresh session's provider, model, cutoffs and concurrency
        come from ~/.config/rerankbench/config.toml (RERANKBENCH_CONFIG moves it; see the README).
        """
    )

    @Argument(help: "A dataset to open (JSONL).") var dataset: String?
    @Option(help: "A prompt file to edit.") var prompt: String?
    @Option(help: ArgumentHelp("Which queries of a dataset with a held-out split runs use: dev (the default on such a file), test or all. The test split is otherwise reached only by confirming on test (T), which asks first.", valueName: "dev|test|all"))
    var split: SplitSelection?
    @OptionGroup var endpoint: ProviderArguments
    @Flag(help: "Ignore the saved session and start fresh.") var fresh = false
    @Flag(help: "Leave the mouse to the terminal (no clicks or wheel in the workbench); also `mouse = false` in the config.") var noMouse = false
    @Option(name: .customLong("session"), help: "Where the session is kept.") var sessionPath: String = ".rerankbench/session.json"

    mutating func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let monochrome = environment["NO_COLOR"].map { !$0.isEmpty } ?? false || environment["TERM"] == "dumb"
        var state = WorkbenchState(width: 80, height: 24, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        state.monochrome = monochrome
        // The user's config: a bad one is shown on the first screen and the built-in keys,
        // colours and defaults apply; nothing of it is half used.
        let config = state.start(with: WorkbenchConfigFile.load(path: WorkbenchConfigFile.path(environment: environment)))
        if !fresh, let session = Session.load(from: sessionPath) {
            // Defaults order: built-in < config < the restored session < the command line.
            session.apply(to: &state)
        } else {
            state.applyDefaults(config)
            if FileManager.default.fileExists(atPath: "Datasets/personal-memories.jsonl") {
                state.datasetPath = "Datasets/personal-memories.jsonl"
            }
        }
        let mouse = config.mouse && !noMouse
        if let dataset { state.datasetPath = dataset }
        // The options shared with `rerank-eval run` make a recipe over the session's settings:
        // what is given here wins, and what the config or the prompt file says fills the rest.
        let startup: RunRecipe
        do { startup = try startupRecipe(over: state) } catch {
            printError("error: \(error.commandLineMessage)")
            throw ExitCode(2)
        }
        let resolver = RunResolver(environment: environment)
        do {
            // The session's own prompt may be half edited: it is checked when a run starts.
            var loaded = state.currentPrompt
            if case .given = startup.prompt {} else {
                loaded = try resolver.prompt(startup).0
                state.prompt = loaded
                state.editor = TextEditor(text: loaded.text)
            }
            state.settings = resolver.settings(startup, prompt: loaded, provider: nil)
        } catch {
            printError("error: \(error.commandLineMessage)")
            throw ExitCode(2)
        }
        state.configOrigin = ConfigOrigin(recipe: startup)
        if let path = state.datasetPath, !FileManager.default.fileExists(atPath: path) {
            printError("error: \(path): no such file; check the path (samples are in Datasets/)")
            throw ExitCode(2)
        }
        // A split asked for by name must exist in the file, as for `rerank-eval run --split`.
        if let split, split != .all, let path = state.datasetPath {
            do {
                _ = try SplitSelection.resolve(split, for: try DatasetLoader().load(path: path))
            } catch {
                printError("error: \(error.commandLineMessage)")
                throw ExitCode(2)
            }
        }
        state.requestedSplit = split

        let finalState = state
        let path = sessionPath
        let recipe = startup
        let failure: String? = MainActor.assumeIsolated {
            let terminal = CursesTerminal(monochrome: monochrome, mouse: mouse)
            if let problem = terminal.start() { return problem }
            TerminalGuard.install()
            WorkbenchApp(state: finalState, terminal: terminal, sessionPath: path, startup: recipe).run()
            CursesTerminal.restore()
            return nil
        }
        if let failure {
            printError("error: \(failure)")
            throw ExitCode(2)
        }
    }
}

extension Rerankbench {
    /// The recipe the command line asks for, on top of the session's settings and prompt.
    func startupRecipe(over state: WorkbenchState) throws -> RunRecipe {
        let given = try endpoint.recipe()
        var recipe = RunRecipe(settings: state.settings, prompt: state.currentPrompt)
        // Settings stepped in the workbench carry no endpoint of their own: the defaults apply.
        recipe.split = nil
        if let config = given.config {
            recipe.config = config
            recipe.configPath = given.configPath
            // The config decides what it names, over the session's values.
            recipe.provider = nil
            recipe.model = nil
            recipe.baseURL = nil
            recipe.concurrency = nil
            recipe.temperature = nil
            recipe.maxTokens = nil
            if config.topK != nil { recipe.topK = nil }
            if let text = config.scoringPrompt, !text.isEmpty { recipe.prompt = .configOrDefault }
        }
        if let provider = given.provider {
            guard ProviderCatalog.names.contains(provider) else {
                throw ValidationError("unknown provider '\(provider)'; known providers: \(ProviderCatalog.names.joined(separator: ", "))")
            }
            recipe.provider = provider
            recipe.model = nil
            recipe.baseURL = nil
            recipe.concurrency = nil
        }
        if let model = given.model { recipe.model = model }
        if let url = given.baseURL { recipe.baseURL = url }
        if let route = given.route { recipe.route = route }
        recipe.modelFile = given.modelFile ?? recipe.modelFile
        recipe.promptCache = given.promptCache ?? recipe.promptCache
        recipe.apiKey = given.apiKey
        recipe.apiKeySource = given.apiKeySource
        if let prompt {
            recipe.prompt = .file(prompt)
            // The prompt file's own mode, parser, scale and reply limit apply.
            recipe.mode = nil
            recipe.parser = nil
            recipe.scale = nil
            recipe.maxTokens = nil
            recipe.logprobs = false
        }
        return recipe
    }
}

/// Writes a message to standard error, inert (`TerminalText`): it may quote a path or a file's
/// content, which must not act on the terminal.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((TerminalText.inert(message, layout: .lines) + "\n").utf8))
}
