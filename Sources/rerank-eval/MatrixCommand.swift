import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

struct MatrixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Run every prompt with every model and print one table, best per column marked.",
        discussion: """
        Each cell is an ordinary stored run (see `history`), sharing the response cache, so a \
        repeated matrix only calls for what changed. The other options are those of `run`.

        The first cell (first prompt, first model) is the baseline: every other cell is compared \
        with it on the primary metric (paired sign-flip randomization test), and the p-values are \
        corrected for the number of cells tried (Holm by default), so the best of many cells is \
        not called better by luck.

        Examples:
          rerank-eval matrix --dataset Datasets/personal-memories.jsonl \\
              --prompts Prompts/mem0-default-system.txt,Prompts/contextual-needs.txt \\
              --provider openai --models gpt-4o-mini,gpt-4.1-mini
        """)

    @Option(name: .long, help: ArgumentHelp("Prompt files, comma-separated (default: --prompt or mem0's default).", valueName: "p1,p2,..."))
    var prompts: String?

    @Option(name: .long, help: ArgumentHelp("Models, comma-separated (default: --model or the provider's default).", valueName: "m1,m2,..."))
    var models: String?

    @OptionGroup var options: RunOptions

    @OptionGroup var batch: BatchOptions

    @Option(name: .long, help: ArgumentHelp("Correction of the p-values of the cells compared with the baseline cell: holm, bh (Benjamini-Hochberg) or none.", valueName: "holm|bh|none"))
    var correction: PValueCorrection = .holm

    @Option(name: .long, help: "Significance level of the comparisons with the baseline cell.")
    var alpha: Double = 0.05

    @Flag(name: .long, help: "Print the table as JSON lines.")
    var json = false

    @Flag(name: .long, help: "No progress or notes on stderr.")
    var quiet = false

    func validate() throws {
        try options.validateRun()
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1") }
        if options.dataset == nil { throw ValidationError("missing --dataset FILE") }
        if let prompts, prompts.split(separator: ",").isEmpty { throw ValidationError("--prompts takes file names separated by commas") }
        if let models, models.split(separator: ",").isEmpty { throw ValidationError("--models takes model names separated by commas") }
    }

    struct Cell {
        var prompt: String
        var model: String
        var runID: Int64
        var report: RunReport
        var meanLatency: Double?
        var calledNow: Int
    }

    func run() async throws {
        if !quiet { LocalServerPool.shared.report { line in printError(line) } }
        defer { LocalServerPool.shared.stopAll() }
        let (store, data, prices) = try await options.openInputs(quiet: quiet)
        let promptList = options.promptList(prompts)
        let modelList: [String?] = models.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? [options.endpoint.model]
        // Resolve every cell first, so a bad prompt or model fails before any call is made.
        var setups: [(String, String, RunSetup)] = []
        for (i, p) in promptList.enumerated() {
            for (j, m) in modelList.enumerated() {
                let setup = try options.resolve(data: data, promptPath: .some(p), modelName: m, prices: prices, quiet: quiet || i + j > 0)
                setups.append((setup.prompt.name, setup.settings.model, setup))
            }
        }
        if !quiet {
            let calls = setups.reduce(0) { $0 + $1.2.plan.count }
            printError("matrix: \(promptList.count) prompt\(promptList.count == 1 ? "" : "s") x \(modelList.count) model\(modelList.count == 1 ? "" : "s"), \(calls) calls at most (cached ones are free)")
        }
        // --batch: every cell's misses are submitted first, then all are waited for together.
        var finishes: [BatchFlow.Finish?] = Array(repeating: nil, count: setups.count)
        if batch.batch {
            let flow = BatchFlow(options: batch, store: store, quiet: quiet)
            var runs: [(runID: Int64, client: BatchClient)] = []
            for (_, _, setup) in setups {
                runs.append((try await flow.submit(setup, resume: nil, label: "matrix", useCache: !options.noCache), try flow.client(for: setup)))
            }
            if batch.noWait {
                for run in runs {
                    if try store.batches(runID: run.runID).contains(where: { !$0.isCollected }) { printError(try flow.instructions(runID: run.runID)) }
                }
                printError("each cell is a stored run: when its batches are collected it is finished; `rerank-eval history` lists them")
                return
            }
            try await flow.wait(runs)
            for (i, run) in runs.enumerated() { finishes[i] = try flow.finish(setups[i].2, runID: run.runID) }
        }
        var cells: [Cell] = []
        var stopped: StopReason?
        for (i, (promptName, modelName, setup)) in setups.enumerated() {
            // Notes about the dataset, the provider and the config concern every cell alike:
            // say them once, with the first; prompt warnings belong to each cell.
            if !quiet {
                for note in setup.resolved.notes {
                    if case .promptWarning = note {} else if i > 0 { continue }
                    printError(CommandLineWording.note(note))
                }
            }
            let progress = ProgressBar(enabled: !quiet && Terminal.stderrIsTTY)
            let finish = finishes[i]
            let runner = RerankRunner(provider: finish?.provider ?? setup.provider, settings: finish?.settings ?? setup.settings,
                                      prices: finish?.prices ?? prices)
            let recorded = RecordedRunner(runner: runner, store: store, useCache: !options.noCache)
            let resolved = setup.resolved, resume = finish?.runID
            let task = Task { () throws -> (RecordedRunner.Outcome, RunReport) in
                try await recorded.run(resolved, resume: resume, label: "matrix", onEvent: { progress.handle($0) })
            }
            let interrupt = InterruptHandler { task.cancel() }
            let result: (RecordedRunner.Outcome, RunReport)
            do { result = try await task.value } catch { throw failInput(error.commandLineMessage) }
            interrupt.stop()
            let (outcome, report) = result
            if finish != nil, outcome.outcome.stopReason == nil {
                do { try store.markBatchesApplied(runID: outcome.runID) } catch { printError("warning: \(error.commandLineMessage)") }
            }
            let latencies = outcome.outcome.results.compactMap { $0.reply?.latency }.filter { $0 > 0 }
            cells.append(Cell(prompt: promptName, model: modelName, runID: outcome.runID, report: report,
                              meanLatency: latencies.isEmpty ? nil : latencies.reduce(0, +) / Double(latencies.count), calledNow: outcome.calledNow))
            if !quiet { printError("run \(outcome.runID): \(TerminalText.inert(promptName)) x \(TerminalText.inert(modelName)): \(outcome.calledNow) calls made, \(outcome.cachedNow) from the cache") }
            if case let .configuration(message) = outcome.outcome.stopReason {
                throw failInput("\(TerminalText.inert(setup.settings.provider)) \(TerminalText.inert(modelName)): \(message)")
            }
            if let reason = outcome.outcome.stopReason {
                stopped = reason
                break
            }
        }
        let versus = Self.againstBaseline(cells, correction: correction, alpha: alpha)
        if json { print(JSONText.escapingInvisible(Self.jsonLines(cells, versus: versus))) } else { printText(Self.table(cells, versus: versus)) }
        if let stopped {
            printError("\(stopped): the matrix stopped before every cell ran; finished cells are stored and cached")
            throw ExitCode(stopped == .cancelled ? 130 : 1)
        }
        if cells.contains(where: { $0.report.counts.failed > 0 }) { throw ExitCode(1) }
    }

    /// Each cell after the first compared with the first on the primary metric, corrected as one
    /// family of tries; nil for the baseline itself and for cells sharing no query with it.
    static func againstBaseline(_ cells: [Cell], correction: PValueCorrection, alpha: Double) -> [PairedComparison?] {
        guard let base = cells.first else { return [] }
        let metric = base.report.settings.metrics.primaryMetric
        let raw = cells.dropFirst().map { cell in
            PairedComparison.compare(base.report, cell.report, metric: metric, alpha: alpha)
        }
        return [nil] + CompareCommand.family(Array(raw), correction: correction)
    }

    static func table(_ cells: [Cell], versus: [PairedComparison?] = []) -> String {
        guard let first = cells.first else { return "" }
        let primary = first.report.settings.metrics.primaryMetric
        let metrics: [MetricName] = [primary, .map, .mrr]
        // Higher is better for metrics; lower for failures, tokens, cost and latency.
        var columns: [(String, [Double?], Bool, (Double) -> String)] = metrics.map { m in
            (m.heading, cells.map { $0.report.rerankedMean[m] }, true, { $0.formatted(decimals: 4) })
        }
        columns.append(("failed", cells.map { Double($0.report.counts.failed) }, false, { String(Int($0)) }))
        columns.append(("tokens", cells.map { Double($0.report.counts.usage.total) }, false, { String(Int($0)) }))
        columns.append(("cost", cells.map { $0.report.cost }, false, { "$" + $0.formatted(decimals: 4) }))
        columns.append(("latency", cells.map { $0.meanLatency }, false, { $0.formatted(decimals: 2) + " s" }))
        var rows: [[String]] = [["run", "prompt", "model"] + columns.map(\.0)]
        for (i, c) in cells.enumerated() {
            var row = ["\(c.runID)", String(c.prompt.prefix(32)), c.model]
            for col in columns {
                let values = col.1.compactMap { $0 }
                guard let v = col.1[i] else { row.append("n/a"); continue }
                let best = col.2 ? values.max() : values.min()
                let marked = cells.count > 1 && best.map { abs($0 - v) < 1e-12 } == true
                row.append(col.3(v) + (marked ? " *" : "  "))
            }
            rows.append(row)
        }
        var out = ReportTable.table(rows, rightAligned: Set(0..<rows[0].count).subtracting([1, 2]))
        let baseline = first.report.baselineMean
        out.append("")
        out.append("* best in its column. First-stage order: \(metrics.map { "\($0.heading) \(baseline[$0].map { $0.formatted(decimals: 4) } ?? "n/a")" }.joined(separator: ", ")). latency: mean per call. Compare two cells with `rerank-eval compare RUN RUN`.")
        out += versusTable(cells, versus: versus)
        return out.joined(separator: "\n")
    }

    /// The comparisons with the baseline cell: raw and adjusted p-values, detectable effect, verdict.
    static func versusTable(_ cells: [Cell], versus: [PairedComparison?]) -> [String] {
        let compared = versus.compactMap { $0 }
        guard let first = cells.first, let any = compared.first else { return [] }
        let corrected = any.isCorrected
        var header = ["run", "prompt", "model", "delta", "raw p"]
        if corrected { header.append("\(any.correction.rawValue) p") }
        header += ["detectable", "verdict"]
        var rows = [header]
        for (i, c) in versus.enumerated() {
            guard let c else { continue }
            let cell = cells[i]
            let word = c.outcome.rawValue
            var row = ["\(cell.runID)", String(cell.prompt.prefix(32)), cell.model, c.meanDelta.signed(decimals: 4), CompareCommand.pText(c.randomizationP)]
            if corrected { row.append(CompareCommand.pText(c.adjustedP)) }
            row += [c.minimumDetectableEffect.map { "±" + $0.formatted(decimals: 4) } ?? "n/a", word]
            rows.append(row)
        }
        var out = ["", "Against the baseline cell, run \(first.runID) (\(String(first.prompt.prefix(32))) x \(first.model)), on \(any.metric.heading):"]
        out += ReportTable.table(rows, rightAligned: Set(corrected ? [0, 3, 4, 5, 6] : [0, 3, 4, 5]))
        out.append(corrected
            ? "verdicts use \(any.correction.displayName)-adjusted p-values over the \(any.familySize) cells compared (paired sign-flip randomization, \(any.permutations) permutations, seed \(any.seed), alpha \(any.alpha)); detectable: smallest mean difference found with 80% power (paired t approximation)"
            : "p-values are raw (correction \(any.correction.rawValue)\(compared.count > 1 ? "; with \(compared.count) cells tried, some \"better\" verdicts may be luck" : "")); paired sign-flip randomization, \(any.permutations) permutations, seed \(any.seed), alpha \(any.alpha); detectable: smallest mean difference found with 80% power (paired t approximation)")
        if compared.contains(where: { $0.sampleNoise != nil }) { out.append(sampleNoiseNote) }
        return out
    }

    /// The rule behind "within sample noise", for runs with repeated samples.
    static let sampleNoiseNote = "within sample noise: significant, but the delta is not larger than the sample-to-sample spread "
        + "(\(PairedComparison.noiseWords), the larger of the two runs); \"better\" needs both"

    static func jsonLines(_ cells: [Cell], versus: [PairedComparison?] = []) -> String {
        cells.enumerated().map { i, c in
            let primary = c.report.settings.metrics.primaryMetric
            var fields: [(String, JSONValue)] = [("run", .number(Double(c.runID), literal: String(c.runID))), ("prompt", .string(c.prompt)), ("model", .string(c.model))]
            for m in [primary, .map, .mrr] {
                fields.append((m.description, c.report.rerankedMean[m].map { .number($0, literal: "\($0)") } ?? .null))
            }
            fields.append(("failed", .number(Double(c.report.counts.failed), literal: String(c.report.counts.failed))))
            fields.append(("tokens", .number(Double(c.report.counts.usage.total), literal: String(c.report.counts.usage.total))))
            fields.append(("cost_usd", c.report.cost.map { .number($0, literal: "\($0)") } ?? .null))
            fields.append(("mean_latency_s", c.meanLatency.map { .number($0, literal: "\($0)") } ?? .null))
            if i < versus.count, let v = versus[i] {
                fields.append(("vs_baseline", .object([
                    ("baseline_run", .number(Double(cells[0].runID), literal: String(cells[0].runID))),
                    ("metric", .string(v.metric.description)),
                    ("mean_delta", .number(v.meanDelta, literal: "\(v.meanDelta)")),
                    ("randomization_p", .number(v.randomizationP, literal: "\(v.randomizationP)")),
                    ("adjusted_p", .number(v.adjustedP, literal: "\(v.adjustedP)")),
                    ("correction", .string(v.correction.rawValue)),
                    ("comparisons_corrected", .number(Double(v.familySize), literal: String(v.familySize))),
                    ("alpha", .number(v.alpha, literal: "\(v.alpha)")),
                    ("min_detectable_effect", v.minimumDetectableEffect.map { .number($0, literal: "\($0)") } ?? .null),
                    ("queries_needed", v.queriesNeeded.map { .number(Double($0), literal: String($0)) } ?? .null),
                    ("sample_noise", v.sampleNoise.map { .number($0, literal: "\($0)") } ?? .null),
                    ("significant", .bool(v.isSignificant)),
                    ("outcome", .string(v.outcome.rawValue)),
                ])))
            }
            return JSONValue.object(fields).serialized()
        }.joined(separator: "\n")
    }
}
