import ArgumentParser
import Foundation
import RerankKit

struct MatrixCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        abstract: "Run every prompt with every model and print one table, best per column marked.",
        discussion: """
        Each cell is an ordinary stored run (see `history`), sharing the response cache, so a \
        repeated matrix only calls for what changed. The other options are those of `run`.

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

    @Flag(name: .long, help: "Print the table as JSON lines.")
    var json = false

    @Flag(name: .long, help: "No progress or notes on stderr.")
    var quiet = false

    func validate() throws {
        try options.validateRun()
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
        let store = try options.openStore()
        let data = try options.loadDataset(options.dataset!, quiet: quiet)
        let prices = try options.loadPrices()
        let promptList: [String?] = prompts.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? [options.prompt]
        let modelList: [String?] = models.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } } ?? [options.model]
        // Resolve every cell first, so a bad prompt or model fails before any call is made.
        var setups: [(String, String, RunSetup)] = []
        for (i, p) in promptList.enumerated() {
            for (j, m) in modelList.enumerated() {
                // Config warnings concern every cell alike: say them once, with the first.
                let setup = try options.resolve(data: data, promptPath: .some(p), modelName: m, prices: prices, quiet: quiet || i + j > 0)
                setups.append((setup.prompt.name, setup.settings.model, setup))
            }
        }
        if !quiet {
            let calls = setups.reduce(0) { $0 + $1.2.plan.count }
            printError("matrix: \(promptList.count) prompt\(promptList.count == 1 ? "" : "s") x \(modelList.count) model\(modelList.count == 1 ? "" : "s"), \(calls) calls at most (cached ones are free)")
        }
        var cells: [Cell] = []
        var stopped: StopReason?
        for (i, (promptName, modelName, setup)) in setups.enumerated() {
            if !quiet { for n in setup.notes where i == 0 || !n.hasPrefix("note:") { printError(n) } }
            let progress = ProgressBar(enabled: !quiet && Terminal.stderrIsTTY)
            let runner = RerankRunner(provider: setup.provider, settings: setup.settings, prices: prices)
            let recorded = RecordedRunner(runner: runner, store: store, useCache: !options.noCache)
            let plan = setup.plan, builder = setup.builder
            let task = Task { () throws -> (RecordedRunner.Outcome, RunReport) in
                try await recorded.run(plan, dataset: data, prompt: setup.prompt, builder: builder, label: "matrix", onEvent: { progress.handle($0) })
            }
            let interrupt = InterruptHandler { task.cancel() }
            let result: (RecordedRunner.Outcome, RunReport)
            do { result = try await task.value } catch { throw failInput("\(error)") }
            interrupt.stop()
            let (outcome, report) = result
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
        if json { print(JSONText.escapingInvisible(Self.jsonLines(cells))) } else { printText(Self.table(cells)) }
        if let stopped {
            printError("\(stopped): the matrix stopped before every cell ran; finished cells are stored and cached")
            throw ExitCode(stopped == .cancelled ? 130 : 1)
        }
        if cells.contains(where: { $0.report.counts.failed > 0 }) { throw ExitCode(1) }
    }

    static func table(_ cells: [Cell]) -> String {
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
        return out.joined(separator: "\n")
    }

    static func jsonLines(_ cells: [Cell]) -> String {
        cells.map { c in
            let primary = c.report.settings.metrics.primaryMetric
            var fields: [(String, JSONValue)] = [("run", .number(Double(c.runID), literal: String(c.runID))), ("prompt", .string(c.prompt)), ("model", .string(c.model))]
            for m in [primary, .map, .mrr] {
                fields.append((m.description, c.report.rerankedMean[m].map { .number($0, literal: "\($0)") } ?? .null))
            }
            fields.append(("failed", .number(Double(c.report.counts.failed), literal: String(c.report.counts.failed))))
            fields.append(("tokens", .number(Double(c.report.counts.usage.total), literal: String(c.report.counts.usage.total))))
            fields.append(("cost_usd", c.report.cost.map { .number($0, literal: "\($0)") } ?? .null))
            fields.append(("mean_latency_s", c.meanLatency.map { .number($0, literal: "\($0)") } ?? .null))
            return JSONValue.object(fields).serialized()
        }.joined(separator: "\n")
    }
}
