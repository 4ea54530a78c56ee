import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

/// The options that define a run (dataset, prompt, provider, model, scoring and metric
/// settings, limits) and where it is stored. Shared by `run` and `matrix`.
struct RunOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The labeled dataset (JSONL).", valueName: "file"))
    var dataset: String?

    @Option(name: .long, help: ArgumentHelp("Prompt file (default: the recording's with --replay, else mem0's default prompt for the mode).", valueName: "file"))
    var prompt: String?

    @Option(name: .long, help: "system (mem0's current code) or template (mem0's docs / legacy). Default: the prompt's own, else system.")
    var mode: PromptMode?

    @OptionGroup var endpoint: ProviderArguments

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

    @Option(name: .long, help: ArgumentHelp("Replay the replies of a recording (from `rerank-eval export RUN --format recording`) instead of calling a model, with its prompt and mode unless --prompt or --mode is given.", valueName: "file"))
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
        if replay != nil, let provider = endpoint.provider, provider != ProviderCatalog.replayName { throw ValidationError("--replay serves recorded replies; leave out --provider \(provider)") }
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

    /// The prompt files of a comma-separated list (`matrix --prompts`, `probe --prompts`), else
    /// --prompt alone (nil: the default prompt).
    func promptList(_ list: String?) -> [String?] {
        list.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? [prompt]
    }

    /// The store, the dataset (--dataset, which `validate` made sure of) and the price table:
    /// what `run`, `matrix` and `probe` open first.
    ///
    /// The store opens on a thread of its own while the dataset loads: opening (and checking a
    /// store not closed cleanly) and loading were a fixed cost of every run, one after the
    /// other. A bad store is still reported before a bad dataset: the dataset's problem is
    /// printed only once the store has opened.
    func openInputs(quiet: Bool) async throws -> (RunStore, Dataset, PriceTable) {
        let storeOption = store, path = dataset!, pricesPath = prices
        let opening = Task.detached { Result { () throws -> RunStore in try StoreLocation.open(storeOption) } }
        // The price table too (a JSON file read and decoded: 2-4 ms after the dataset, alone on
        // one core); its problem is still reported after the store's and the dataset's.
        let pricing = Task.detached { Result { () throws(InputError) in try PriceTable.load(overrides: pricesPath) } }
        let loaded = Result { () throws(InputError) in try DatasetLoader().load(path: path) }
        let store = try await opening.value.get()
        let dataset = try reported(loaded, quiet: quiet)
        let prices: PriceTable
        do { prices = try await pricing.value.get() } catch { throw failInput(error.commandLineMessage) }
        if !quiet, pricesPath == nil, PriceTable.bundledSource == nil { printError("warning: \(Self.missingPriceTable)") }
        return (store, dataset, prices)
    }

    /// Opens the run store named by --store, RERANKBENCH_STORE or the default.
    func openStore() throws -> RunStore {
        try StoreLocation.open(store)
    }

    /// The dataset, loaded once (a matrix shares it between its runs).
    func loadDataset(_ path: String, quiet: Bool) throws -> Dataset {
        try reported(Result { () throws(InputError) in try DatasetLoader().load(path: path) }, quiet: quiet)
    }

    /// A dataset read earlier (`openInputs`), its problem or warnings reported now.
    private func reported(_ loaded: Result<Dataset, InputError>, quiet: Bool) throws -> Dataset {
        let data: Dataset
        do { data = try loaded.get() } catch { throw failInput(error.commandLineMessage) }
        if !quiet { for w in data.warnings { printError("warning: \(w)") } }
        return data
    }

    /// Said when the shipped price table is not where a build puts it (a binary copied away alone).
    static let missingPriceTable = "the shipped price table was not found (RerankBench_RerankCore.resources/prices.json beside "
        + "the binary); costs show as unknown: copy that folder beside the binary, or pass --prices FILE"

    func loadPrices() throws -> PriceTable {
        do { return try PriceTable.load(overrides: prices) } catch { throw failInput(error.commandLineMessage) }
    }

    /// The recipe these options describe, with `promptPath`/`modelName` in place of
    /// --prompt/--model when given (the matrix's cells).
    func recipe(promptPath: String?? = nil, modelName: String? = nil, extraCutoffs: [Int] = []) throws -> RunRecipe {
        var recipe: RunRecipe
        do { recipe = try endpoint.recipe() } catch { throw failInput(error.commandLineMessage) }
        if let file = promptPath ?? prompt { recipe.prompt = .file(file) }
        recipe.mode = mode
        if let modelName { recipe.model = modelName }
        recipe.replay = replay
        recipe.temperature = temperature
        recipe.maxTokens = maxTokens
        recipe.topK = topK
        recipe.parser = parser
        recipe.scale = scale
        recipe.logprobs = logprobs
        recipe.samples = samples
        recipe.aggregate = aggregate
        recipe.concurrency = concurrency
        recipe.failurePolicy = failurePolicy
        recipe.ties = ties
        recipe.metrics = MetricSettings(cutoffs: try parsedCutoffs() + extraCutoffs, relevanceThreshold: relevanceThreshold,
                                        gain: exponentialGain ? .exponential : .linear, judged: judged)
        recipe.retry = RetryPolicy(maxRetries: maxRetries)
        recipe.timeout = timeout
        recipe.requestsPerMinute = requestsPerMinute
        recipe.tokensPerMinute = tokensPerMinute
        recipe.maxCost = maxCost
        recipe.split = split
        return recipe
    }

    /// Resolves everything a run needs from the options. Bad input exits 2 with the reason.
    func resolve(data: Dataset, promptPath: String?? = nil, modelName: String? = nil, extraCutoffs: [Int] = [],
                 prices priceTable: PriceTable, quiet: Bool) throws -> RunSetup {
        try RunSetup(recipe(promptPath: promptPath, modelName: modelName, extraCutoffs: extraCutoffs), dataset: data, prices: priceTable)
    }
}

/// Everything resolved for one run, and its provider built.
struct RunSetup {
    var resolved: ResolvedRun
    var provider: any ChatProvider
    var prices: PriceTable

    /// Resolves `recipe` on `data` and builds its provider; bad input exits 2 with the reason.
    init(_ recipe: RunRecipe, dataset data: Dataset, prices: PriceTable) throws {
        do { resolved = try RunResolver().resolve(recipe, dataset: data) } catch { throw failInput(error.commandLineMessage) }
        do { provider = try ProviderFactory.make(resolved.provider, dataset: resolved.dataset) } catch { throw failInput(error.commandLineMessage) }
        self.prices = prices
    }

    var dataset: Dataset { resolved.dataset }
    var prompt: ScoringPrompt { resolved.prompt }
    var settings: RunSettings { resolved.settings }
    var plan: RunPlan { resolved.plan }
    /// Notes and warnings for stderr.
    var notes: [String] { resolved.notes.map(CommandLineWording.note) }
}

/// Where the run store lives: --store, else RERANKBENCH_STORE, else .rerankbench/store.sqlite here.
enum StoreLocation {
    static func open(_ option: String?) throws -> RunStore {
        do { return try RunStore(path: RunStore.resolvedPath(option)) } catch { throw failInput(error.commandLineMessage) }
    }
}
