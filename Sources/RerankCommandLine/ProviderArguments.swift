import ArgumentParser
import Foundation
import RerankKit

/// The options that say which provider and model to reach and how, spelled the same in
/// `rerank-eval run`/`matrix` and `rerankbench`: both fill a `RunRecipe` from them.
public struct ProviderArguments: ParsableArguments, Sendable {
    @Option(name: .long, help: ArgumentHelp("A mem0 reranker config (JSON or YAML): provider, model, llm block (Azure's azure_kwargs too), scoring_prompt, top_k. Options given here win over it.", valueName: "file"))
    public var config: String?

    @Option(name: .long, help: "Provider: lexical (offline BM25 baseline), openai, azure_openai, anthropic, ollama, or a preset (vllm, lmstudio, llamacpp, groq, together, deepseek, openrouter, xai, gemini). See `rerank-eval providers`.")
    public var provider: String?

    @Option(name: .long, help: "Model name (default: the provider's default).")
    public var model: String?

    @Option(name: .customLong("base-url"), help: "Base URL of the provider's API (OPENAI_BASE_URL and friends are honoured too).")
    public var baseURL: String?

    @Option(name: .long, help: "OpenAI-compatible providers: chat (chat/completions, mem0's way) or completions (one plain prompt, for base models). Default: completions for local, else chat.")
    public var api: OpenAIRoute?

    @Option(name: .customLong("model-file"), help: ArgumentHelp("--provider local: serve this GGUF file instead of the installed model.", valueName: "file"))
    public var modelFile: String?

    @Flag(name: .customLong("no-prompt-cache"), help: "llama.cpp servers (local, llamacpp): send cache_prompt false, so no call reuses an earlier call's prompt prefix (for measuring that reuse).")
    public var noPromptCache = false

    @Option(name: .customLong("api-key"), help: "API key (default: the provider's environment variable, e.g. OPENAI_API_KEY). Never stored.")
    public var apiKey: String?

    public init() {}

    /// A recipe holding these options (the mem0 config loaded). Other fields stay at their
    /// defaults for the caller to fill.
    public func recipe(environment: [String: String] = ProcessInfo.processInfo.environment) throws(InputError) -> RunRecipe {
        var recipe = RunRecipe()
        if let config {
            recipe.config = try Mem0RerankerConfig.load(path: config, environment: environment)
            recipe.configPath = config
        }
        recipe.provider = provider
        recipe.model = model
        recipe.baseURL = baseURL
        recipe.route = api
        recipe.modelFile = modelFile
        recipe.promptCache = noPromptCache ? false : nil
        recipe.apiKey = apiKey
        recipe.apiKeySource = apiKey == nil ? nil : "--api-key"
        return recipe
    }
}

extension OpenAIRoute: ArgumentChoices {}
