import ArgumentParser
import Dispatch
import Foundation
import RerankCommandLine
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
          rerank-eval run --dataset Datasets/eng-notes.jsonl --k 3,5,10 \\
            --ties trec --format trec > run.txt
          rerank-eval run --dataset Datasets/personal-memories.jsonl \\
            --format json --fail-under ndcg@10=0.70
          rerank-eval run --dataset Datasets/personal-memories.jsonl \\
            --prompt Prompts/mem0-documented-template.txt --mode template
          rerank-eval run --dataset Datasets/personal-memories.jsonl \\
            --calibration --target-precision 0.8
          rerank-eval run --resume last
          rerank-eval run --dataset big.jsonl --provider openai --batch

        Every run is recorded in the run store (see `history`, `show`, `compare`); a request \
        made before is answered from its response cache unless --no-cache.

        With --batch the calls the cache cannot answer go through the provider's batch API \
        (openai, azure_openai, anthropic) at half the price, answered within 24 hours: the \
        command waits and polls (Ctrl-C leaves the batch running), or with --no-wait submits \
        and exits; `rerank-eval batches` lists, polls, cancels and collects them.
        """
    )

    @OptionGroup var options: RunOptions

    @OptionGroup var batch: BatchOptions

    @Option(name: .long, help: "Output: table (for people), json, jsonl, csv or trec. jsonl, csv and trec are written a query at a time as the run goes (large datasets: the run then holds one window of queries).")
    var format: OutputFormat = .table

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the output to a file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(name: .customLong("per-query"), help: "With --format table, list every query.")
    var perQuery = false

    @OptionGroup var calibration: CalibrationOptions

    @Option(name: .customLong("fail-under"), help: ArgumentHelp("Exit 1 when a reranked mean is below a floor, e.g. ndcg@10=0.70 (repeatable, or comma-separated).", valueName: "metric=value"))
    var failUnder: [String] = []

    @Flag(name: .long, help: "No progress bar or notes on stderr.")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Finish a run that was stopped or killed (a number from `history`, or last): only its missing and failed calls are made.", valueName: "run"))
    var resume: String?

    @Option(name: .long, help: ArgumentHelp("A short note stored with the run, shown by `history`.", valueName: "text"))
    var label: String?

    func validate() throws {
        try options.validateRun()
        if resume == nil && options.dataset == nil {
            throw ValidationError("missing --dataset FILE (or --resume RUN to finish a stored run)")
        }
        _ = try parsedGates()
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
        if !quiet { LocalServerPool.shared.report { line in printError(line) } }
        // Servers this run started stop with it (the launcher's watchdog covers a crash).
        defer { LocalServerPool.shared.stopAll() }
        var resumeID: Int64?
        let store: RunStore
        let setup: RunSetup
        if let resume {
            store = try options.openStore()
            let id: Int64
            do { id = try store.resolve(resume) } catch { throw failInput(error.commandLineMessage) }
            resumeID = id
            setup = try resumeSetup(store: store, id: id)
        } else {
            let (opened, data, prices) = try await options.openInputs(quiet: quiet)
            store = opened
            setup = try options.resolve(data: data, extraCutoffs: try gateCutoffs(), prices: prices, quiet: quiet)
        }
        if !quiet { for n in setup.notes { printError(n) } }
        let settings = setup.settings
        let estimate = CostEstimate(plan: setup.plan, settings: settings,
                                    prices: batch.batch ? setup.prices.forBatch(provider: settings.provider) : setup.prices)
        var estimateLine = Self.describe(estimate, settings: settings)
        if batch.batch { estimateLine += " at the batch price (cache misses only are sent; results within 24 hours)" }
        if options.estimate {
            printText(estimateLine)
            return
        }
        if !quiet && !setup.provider.ignoresPrompt && resumeID == nil { printError(estimateLine) }

        var finish: BatchFlow.Finish?
        if batch.batch {
            let flow = BatchFlow(options: batch, store: store, quiet: quiet)
            let runID = try await flow.submit(setup, resume: resumeID, label: label, useCache: !options.noCache)
            if batch.noWait, try store.batches(runID: runID).contains(where: { !$0.isCollected }) {
                printError(try flow.instructions(runID: runID))
                return
            }
            try await flow.wait([(runID, try flow.client(for: setup))])
            finish = try flow.finish(setup, runID: runID)
            resumeID = runID
        } else if let resumeID, let open = try? store.batches(runID: resumeID).filter({ !$0.isCollected }), !open.isEmpty, !quiet {
            printError("warning: run \(resumeID) has \(open.count) batch\(open.count == 1 ? "" : "es") still at the provider; this live resume pays for their calls again. `rerank-eval batches collect \(open.compactMap { $0.id.map(String.init) }.joined(separator: " "))` would use their replies")
        }

        let progress = ProgressBar(enabled: !quiet && Terminal.stderrIsTTY)
        let runner = RerankRunner(provider: finish?.provider ?? setup.provider, settings: finish?.settings ?? settings,
                                  prices: finish?.prices ?? setup.prices)
        let recorded = RecordedRunner(runner: runner, store: store, useCache: !options.noCache)
        let resolved = setup.resolved, label = self.label, runResume = resumeID
        // CSV, TREC and JSON Lines go out a query at a time and the run keeps no queries; a
        // suggested cut needs every score, so asking for one keeps them.
        let targets = try calibration.targets()
        let streamed = StreamedOutput.streams(format) && targets.isEmpty
            ? try StreamedOutput(format: format, settings: settings, path: output) : nil
        // The table's summary needs only totals, unless it lists the queries, shows the
        // calibration or the samples' stability.
        let summaryOnly = format == .table && !perQuery && !calibration.calibration && targets.isEmpty && settings.samples < 2
        let retain = streamed == nil && !summaryOnly
        let runTask = Task { () throws -> (RecordedRunner.Outcome, RunReport) in
            try await recorded.run(resolved, resume: runResume, label: label, retainQueries: retain,
                                   onEvent: { progress.handle($0) }, onQueries: { streamed?.write($0) })
        }
        let interrupt = InterruptHandler { runTask.cancel() }
        let result: (RecordedRunner.Outcome, RunReport)
        do { result = try await runTask.value } catch { throw failInput(error.commandLineMessage) }
        interrupt.stop()
        let (stored, report) = result
        let outcome = stored.outcome
        // The batches' replies are in the run's results and the cache now; a stopped run keeps
        // them in the batch tables for its resume.
        if finish != nil, outcome.stopReason == nil {
            do { try store.markBatchesApplied(runID: stored.runID) } catch { printError("warning: \(error.commandLineMessage)") }
        }
        if !quiet {
            var parts = ["\(stored.calledNow) call\(stored.calledNow == 1 ? "" : "s") made"]
            if finish != nil { parts[0] = "\(stored.calledNow) repl\(stored.calledNow == 1 ? "y" : "ies") from the batches" }
            if stored.cachedNow > 0 { parts.append("\(stored.cachedNow) answered from the cache") }
            if stored.resumed > 0 { parts.append("\(stored.resumed) done before the resume") }
            printError("run \(stored.runID): \(parts.joined(separator: ", ")); stored in \(store.path)")
        }
        if let e = stored.storeError { printError("warning: results could not all be saved: \(e.commandLineMessage)") }

        if case let .configuration(message) = outcome.stopReason {
            throw failInput("\(TerminalText.inert(settings.provider)) \(TerminalText.inert(settings.model)): \(message)\nno scores were trusted; fix the setting and run again")
        }
        let looks = TestLooks.count(for: report, store: store)
        if !quiet, let looks, let warning = TestLook.warning(count: looks) { printError("warning: \(warning)") }
        let text: String
        if let streamed {
            if let problem = streamed.finish(report, testLooks: looks) {
                throw failInput("\(problem)\nrun \(stored.runID) is stored: `rerank-eval export \(stored.runID) --format json` writes it")
            }
        } else {
        switch format {
        case .table:
            text = TerminalText.inert(try calibration.table(report, perQuery: perQuery, testLooks: looks), layout: .lines)
        case .json: text = ReportJSON.encode(report, testLooks: looks, targets: try calibration.targets())
        case .jsonl:
            text = report.queries.map { ReportJSON.queryLine($0, settings: settings) }.joined() + ReportJSON.summaryLine(report, testLooks: looks)
        case .csv: text = ReportCSV.encode(report)
        case .trec:
            do { text = try TRECRunWriter.run(report) } catch {
                throw failInput("\(error.commandLineMessage)\nrun \(stored.runID) is stored: `rerank-eval export \(stored.runID) --format json` writes it")
            }
        }
        try writeOutput(text, to: output)
        if format == .csv || format == .trec || format == .jsonl { try calibration.reportCutsOnStandardError(report) }
        }

        var failed = false
        if let reason = outcome.stopReason {
            printError("\(reason): \(report.counts.notRun) of \(report.counts.planned) calls not made; the report covers the completed ones. Finish it with: rerank-eval run --resume \(stored.runID)")
            failed = true
        }
        if report.counts.failed > 0 {
            if !quiet { printError("\(report.counts.failed) call\(report.counts.failed == 1 ? "" : "s") failed (\(settings.failurePolicy == .mem0 ? "scored 0.5 under the mem0 policy" : "ranked last under the strict policy"))") }
            if !quiet, finish != nil {
                printError("ask for them again with `rerank-eval run --resume \(stored.runID) --batch` (in a new batch) or `rerank-eval run --resume \(stored.runID)` (live)")
            }
            failed = true
        }
        for (name, floor) in try parsedGates() {
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

    /// Cutoffs the --fail-under gates need beyond --k.
    func gateCutoffs() throws -> [Int] {
        try parsedGates().compactMap { name, _ in
            switch name {
            case let .ndcgAt(k), let .precisionAt(k), let .recallAt(k): return k
            default: return nil
            }
        }
    }

    /// The stored run's dataset, prompt and settings, with a provider rebuilt for them.
    func resumeSetup(store: RunStore, id: Int64) throws -> RunSetup {
        guard let stored = try? store.run(id: id), let settings = stored.settings else {
            throw failInput("\(store.path): run \(id) cannot be read back (its settings are missing or damaged)")
        }
        if stored.isComplete, !quiet { printError("run \(id) is already complete; nothing to call, reporting it again") }
        let file = try options.loadDataset(stored.datasetPath, quiet: quiet)
        guard file.contentHash == stored.datasetHash else {
            throw failInput("\(stored.datasetPath): the dataset changed since run \(id) (sha256 \(stored.datasetHash.prefix(12)) then, \(file.contentHash.prefix(12)) now); resuming would mix two datasets. Start a new run instead")
        }
        if let split = options.split, split != (settings.split ?? .all) {
            throw failInput("run \(id) evaluated the \(settings.split?.description ?? "all queries"); a resume keeps it, so leave out --split \(split.rawValue) (or start a new run)")
        }
        // The stored run's settings are its recipe; what is given again here (a key, a URL,
        // the concurrency, the recording) fills in what a store never holds.
        var recipe = RunRecipe(settings: settings, prompt: stored.prompt)
        recipe.split = settings.split ?? .all
        if let c = options.concurrency { recipe.concurrency = c }
        if let url = options.endpoint.baseURL { recipe.baseURL = url }
        recipe.apiKey = options.endpoint.apiKey
        recipe.apiKeySource = options.endpoint.apiKey == nil ? nil : "--api-key"
        if settings.provider == ProviderCatalog.replayName {
            guard let replay = options.replay else { throw failInput("run \(id) replayed a recording: pass --replay FILE again to resume it") }
            recipe.replay = replay
        }
        return try RunSetup(recipe, dataset: file, prices: try options.loadPrices())
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

enum OutputFormat: String, ArgumentChoices {
    case table, json, jsonl, csv, trec
}

extension PromptMode: ArgumentChoices {}
extension ScoreParserKind: ArgumentChoices {}
extension TiePolicy: ArgumentChoices {}
extension JudgedScope: ArgumentChoices {}
extension PValueCorrection: ArgumentChoices {}
extension FailurePolicy: ArgumentChoices {}
extension SampleAggregate: ArgumentChoices {}

extension ScoreScale: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}
