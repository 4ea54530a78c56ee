import ArgumentParser
import Foundation
import RerankKit

/// The options that define a run (dataset, prompt, provider, model, scoring and metric
/// settings, limits) and where it is stored. Shared by `run` and `matrix`.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The labeled dataset (JSONL).", valueName: "file"))
    var dataset: String?

    @Option(name: .long, help: ArgumentHelp("Prompt file (default: mem0's default prompt for the mode).", valueName: "file"))
    var prompt: String?

    @Option(name: .long, help: "system (mem0's current code) or template (mem0's docs / legacy). Default: the prompt's own, else system.")
    var mode: PromptMode?

    @Option(name: .long, help: ArgumentHelp("A mem0 reranker config (JSON or YAML): provider, model, llm block, scoring_prompt, top_k. Options given here win over it.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: "Provider: lexical (offline BM25 baseline), openai, azure_openai, anthropic, ollama, or a preset (vllm, lmstudio, llamacpp, groq, together, deepseek, openrouter, xai, gemini). See `rerank-eval providers`.")
    var provider: String?

    @Option(name: .long, help: "Model name (default: the provider's default).")
    var model: String?

    @Option(name: .customLong("base-url"), help: "Base URL of the provider's API (OPENAI_BASE_URL and friends are honoured too).")
    var baseURL: String?

    @Option(name: .long, help: "OpenAI-compatible providers: chat (chat/completions, mem0's way) or completions (one plain prompt, for base models). Default: completions for local, else chat.")
    var api: OpenAIRoute?

    @Option(name: .customLong("model-file"), help: ArgumentHelp("--provider local: serve this GGUF file instead of the installed model.", valueName: "file"))
    var modelFile: String?

    @Flag(name: .customLong("no-prompt-cache"), help: "llama.cpp servers (local, llamacpp): send cache_prompt false, so no call reuses an earlier call's prompt prefix (for measuring that reuse).")
    var noPromptCache = false

    @Option(name: .customLong("api-key"), help: "API key (default: the provider's environment variable, e.g. OPENAI_API_KEY). Never stored.")
    var apiKey: String?

    @Option(name: .long, help: "Sampling temperature (default 0.0, as mem0).")
    var temperature: Double?

    @Option(name: .customLong("max-tokens"), help: "Reply token limit (default 100, as mem0).")
    var maxTokens: Int?

    @Option(name: .customLong("top-k"), help: "Keep only the first k after reranking (mem0's top_k); metrics use the cut list for both orders.")
    var topK: Int?

    @Option(name: .long, help: "Score parser: mem0, last-number, labeled, json, logprob. Default: the prompt's own, else mem0.")
    var parser: ScoreParserKind?

    @Option(name: .long, help: "Scale the prompt asks for: 0-1, 0-10, 0-100 (not used by the mem0 parser).")
    var scale: ScoreScale?

    @Option(name: .long, help: "Tie order: stable (first-stage order, mem0) or trec (docid descending, trec_eval).")
    var ties: TiePolicy = .stable

    @Option(name: .customLong("k"), help: ArgumentHelp("Cutoffs for NDCG@k, P@k, Recall@k.", valueName: "k,k,..."))
    var cutoffs: String = "5,10"

    @Option(name: .customLong("relevance-threshold"), help: "Labels at or above this count as relevant for MAP, MRR, P and Recall.")
    var relevanceThreshold: Int = 1

    @Flag(name: .customLong("exponential-gain"), help: "Use 2^label-1 gain for NDCG instead of trec_eval's linear gain.")
    var exponentialGain = false

    @Option(name: .long, help: ArgumentHelp("Which judgments count in R and IDCG: all (trec_eval: judged documents outside the candidate pool too) or pool (the candidates' labels only).", valueName: "all|pool"))
    var judged: JudgedScope = .all

    @Option(name: .long, help: ArgumentHelp("Which queries of a dataset with a held-out split to evaluate: dev, test or all. Default: dev on a file with splits (the test split only when asked for by name), all on a file without.", valueName: "dev|test|all"))
    var split: SplitSelection?

    @Option(name: .long, help: "Score each pair this many times and average (see --aggregate).")
    var samples: Int = 1

    @Option(name: .long, help: "How samples combine: mean or median.")
    var aggregate: SampleAggregate = .mean

    @Flag(name: .long, help: "Ask for token logprobs (top 20) and score with the logprob parser unless --parser says otherwise.")
    var logprobs = false

    @Option(name: .long, help: "Calls in flight at once, lowered automatically on HTTP 429 (default: 8 for hosted APIs, 2 for local servers).")
    var concurrency: Int?

    @Option(name: .customLong("failure-policy"), help: "mem0 (a failed call scores 0.5, flagged) or strict (failed pairs rank last).")
    var failurePolicy: FailurePolicy = .mem0

    @Option(name: .long, help: "Per-request timeout in seconds.")
    var timeout: Double = 60

    @Option(name: .customLong("max-retries"), help: "Retries per call on 429, 5xx, timeouts and connection errors.")
    var maxRetries: Int = 3

    @Option(name: .customLong("rpm"), help: "At most this many requests per minute.")
    var requestsPerMinute: Int?

    @Option(name: .customLong("tpm"), help: "At most this many tokens per minute (estimated before each call).")
    var tokensPerMinute: Int?

    @Option(name: .customLong("max-cost"), help: ArgumentHelp("Stop cleanly once the run has cost this many US dollars.", valueName: "usd"))
    var maxCost: Double?

    @Option(name: .long, help: ArgumentHelp("Price table overriding the bundled one: {\"models\": {\"name\": {\"input\": usd_per_1M, \"output\": usd_per_1M}}}.", valueName: "file"))
    var prices: String?

    @Flag(name: .long, help: "Print the number of calls, tokens and cost the run would take, and stop.")
    var estimate = false

    @Option(name: .long, help: ArgumentHelp("Replay the replies of a recording (from `rerank-eval export RUN --format recording`) instead of calling a model.", valueName: "file"))
    var replay: String?

    @Option(name: .long, help: ArgumentHelp("The run store (SQLite): history, results and the response cache. Default: .rerankbench/store.sqlite, or RERANKBENCH_STORE.", valueName: "file"))
    var store: String?

    @Flag(name: .customLong("no-cache"), help: "Call the model even where the same request is cached (replies are still recorded).")
    var noCache = false

    func validateRun() throws {
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        guard maxRetries >= 0 else { throw ValidationError("--max-retries cannot be negative") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1 (leave it out to keep every candidate)") }
        if let maxCost, maxCost <= 0 { throw ValidationError("--max-cost must be positive") }
        if let r = requestsPerMinute, r < 1 { throw ValidationError("--rpm must be at least 1") }
        if let t = tokensPerMinute, t < 1 { throw ValidationError("--tpm must be at least 1") }
        if replay != nil, let provider, provider != "replay" { throw ValidationError("--replay serves recorded replies; leave out --provider \(provider)") }
        _ = try parsedCutoffs()
    }

    func parsedCutoffs() throws -> [Int] {
        let parts = cutoffs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let ks = parts.compactMap { Int($0) }
        guard !parts.isEmpty, ks.count == parts.count, ks.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--k takes positive whole numbers separated by commas, e.g. --k 5,10 (got \"\(cutoffs)\")")
        }
        return ks
    }

    /// Opens the run store named by --store, RERANKBENCH_STORE or the default.
    func openStore() throws -> RunStore {
        try StoreLocation.open(store)
    }

    /// The dataset, loaded once (a matrix shares it between its runs).
    func loadDataset(_ path: String, quiet: Bool) throws -> Dataset {
        let data: Dataset
        do { data = try DatasetLoader().load(path: path) } catch { throw failInput(error.description) }
        if !quiet { for w in data.warnings { printError("warning: \(w)") } }
        return data
    }

    func loadPrices() throws -> PriceTable {
        guard let prices else { return .bundled }
        do { return try PriceTable.load(overrides: prices) } catch { throw failInput(error.description) }
    }

    /// Resolves everything a run needs from the options, with `promptPath`/`modelName` in place
    /// of --prompt/--model when given (the matrix's cells). Bad input exits 2 with the reason.
    func resolve(data: Dataset, promptPath: String?? = nil, modelName: String? = nil, extraCutoffs: [Int] = [],
                 prices priceTable: PriceTable, quiet: Bool) throws -> RunSetup {
        let environment = ProcessInfo.processInfo.environment
        var mem0: Mem0RerankerConfig?
        if let config {
            do { mem0 = try Mem0RerankerConfig.load(path: config, environment: environment) } catch { throw failInput(error.description) }
            if !quiet { for w in mem0!.warnings { printError("warning: \(w)") } }
        }
        var scoringPrompt: ScoringPrompt
        let promptFile = promptPath ?? prompt
        if let promptFile {
            do { scoringPrompt = try ScoringPrompt.load(path: promptFile) } catch { throw failInput(error.description) }
        } else if let text = mem0?.scoringPrompt, !text.isEmpty {
            scoringPrompt = ScoringPrompt(name: "scoring_prompt from \(config!)", text: text, path: config)
        } else {
            scoringPrompt = mode == .template ? BuiltinPrompts.mem0TemplatePrompt : BuiltinPrompts.mem0SystemPrompt
        }
        let runMode = mode ?? scoringPrompt.mode ?? .system
        let problems = scoringPrompt.validate(mode: runMode)
        let place = scoringPrompt.path ?? scoringPrompt.name
        if problems.contains(where: { $0.severity == .error }) {
            throw failInput(problems.filter { $0.severity == .error }.map { p in
                p.line > 0 ? "\(place):\(p.line):\(p.column): \(p.message)" : "\(place): \(p.message)"
            }.joined(separator: "\n"))
        }

        // The split: on a file with one, the run sees only the chosen side (dev unless asked).
        let selection: SplitSelection
        do { selection = try SplitSelection.resolve(split, for: data) } catch { throw failInput(error.description) }
        let full = data
        let data = data.selecting(selection)
        let metricSettings = MetricSettings(cutoffs: try parsedCutoffs() + extraCutoffs, relevanceThreshold: relevanceThreshold,
                                            gain: exponentialGain ? .exponential : .linear, judged: judged)
        let chatProvider: any ChatProvider
        var providerName = provider ?? mem0?.provider ?? "lexical"
        var modelChoice = modelName ?? model ?? (provider == nil ? mem0?.model : nil) ?? ProviderCatalog.defaultModel(providerName)
        if let replay {
            let player: ReplayProvider
            do { player = try ReplayProvider(path: replay) } catch { throw failInput(error.description) }
            chatProvider = player
            providerName = "replay"
            modelChoice = player.header.model
        } else if providerName == "replay" {
            throw failInput("provider 'replay' needs a recording: pass --replay FILE")
        } else {
            var options = ProviderOptions(provider: providerName, baseURL: baseURL ?? mem0?.baseURL,
                                          apiKey: apiKey ?? mem0?.apiKey, apiKeySource: apiKey != nil ? "--api-key" : (mem0?.apiKey != nil ? "the config" : nil),
                                          azureDeployment: mem0?.azureDeployment, azureEndpoint: mem0?.azureEndpoint,
                                          azureAPIVersion: mem0?.azureAPIVersion, isReasoningModel: mem0?.isReasoningModel, topP: mem0?.topP ?? 0.1)
            if provider != nil, provider != mem0?.provider { options.baseURL = baseURL }
            options.route = api
            options.modelFile = modelFile
            if noPromptCache { options.promptCache = false }
            options.serverSlots = concurrency ?? ProviderPreset.named(providerName)?.defaultConcurrency
            do { chatProvider = try ProviderCatalog.make(options: options, model: modelChoice, dataset: data, environment: environment) } catch { throw failInput(error.description) }
        }
        let resolvedBase = (chatProvider as? OpenAIChatProvider)?.endpoint.baseURL ?? (chatProvider as? AnthropicProvider)?.endpoint.baseURL
            ?? (chatProvider as? OllamaProvider)?.endpoint.baseURL
        let parserKind = parser ?? (logprobs ? .logprob : nil) ?? scoringPrompt.parser ?? .mem0
        var settings = RunSettings(
            provider: providerName, model: modelChoice, mode: runMode,
            parser: parserKind, scale: scale ?? scoringPrompt.scale ?? .unit,
            temperature: temperature ?? mem0?.temperature ?? 0.0, maxTokens: maxTokens ?? mem0?.maxTokens ?? scoringPrompt.maxTokens ?? 100,
            topLogprobs: (logprobs || parserKind == .logprob) ? 20 : nil, topK: topK ?? mem0?.topK, samples: samples,
            aggregate: aggregate, concurrency: concurrency ?? ProviderPreset.named(providerName)?.defaultConcurrency ?? 8,
            failurePolicy: failurePolicy, ties: ties, metrics: metricSettings,
            retry: RetryPolicy(maxRetries: maxRetries), timeout: timeout, baseURL: resolvedBase,
            requestsPerMinute: requestsPerMinute, tokensPerMinute: tokensPerMinute, maxCost: maxCost,
            route: (chatProvider as? OpenAIChatProvider)?.endpoint.route ?? (chatProvider as? LocalProvider)?.endpoint.route,
            modelFile: (chatProvider as? LocalProvider).flatMap { modelFile != nil ? $0.modelPath : nil })
        settings.promptCache = noPromptCache ? false : nil
        settings.split = full.hasSplits ? selection : nil
        if let endpoint = (chatProvider as? OpenAIChatProvider)?.endpoint ?? (chatProvider as? OllamaProvider)?.endpoint
            ?? (chatProvider as? LocalProvider)?.endpoint {
            settings.topP = endpoint.topP
            settings.isReasoningModel = endpoint.isReasoningModel
        }
        if let azure = (chatProvider as? OpenAIChatProvider)?.endpoint, azure.preset.wire == .azureOpenAI {
            settings.azureDeployment = azure.azureDeployment
            settings.azureAPIVersion = azure.azureAPIVersion
        }
        var notes: [String] = []
        if full.hasSplits, split == nil {
            notes.append("note: \(full.path) has a held-out split; evaluating the dev split (\(data.queries.count) of \(full.queries.count) queries). --split test confirms on the held-out queries, --split all uses every query")
        }
        if chatProvider.ignoresPrompt {
            notes.append("note: provider 'lexical' is a BM25 keyword baseline, not an LLM: the prompt is not used. Pick an LLM provider to test prompts.")
        }
        for p in problems where p.severity == .warning {
            notes.append(p.line > 0 ? "warning: \(place):\(p.line):\(p.column): \(p.message)" : "warning: \(place): \(p.message)")
        }
        let plan: RunPlan
        do { plan = try RunPlan(dataset: data, prompt: scoringPrompt, settings: settings) } catch { throw failInput(error.description) }
        return RunSetup(dataset: data, prompt: scoringPrompt, settings: settings, provider: chatProvider, prices: priceTable,
                        plan: plan, notes: notes)
    }
}

/// Everything resolved for one run.
struct RunSetup {
    var dataset: Dataset
    var prompt: ScoringPrompt
    var settings: RunSettings
    var provider: any ChatProvider
    var prices: PriceTable
    var plan: RunPlan
    /// Notes and warnings for stderr.
    var notes: [String]

    var builder: RunReportBuilder {
        RunReportBuilder(dataset: dataset, prompt: prompt, settings: settings, providerIgnoresPrompt: provider.ignoresPrompt, prices: prices)
    }
}

/// Where the run store lives: --store, else RERANKBENCH_STORE, else .rerankbench/store.sqlite here.
enum StoreLocation {
    static func open(_ option: String?) throws -> RunStore {
        do { return try RunStore(path: RunStore.resolvedPath(option)) } catch { throw failInput(error.description) }
    }
}
