import ArgumentParser
import Dispatch
import Foundation
import RerankKit

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Score every candidate of a dataset with a prompt, rerank, and report metrics.",
        discussion: """
        Each query's candidates are scored by the provider with the prompt, re-sorted by score \
        (ties keep first-stage order unless --ties trec), cut to --top-k, and compared with the \
        first-stage order on NDCG, MAP, MRR, P@k, Recall@k and score/label agreement.

        Examples:
          rerank-eval run --dataset Datasets/personal-memories.jsonl
          rerank-eval run --dataset Datasets/eng-notes.jsonl --k 3,5,10 --ties trec --format trec > run.txt
          rerank-eval run --dataset Datasets/personal-memories.jsonl --format json --fail-under ndcg@10=0.70
          rerank-eval run --dataset Datasets/personal-memories.jsonl --prompt Prompts/mem0-documented-template.txt --mode template
        """
    )

    @Option(name: .long, help: ArgumentHelp("The labeled dataset (JSONL).", valueName: "file"))
    var dataset: String

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

    @Option(name: .long, help: "Output: table (for people), json, csv or trec.")
    var format: OutputFormat = .table

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the output to a file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(name: .customLong("per-query"), help: "With --format table, list every query.")
    var perQuery = false

    @Option(name: .customLong("fail-under"), help: ArgumentHelp("Exit 1 when a reranked mean is below a floor, e.g. ndcg@10=0.70 (repeatable, or comma-separated).", valueName: "metric=value"))
    var failUnder: [String] = []

    @Flag(name: .long, help: "No progress bar or notes on stderr.")
    var quiet = false

    func validate() throws {
        guard samples >= 1 else { throw ValidationError("--samples must be at least 1") }
        if let concurrency, concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        guard maxRetries >= 0 else { throw ValidationError("--max-retries cannot be negative") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1 (leave it out to keep every candidate)") }
        if let maxCost, maxCost <= 0 { throw ValidationError("--max-cost must be positive") }
        if let r = requestsPerMinute, r < 1 { throw ValidationError("--rpm must be at least 1") }
        if let t = tokensPerMinute, t < 1 { throw ValidationError("--tpm must be at least 1") }
        _ = try parsedCutoffs()
        _ = try parsedGates()
    }

    func parsedCutoffs() throws -> [Int] {
        let parts = cutoffs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let ks = parts.compactMap { Int($0) }
        guard !parts.isEmpty, ks.count == parts.count, ks.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--k takes positive whole numbers separated by commas, e.g. --k 5,10 (got \"\(cutoffs)\")")
        }
        return ks
    }

    func parsedGates() throws -> [(MetricName, Double)] {
        try failUnder.flatMap { $0.split(separator: ",") }.map { item in
            let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, let name = MetricName(pair[0]), let floor = Double(pair[1]) else {
                throw ValidationError("--fail-under takes metric=value, e.g. ndcg@10=0.70 (got \"\(item)\")")
            }
            return (name, floor)
        }
    }

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        var mem0: Mem0RerankerConfig?
        if let config {
            do { mem0 = try Mem0RerankerConfig.load(path: config, environment: environment) } catch { throw failInput(error.description) }
            if !quiet { for w in mem0!.warnings { printError("warning: \(w)") } }
        }
        let data: Dataset
        do { data = try DatasetLoader().load(path: dataset) } catch { throw failInput(error.description) }
        if !quiet { for w in data.warnings { printError("warning: \(w)") } }

        var scoringPrompt: ScoringPrompt
        if let prompt {
            do { scoringPrompt = try ScoringPrompt.load(path: prompt) } catch { throw failInput(error.description) }
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

        let gates = try parsedGates()
        var ks = try parsedCutoffs()
        for (name, _) in gates {
            switch name {
            case let .ndcgAt(k), let .precisionAt(k), let .recallAt(k): ks.append(k)
            default: break
            }
        }
        let metricSettings = MetricSettings(cutoffs: ks, relevanceThreshold: relevanceThreshold, gain: exponentialGain ? .exponential : .linear)
        let providerName = provider ?? mem0?.provider ?? "lexical"
        let modelName = model ?? (provider == nil ? mem0?.model : nil) ?? ProviderCatalog.defaultModel(providerName)
        var options = ProviderOptions(provider: providerName, baseURL: baseURL ?? mem0?.baseURL,
                                      apiKey: apiKey ?? mem0?.apiKey, apiKeySource: apiKey != nil ? "--api-key" : (mem0?.apiKey != nil ? "the config" : nil),
                                      azureDeployment: mem0?.azureDeployment, azureEndpoint: mem0?.azureEndpoint,
                                      azureAPIVersion: mem0?.azureAPIVersion, isReasoningModel: mem0?.isReasoningModel, topP: mem0?.topP ?? 0.1)
        if provider != nil, provider != mem0?.provider { options.baseURL = baseURL }
        let chatProvider: any ChatProvider
        do { chatProvider = try ProviderCatalog.make(options: options, model: modelName, dataset: data, environment: environment) } catch { throw failInput(error.description) }
        let resolvedBase = (chatProvider as? OpenAIChatProvider)?.endpoint.baseURL ?? (chatProvider as? AnthropicProvider)?.endpoint.baseURL
            ?? (chatProvider as? OllamaProvider)?.endpoint.baseURL
        let parserKind = parser ?? (logprobs ? .logprob : nil) ?? scoringPrompt.parser ?? .mem0
        let settings = RunSettings(
            provider: providerName, model: modelName, mode: runMode,
            parser: parserKind, scale: scale ?? scoringPrompt.scale ?? .unit,
            temperature: temperature ?? mem0?.temperature ?? 0.0, maxTokens: maxTokens ?? mem0?.maxTokens ?? 100,
            topLogprobs: (logprobs || parserKind == .logprob) ? 20 : nil, topK: topK ?? mem0?.topK, samples: samples,
            aggregate: aggregate, concurrency: concurrency ?? ProviderPreset.named(providerName)?.defaultConcurrency ?? 8, failurePolicy: failurePolicy, ties: ties, metrics: metricSettings,
            retry: RetryPolicy(maxRetries: maxRetries), timeout: timeout, baseURL: resolvedBase,
            requestsPerMinute: requestsPerMinute, tokensPerMinute: tokensPerMinute, maxCost: maxCost)
        if !quiet {
            if chatProvider.ignoresPrompt {
                printError("note: provider 'lexical' is a BM25 keyword baseline, not an LLM: the prompt is not used. Pick an LLM provider to test prompts.")
            }
            for p in problems where p.severity == .warning {
                printError(p.line > 0 ? "warning: \(place):\(p.line):\(p.column): \(p.message)" : "warning: \(place): \(p.message)")
            }
        }

        let priceTable: PriceTable
        if let prices {
            do { priceTable = try PriceTable.load(overrides: prices) } catch { throw failInput(error.description) }
        } else {
            priceTable = .bundled
        }
        let plan: RunPlan
        do { plan = try RunPlan(dataset: data, prompt: scoringPrompt, settings: settings) } catch { throw failInput(error.description) }
        let estimate = CostEstimate(plan: plan, settings: settings, prices: priceTable)
        let estimateLine = Self.describe(estimate, settings: settings)
        if self.estimate {
            print(estimateLine)
            return
        }
        if !quiet && !chatProvider.ignoresPrompt { printError(estimateLine) }

        let progress = ProgressBar(enabled: !quiet && Terminal.stderrIsTTY)
        let runner = RerankRunner(provider: chatProvider, settings: settings, prices: priceTable)
        let runTask = Task { await runner.run(plan, dataset: data, onEvent: { progress.handle($0) }) }
        let interrupt = InterruptHandler { runTask.cancel() }
        let outcome = await runTask.value
        interrupt.stop()

        let report = RunReportBuilder(dataset: data, prompt: scoringPrompt, settings: settings,
                                      providerIgnoresPrompt: chatProvider.ignoresPrompt, prices: priceTable)
            .build(results: outcome.results, stopReason: outcome.stopReason, elapsed: outcome.elapsed)
        if case let .configuration(message) = outcome.stopReason {
            throw failInput("\(providerName) \(modelName): \(message)\nno scores were trusted; fix the setting and run again")
        }
        let text: String
        switch format {
        case .table: text = ReportTable.render(report, perQuery: perQuery)
        case .json: text = ReportJSON.encode(report)
        case .csv: text = ReportCSV.encode(report)
        case .trec: text = TRECRunWriter.run(report)
        }
        if let output {
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                throw failInput("\(output): cannot write the output: \(error.localizedDescription)")
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }

        var failed = false
        if let reason = outcome.stopReason {
            printError("\(reason): \(report.counts.notRun) of \(report.counts.planned) calls not made; the report covers the completed ones")
            failed = true
        }
        if report.counts.failed > 0 {
            if !quiet { printError("\(report.counts.failed) call\(report.counts.failed == 1 ? "" : "s") failed (\(settings.failurePolicy == .mem0 ? "scored 0.5 under the mem0 policy" : "ranked last under the strict policy"))") }
            failed = true
        }
        for (name, floor) in gates {
            guard let value = report.rerankedMean[name] else {
                printError("fail-under: \(name) is undefined for this run")
                failed = true
                continue
            }
            if value < floor {
                printError("fail-under: \(name) = \(value.formatted(decimals: 4)) is below \(floor)")
                failed = true
            }
        }
        if failed { throw ExitCode(outcome.stopReason == .cancelled ? 130 : 1) }
    }

    static func describe(_ e: CostEstimate, settings: RunSettings) -> String {
        var line = "estimate: \(e.calls) calls to \(settings.provider) \(settings.model), about \(e.inputTokens) input tokens, \(e.likelyOutputTokens) to \(e.maxOutputTokens) output tokens"
        if let likely = e.likelyCost, let most = e.maxCost {
            line += ", about $\(likely.formatted(decimals: 4)) (at most $\(most.formatted(decimals: 4)))"
        } else {
            line += ", cost unknown (no price for \(settings.model); add one with --prices)"
        }
        return line
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, trec
}

extension PromptMode: ExpressibleByArgument {}
extension ScoreParserKind: ExpressibleByArgument {}
extension TiePolicy: ExpressibleByArgument {}
extension FailurePolicy: ExpressibleByArgument {}
extension SampleAggregate: ExpressibleByArgument {}
extension ScoreScale: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}

/// Turns the first Ctrl-C into a clean cancellation (completed scores are kept and reported);
/// a second Ctrl-C exits at once.
final class InterruptHandler: @unchecked Sendable {
    private let source: DispatchSourceSignal
    private var count = 0

    init(onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue.global())
        source.setEventHandler { [unowned self] in
            self.count += 1
            if self.count > 1 { Foundation.exit(130) }
            printError("\ninterrupted: stopping; completed scores are kept (Ctrl-C again to quit now)")
            onInterrupt()
        }
        source.resume()
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
