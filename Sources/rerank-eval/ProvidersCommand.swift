import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

struct ProvidersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "providers",
        abstract: "List providers: whether each has its key set or its local server answering.",
        discussion: "Example:\n  OPENAI_API_KEY=sk-... rerank-eval providers"
    )

    func run() async throws {
        var rows: [[String]] = [["provider", "ready", "default model", "what", "status"]]
        for a in await ProviderFactory.availability() {
            rows.append([a.name, a.ready ? "yes" : "no", a.defaultModel.isEmpty ? "(pass --model)" : a.defaultModel, a.summary, a.detail(CommandLineWording.remedies)])
        }
        printText(ReportTable.table(rows, rightAligned: []).joined(separator: "\n"))
    }
}

struct PingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Send one tiny scoring request and print the latency and the reply.",
        discussion: """
        Examples:
          rerank-eval ping --provider openai --model gpt-4o-mini
          rerank-eval ping --provider ollama --model llama3.1
          rerank-eval ping --provider vllm --base-url http://gpu-box:8000/v1 \\
            --model Qwen/Qwen2.5-7B-Instruct
        """
    )

    @Option(help: "Provider name (see `rerank-eval providers`).") var provider: String
    @Option(help: "Model name (default: the provider's default).") var model: String?
    @Option(name: .customLong("base-url"), help: "Base URL of the API.") var baseURL: String?
    @Option(name: .customLong("api-key"), help: "API key (default: the provider's environment variable).") var apiKey: String?
    @Option(help: "Timeout in seconds.") var timeout: Double = 30

    func run() async throws {
        let model = self.model ?? ProviderCatalog.defaultModel(provider)
        var recipe = RunRecipe()
        recipe.provider = provider
        recipe.model = model
        recipe.baseURL = baseURL
        recipe.apiKey = apiKey
        recipe.apiKeySource = apiKey == nil ? nil : "--api-key"
        let empty = Dataset(path: "ping", queries: [])
        let chat: any ChatProvider
        do {
            let resolver = RunResolver()
            let spec = try resolver.provider(recipe, prompt: try resolver.prompt(recipe).0)
            chat = try ProviderFactory.make(spec, dataset: empty)
        } catch let error as RecipeError {
            throw failInput(error.commandLineMessage)
        } catch {
            throw failInput(error.commandLineMessage)
        }
        let messages = [ChatMessage.system(BuiltinPrompts.mem0System), .user("Query: What foods should I avoid?\n\nDocument: I'm allergic to peanuts")]
        let request = ChatRequest(model: model, messages: messages, temperature: 0, maxTokens: 20,
                                  query: "What foods should I avoid?", document: "I'm allergic to peanuts")
        let settings = RunSettings(provider: provider, model: model, retry: RetryPolicy(maxRetries: 0), timeout: timeout)
        let dataset = Dataset(path: "ping", queries: [Query(id: "ping", text: request.query, candidates: [Candidate(id: "doc", text: request.document)])])
        let plan = try RunPlan(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
        let outcome = await RerankRunner(provider: chat, settings: settings).run(plan, dataset: dataset)
        guard let result = outcome.results.first else { throw ExitCode(1) }
        if let reply = result.reply {
            let parsed = Mem0ScoreParser().parse(reply)
            printText("\(TerminalText.inert(provider)) \(TerminalText.inert(model)): \(String(format: "%.0f", result.latency * 1000)) ms, reply \(reply.text.map(TerminalText.quoted) ?? "null") (finish \(TerminalText.inert(reply.finishReason ?? "?")), \(reply.usage.promptTokens)+\(reply.usage.completionTokens) tokens), mem0 score \(parsed.value.formatted(decimals: 2))")
        } else {
            printError("\(provider) \(model): failed after \(String(format: "%.0f", result.latency * 1000)) ms: \(result.error ?? "unknown error")")
            throw ExitCode(1)
        }
    }
}
