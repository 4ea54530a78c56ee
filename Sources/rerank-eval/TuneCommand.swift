import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

/// `rerank-eval tune`: the prompt tuner, and `tune show` for a tune's lineage.
struct TuneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Find a better scoring prompt automatically, and confirm it on the held-out test split.",
        subcommands: [TuneStartCommand.self, TuneShowCommand.self],
        defaultSubcommand: TuneStartCommand.self)
}

struct TuneStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Tune a scoring prompt on the dev split; confirm the best on the test split once.",
        discussion: """
        Each round, on the dev split: the best prompt so far is scored (the response cache makes \
        repeats free), its worst queries and most misranked pairs are shown to the proposer, which \
        writes --candidates edited prompts (a critique, then the prompt, in a strict format; a \
        reply in any other form, or a prompt that fails validation, is discarded and counted). The \
        candidates are scored on a seeded minibatch of dev queries; the better half goes on to a \
        minibatch twice as large, until one is left, which must beat its parent on the whole dev \
        split beyond noise (paired randomization test, --alpha) to become the new best.

        The search stops after --rounds, at --max-calls (a hard cap: calls for the confirmation \
        are reserved from the start) or --max-cost, or when --patience rounds in a row bring no \
        better prompt. Then the best prompt meets the start prompt on the test split, once: a \
        paired test, the mean difference with a 95% CI, and a verdict. "Improved on dev, not \
        confirmed on test" is a common, honest outcome.

        The winner is written to --out-dir as NAME.txt (a prompt card: front matter with the \
        settings, dev metrics, the tune and its verdict) and NAME.mem0.yaml (a mem0 config); \
        the lineage is in the run store: `rerank-eval tune show last`. Ctrl-C stops cleanly; \
        --resume continues.

        The dataset needs a held-out split (`rerank-eval split`). The proposer defaults to the \
        scorer's provider and model.

        Examples:
          rerank-eval split Datasets/eng-notes.jsonl --test 0.3 --seed 1 \\
              -o eng-split.jsonl
          rerank-eval tune --dataset eng-split.jsonl --provider local --estimate
          rerank-eval tune --dataset eng-split.jsonl --provider local \\
              --rounds 2 --candidates 3 --max-calls 2000 --seed 7 --name eng-tuned
          rerank-eval tune --resume last
          rerank-eval tune show last
        """)

    @OptionGroup var options: RunOptions

    @Option(name: .long, help: "Rounds of proposing and selecting at most (default 3).")
    var rounds: Int?

    @Option(name: .long, help: "Edited prompts asked of the proposer per round (default 4).")
    var candidates: Int?

    @Option(name: .long, help: "Dev queries in a round's first minibatch, doubled for each halving's survivors (default 8).")
    var minibatch: Int?

    @Option(name: .customLong("max-calls"), help: ArgumentHelp("Hard cap on calls, scorer and proposer together (cached replies are free).", valueName: "n"))
    var maxCalls: Int?

    @Option(name: .long, help: "Seeds the minibatches and the failure examples shown to the proposer (default 42).")
    var seed: UInt64?

    @Option(name: .long, help: "A candidate replaces its parent when better on dev with a paired p below this (default 0.05).")
    var alpha: Double?

    @Option(name: .long, help: "Stop after this many rounds in a row without a better prompt (default 1).")
    var patience: Int?

    @Option(name: .customLong("proposer-provider"), help: "The provider of the LLM that writes new prompt versions (default: the scorer's).")
    var proposerProvider: String?

    @Option(name: .customLong("proposer-model"), help: "The proposer's model (default: the scorer's model with the scorer's provider, else that provider's default).")
    var proposerModel: String?

    @Option(name: .customLong("proposer-base-url"), help: "The proposer's base URL, for a proposer provider other than the scorer's.")
    var proposerBaseURL: String?

    @Option(name: .long, help: "The winning prompt's name; its files are NAME.txt and NAME.mem0.yaml (default: tuned-START).")
    var name: String?

    @Option(name: .customLong("out-dir"), help: ArgumentHelp("Where the winning prompt's files go.", valueName: "dir"))
    var outDir: String = "Prompts"

    @Option(name: .long, help: ArgumentHelp("Continue a stopped or killed tune (a number from `tune show`, or last).", valueName: "tune"))
    var resume: String?

    @Flag(name: .long, help: "No progress lines on stderr.")
    var quiet = false

    func validate() throws {
        try options.validateRun()
        if resume == nil && options.dataset == nil { throw ValidationError("missing --dataset FILE (a dataset with a held-out split; or --resume TUNE)") }
        if let split = options.split {
            throw ValidationError("--split \(split.rawValue): tune searches on the dev split and looks at the test split once, to confirm; leave out --split")
        }
        if options.replay != nil { throw ValidationError("--replay: a recording holds replies to its own prompt only, so it cannot score new prompts; leave out --replay and name a provider") }
        if let rounds, rounds < 1 { throw ValidationError("--rounds must be at least 1") }
        if let candidates, candidates < 1 { throw ValidationError("--candidates must be at least 1") }
        if let minibatch, minibatch < 1 { throw ValidationError("--minibatch must be at least 1 (dev queries)") }
        if let maxCalls, maxCalls < 1 { throw ValidationError("--max-calls must be at least 1") }
        if let alpha, !(alpha > 0 && alpha < 1) { throw ValidationError("--alpha must be between 0 and 1, e.g. --alpha 0.05") }
        if let patience, patience < 1 { throw ValidationError("--patience must be at least 1 (rounds)") }
        if let name, PromptCard.fileName(name) == "prompt.txt", name.lowercased() != "prompt" {
            throw ValidationError("--name \"\(name)\" has no letter or digit to make a file name of; use e.g. --name eng-tuned")
        }
    }

    /// The search settings: the given options over `base` (the stored ones on a resume).
    func tuneSettings(base: TuneSettings = TuneSettings()) -> TuneSettings {
        var s = base
        if let rounds { s.rounds = rounds }
        if let candidates { s.candidates = candidates }
        if let minibatch { s.minibatch = minibatch }
        if let maxCalls { s.maxCalls = maxCalls }
        if let maxCost = options.maxCost { s.maxCost = maxCost }
        if let seed { s.seed = seed }
        if let alpha { s.alpha = alpha }
        if let patience { s.patience = patience }
        return s
    }

    func run() async throws {
        if !quiet { LocalServerPool.shared.report { line in printError(line) } }
        defer { LocalServerPool.shared.stopAll() }
        let store = try options.openStore()
        let prices = try options.loadPrices()
        let session: TuneSession
        if let resume {
            session = try resumeSession(store: store, reference: resume, prices: prices)
        } else {
            session = try newSession(store: store, prices: prices)
        }
        if session.lineage?.finished == true {
            printError("tune \(session.tuneID ?? 0) is finished; nothing to continue")
            printText(TuneTree.render(try loadTune(store, session.tuneID ?? 0)))
            return
        }
        let setup = session.setup
        let estimate = TuneEstimate(settings: setup.settings, runSettings: setup.runSettings, dataset: session.dataset,
                                    scorerCallCost: session.scorerCallCost, proposerCallCost: session.proposerCallCost)
        let estimateLine = Self.describe(estimate, setup: setup)
        if options.estimate {
            printText(estimateLine)
            return
        }
        if !quiet { printError(estimateLine) }

        var tuneID = session.tuneID ?? 0
        if session.tuneID == nil {
            do { tuneID = try store.beginTune(setup: setup, dataset: session.dataset, lineage: TuneLineage(start: setup.start)) } catch {
                throw failInput(error.commandLineMessage)
            }
        }
        if !quiet { printError("tune \(tuneID): \(session.resumed ? "continuing" : "started"); Ctrl-C stops it cleanly, `rerank-eval tune --resume \(tuneID)` continues") }
        let progress = ProgressBar(enabled: !quiet && Terminal.stderrIsTTY)
        let scorer = StoreTuneScorer(store: store, provider: session.scorer, spec: session.spec, dataset: session.dataset, settings: setup.runSettings,
                                     prices: prices, tuneID: tuneID, useCache: !options.noCache, onRunEvent: { progress.handle($0) })
        let tuner = PromptTuner(settings: setup.settings, runSettings: setup.runSettings, dataset: session.dataset, start: setup.start,
                                proposer: session.proposer, proposerModel: setup.proposerModel, proposerPrice: session.proposerPrice,
                                scorer: scorer, journal: StoreTuneJournal(store: store, tuneID: tuneID))
        let quiet = self.quiet, metric = setup.runSettings.metrics.primaryMetric
        let lineage = session.lineage
        let task = Task { await tuner.run(continuing: lineage, onEvent: { event in
            if !quiet, let line = TuneTree.progress(event, metric: metric) { printError(line) }
        }) }
        let interrupt = InterruptHandler { task.cancel() }
        let result = await task.value
        interrupt.stop()

        let stored = try loadTune(store, tuneID)
        if result.finished, result.improved {
            try writeWinner(stored, store: store)
        }
        printText(TuneTree.render(stored))
        guard result.finished else {
            let reason = result.stopReason?.description ?? "stopped"
            printError("tune \(tuneID) \(reason); everything done so far is stored. Continue it with: rerank-eval tune --resume \(tuneID)\(Self.resumeHint(result.stopReason))")
            throw ExitCode(result.stopReason == .cancelled ? 130 : 1)
        }
    }

    static func resumeHint(_ reason: TuneStopReason?) -> String {
        switch reason {
        case .costBudget?: " --max-cost USD (higher)"
        default: ""
        }
    }

    func loadTune(_ store: RunStore, _ id: Int64) throws -> StoredTune {
        do {
            guard let t = try store.tune(id: id) else { throw failInput("\(store.path): has no tune \(id)") }
            return t
        } catch let e as ExitCode { throw e } catch { throw failInput(error.commandLineMessage) }
    }

    // MARK: Setting up

    /// Everything a tune session needs: what was asked, the providers built, the dataset.
    struct TuneSession {
        var setup: TuneSetup
        var dataset: Dataset
        var scorer: any ChatProvider
        var spec: ProviderSpec
        var proposer: any ChatProvider
        var proposerPrice: PriceTable.Price?
        var scorerCallCost: Double?
        var proposerCallCost: Double?
        var tuneID: Int64?
        var lineage: TuneLineage?
        var resumed: Bool { tuneID != nil }
    }

    func newSession(store: RunStore, prices: PriceTable) throws -> TuneSession {
        let data = try options.loadDataset(options.dataset!, quiet: quiet)
        guard data.hasSplits else {
            throw failInput(RecipeError(.badSplit, "tune needs a held-out split: it searches on the dev queries and confirms on the test queries, and this file has no \"split\" field on any query",
                                        file: data.path, remedies: [.makeSplit(dataset: data.path)]).commandLineMessage)
        }
        guard data.queries.contains(where: { $0.split == .dev }), data.queries.contains(where: { $0.split == .test }) else {
            throw failInput("\(data.path): tune needs queries on both sides of the split (dev to search, test to confirm); split it again with `rerank-eval split`")
        }
        var recipe = try options.recipe()
        // --max-cost limits the whole tune, not each scoring run.
        recipe.maxCost = nil
        recipe.split = .dev
        let runSetup = try RunSetup(recipe, dataset: data, prices: prices)
        try Self.refuseIgnoringPrompt(runSetup.settings.provider, role: "scorer", flag: "--provider")
        if !quiet { for n in runSetup.notes where !n.contains("evaluating the dev split") { printError(n) } }
        let start = runSetup.prompt
        let outputName = name ?? "tuned-" + PromptCard.fileName(start.name).replacingOccurrences(of: ".txt", with: "")
        let file = (outDir as NSString).appendingPathComponent(PromptCard.fileName(outputName))
        if FileManager.default.fileExists(atPath: file) {
            throw failInput("\(file) exists; the tune would write its winner there. Pass --name with another name (or --out-dir)")
        }
        let (proposer, proposerSettings) = try makeProposer(scorerRecipe: recipe, scorer: runSetup, dataset: data)
        let setup = TuneSetup(settings: tuneSettings(), runSettings: runSetup.settings, start: start, proposerProvider: proposerSettings.provider,
                              proposerModel: proposerSettings.model, proposerBaseURL: proposerBaseURL, outputName: outputName, outputDirectory: outDir)
        return session(setup: setup, dataset: data, runSetup: runSetup, proposer: proposer, prices: prices, tuneID: nil, lineage: nil)
    }

    func resumeSession(store: RunStore, reference: String, prices: PriceTable) throws -> TuneSession {
        let id: Int64
        do { id = try store.resolveTune(reference) } catch { throw failInput(error.commandLineMessage) }
        let stored = try loadTune(store, id)
        let data = try options.loadDataset(stored.datasetPath, quiet: quiet)
        guard data.contentHash == stored.datasetHash else {
            throw failInput("\(stored.datasetPath): the dataset changed since tune \(id) started (sha256 \(stored.datasetHash.prefix(12)) then, \(data.contentHash.prefix(12)) now); continuing would mix two datasets. Start a new tune instead")
        }
        var setup = stored.setup
        setup.settings = tuneSettings(base: setup.settings)
        var recipe = RunRecipe(settings: setup.runSettings, prompt: setup.start)
        recipe.split = .dev
        recipe.maxCost = nil
        if let c = options.concurrency { recipe.concurrency = c }
        if let url = options.endpoint.baseURL { recipe.baseURL = url }
        recipe.apiKey = options.endpoint.apiKey
        recipe.apiKeySource = options.endpoint.apiKey == nil ? nil : "--api-key"
        let runSetup = try RunSetup(recipe, dataset: data, prices: prices)
        var proposerRecipe = RunRecipe()
        proposerRecipe.provider = setup.proposerProvider
        proposerRecipe.model = setup.proposerModel
        let sameProvider = setup.proposerProvider == setup.runSettings.provider
        proposerRecipe.baseURL = proposerBaseURL ?? setup.proposerBaseURL ?? (sameProvider ? recipe.baseURL : nil)
        if sameProvider { proposerRecipe.apiKey = recipe.apiKey; proposerRecipe.apiKeySource = recipe.apiKeySource }
        let proposer: any ChatProvider
        if sameProvider, setup.proposerModel == setup.runSettings.model, proposerBaseURL == nil, setup.proposerBaseURL == nil {
            proposer = runSetup.provider
        } else {
            proposer = try buildProposer(proposerRecipe, dataset: data).0
        }
        return session(setup: setup, dataset: data, runSetup: runSetup, proposer: proposer, prices: prices, tuneID: id, lineage: stored.lineage)
    }

    func session(setup: TuneSetup, dataset: Dataset, runSetup: RunSetup, proposer: any ChatProvider, prices: PriceTable,
                 tuneID: Int64?, lineage: TuneLineage?) -> TuneSession {
        let estimate = CostEstimate(plan: runSetup.plan, settings: runSetup.settings, prices: prices)
        let perCall = estimate.likelyCost.map { estimate.calls > 0 ? $0 / Double(estimate.calls) : 0 }
        let proposerPrice = prices.price(provider: setup.proposerProvider, model: setup.proposerModel)
        let proposerCallCost = TuneEstimate.proposerCallCost(proposerPrice, settings: setup.settings)
        return TuneSession(setup: setup, dataset: dataset, scorer: runSetup.provider, spec: runSetup.resolved.provider, proposer: proposer,
                           proposerPrice: proposerPrice, scorerCallCost: perCall, proposerCallCost: proposerCallCost,
                           tuneID: tuneID, lineage: lineage)
    }

    /// The proposer: the scorer itself unless another provider, model or URL is named.
    func makeProposer(scorerRecipe: RunRecipe, scorer: RunSetup, dataset: Dataset) throws -> (any ChatProvider, (provider: String, model: String)) {
        if proposerProvider == nil, proposerModel == nil, proposerBaseURL == nil {
            return (scorer.provider, (scorer.settings.provider, scorer.settings.model))
        }
        let provider = proposerProvider ?? scorer.settings.provider
        let same = provider == scorer.settings.provider
        var recipe = RunRecipe()
        recipe.provider = provider
        recipe.model = proposerModel ?? (same ? scorer.settings.model : nil)
        recipe.baseURL = proposerBaseURL ?? (same ? scorerRecipe.baseURL : nil)
        if same {
            recipe.apiKey = scorerRecipe.apiKey
            recipe.apiKeySource = scorerRecipe.apiKeySource
        }
        return try buildProposer(recipe, dataset: dataset)
    }

    func buildProposer(_ recipe: RunRecipe, dataset: Dataset) throws -> (any ChatProvider, (provider: String, model: String)) {
        let resolver = RunResolver()
        let spec: ProviderSpec
        do { spec = try resolver.provider(recipe, prompt: BuiltinPrompts.mem0SystemPrompt) } catch {
            throw failInput("proposer: " + error.commandLineMessage.replacingOccurrences(of: "--provider", with: "--proposer-provider")
                .replacingOccurrences(of: "--model", with: "--proposer-model").replacingOccurrences(of: "--base-url", with: "--proposer-base-url"))
        }
        try Self.refuseIgnoringPrompt(spec.name, role: "proposer", flag: "--proposer-provider")
        let provider: any ChatProvider
        do { provider = try ProviderFactory.make(spec, dataset: dataset) } catch { throw failInput("proposer: " + error.commandLineMessage) }
        return (provider, (spec.name, resolver.model(recipe, provider: spec.name)))
    }

    /// The lexical baseline reads no prompt (nothing to tune, nothing to write one) and a
    /// recording answers only its own prompt.
    static func refuseIgnoringPrompt(_ provider: String, role: String, flag: String) throws {
        if ProviderCatalog.ignoresPrompt(provider) {
            let what = role == "scorer" ? "it ignores the prompt, so no prompt can change its ranking" : "it cannot write a prompt"
            throw failInput("\(flag) \(provider): the \(role) must be an LLM; '\(provider)' is the BM25 keyword baseline and \(what). Pass \(flag) local (offline, after `rerank-eval local install`) or a hosted provider such as openai")
        }
        if provider == ProviderCatalog.replayName {
            throw failInput("\(flag) replay: a recording answers only its own prompt, so it cannot act as the \(role); pass \(flag) with an LLM provider")
        }
    }

    static func describe(_ e: TuneEstimate, setup: TuneSetup) -> String {
        var line = "estimate: at most \(e.calls) calls"
        line += " (the start prompt on the dev split \(e.startCalls), each of \(e.rounds) round\(e.rounds == 1 ? "" : "s") up to \(e.roundCalls): \(e.roundProposerCalls) to the proposer and \(e.roundScorerCalls) to score, the test confirmation \(e.confirmationCalls)"
        if let cap = e.maxCalls, cap < e.uncappedCalls { line += "; capped by --max-calls \(cap) from \(e.uncappedCalls)" }
        line += "); scorer \(setup.runSettings.provider) \(setup.runSettings.model), proposer \(setup.proposerProvider) \(setup.proposerModel)"
        if let cost = e.cost, e.calls > 0 {
            let scaled = cost * Double(e.calls) / Double(max(1, e.uncappedCalls))
            line += ", about $\(scaled.formatted(decimals: 4)) at most"
        } else {
            line += ", cost unknown (no price for a model; add one with --prices)"
        }
        line += "; cached replies are free"
        return line
    }

    // MARK: Writing the winner

    func writeWinner(_ tune: StoredTune, store: RunStore) throws {
        let devCount = try options.loadDataset(tune.datasetPath, quiet: true).queries.filter { $0.split == .dev }.count
        let winner = TuneWinner(tune: tune, store: store, devQueries: devCount)
        do { try FileManager.default.createDirectory(atPath: winner.directory, withIntermediateDirectories: true) } catch {
            throw failInput("\(winner.directory): cannot create the folder for the tuned prompt: \(error.localizedDescription); pass --out-dir")
        }
        try writeOutput(winner.cardText, to: winner.cardPath)
        try writeOutput(winner.mem0Text, to: winner.mem0Path)
        printError("wrote \(winner.cardPath) (prompt card) and \(winner.mem0Path) (mem0 config)")
    }
}
