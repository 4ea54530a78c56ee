import ArgumentParser
import Foundation
import RerankKit

struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Is run B better than run A beyond noise? Paired per-query statistics on the same queries.",
        discussion: """
        Each later run is compared with the first (A) over the queries both have: per-query \
        deltas, win/tie/loss, a paired t-test (as scipy's ttest_rel), a paired sign-flip \
        randomization test and a bootstrap 95% confidence interval of the mean delta (fixed seed, \
        stated resamples), and a verdict in plain words. The workbench's compare view uses the \
        same code.

        Examples:
          rerank-eval compare 3 5
          rerank-eval compare last~1 last --metric map
          rerank-eval compare 3 5 --fail-if-worse ndcg@10    # a CI regression gate
        """)

    @Argument(help: "Runs: A (the reference), then B, C, ... (numbers from `history`, last, last~N).")
    var runs: [String]

    @OptionGroup var storeOption: StoreOption

    @Option(name: .long, help: "The metric of the verdict (default: A's primary metric, NDCG at its largest cutoff).")
    var metric: String?

    @Option(name: .customLong("fail-if-worse"), help: ArgumentHelp("Exit 1 when a later run is significantly worse than A on this metric (repeatable).", valueName: "metric"))
    var failIfWorse: [String] = []

    @Option(name: .long, help: "Sign-flip permutations and bootstrap resamples.")
    var permutations: Int = 10_000

    @Option(name: .long, help: "Seed of the randomization and the bootstrap.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "Significance level.")
    var alpha: Double = 0.05

    @Flag(name: .customLong("per-query"), help: "List each query's values and delta on the verdict's metric.")
    var perQuery = false

    @Flag(name: .long, help: "Print the comparisons as JSON.")
    var json = false

    func validate() throws {
        guard runs.count >= 2 else { throw ValidationError("compare needs at least two runs: A B [C ...]") }
        guard permutations >= 100 else { throw ValidationError("--permutations must be at least 100") }
        guard alpha > 0, alpha < 1 else { throw ValidationError("--alpha must be between 0 and 1") }
        if let metric, MetricName(metric) == nil { throw ValidationError("unknown metric '\(metric)'; e.g. ndcg@10, map, mrr, p@5, recall@10, ndcg") }
        for m in failIfWorse where MetricName(m) == nil { throw ValidationError("--fail-if-worse: unknown metric '\(m)'; e.g. ndcg@10") }
    }

    func run() async throws {
        let store = try storeOption.open()
        let loader = StoredRunLoader(store: store)
        let loaded = try runs.map { try loader.load($0) }
        let (runA, fullReportA) = loaded[0]
        let verdictMetric = metric.flatMap(MetricName.init) ?? fullReportA.settings.metrics.primaryMetric
        var shown = [verdictMetric]
        for m in [MetricName.ndcg, .map, .mrr] + failIfWorse.compactMap(MetricName.init) where !shown.contains(m) { shown.append(m) }
        var out: [String] = []
        var jsonItems: [JSONValue] = []
        var failed = false
        func describe(_ name: String, _ run: StoredRun, _ r: RunReport) -> String {
            let names = [run.promptName, "\(run.provider)/\(run.model)", (run.datasetPath as NSString).lastPathComponent].map { TerminalText.inert($0) }
            let done = r.counts.planned - r.counts.notRun
            return "\(name)  run \(run.id ?? 0): \(names.joined(separator: ", "))\(r.complete ? "" : " (partial: \(done)/\(r.counts.planned) pairs)")"
        }
        out.append(describe("A", runA, fullReportA))
        for (i, (runB, reportB)) in loaded.enumerated().dropFirst() {
            let nameB = i < 26 ? String(UnicodeScalar(UInt8(65 + i))) : "run \(runB.id ?? 0)"
            out.append(describe(nameB, runB, reportB))
            if runB.datasetHash != runA.datasetHash {
                out.append("   note: " + RunComparability.differentDatasets(a: runA.datasetPath, aHash: runA.datasetHash, b: runB.datasetPath, bHash: runB.datasetHash))
            }
            // A cancelled or partial run is compared only on the queries both runs finished.
            let (reportA, reportB, leftOut) = RunComparability.completedInBoth(fullReportA, reportB)
            if leftOut > 0 {
                out.append("   note: \(leftOut) quer\(leftOut == 1 ? "y" : "ies") left out: not completed by both runs (compared on \(reportA.queries.count))")
            }
            var rows: [[String]] = [["metric", "A", nameB, "delta", "win/tie/loss", "t-test p", "randomization p", "95% CI of delta"]]
            var verdictLine = ""
            for m in shown {
                let c = Self.comparison(reportA, reportB, metric: m, permutations: permutations, seed: seed, alpha: alpha)
                guard !c.queryIDs.isEmpty else {
                    rows.append([m.heading, "n/a", "n/a", "n/a", "-", "-", "-", "-"])
                    continue
                }
                rows.append([m.heading, c.meanA.formatted(decimals: 4), c.meanB.formatted(decimals: 4), c.meanDelta.signed(decimals: 4),
                             "\(c.wins)/\(c.ties)/\(c.losses)", c.tTestP.map { Self.pText($0) } ?? "n/a", Self.pText(c.randomizationP),
                             "[\(c.bootstrapLow.signed(decimals: 4)), \(c.bootstrapHigh.signed(decimals: 4))]"])
                if m == verdictMetric { verdictLine = c.verdict(nameA: "A", nameB: nameB) }
                if failIfWorse.compactMap(MetricName.init).contains(m), c.isSignificant, c.meanDelta < 0 {
                    failed = true
                    verdictLine += "\nfail-if-worse: \(nameB) is significantly worse than A on \(m)"
                }
                jsonItems.append(.object([
                    ("a", .number(Double(runA.id ?? 0), literal: String(runA.id ?? 0))), ("b", .number(Double(runB.id ?? 0), literal: String(runB.id ?? 0))),
                    ("metric", .string(m.description)), ("queries", .number(Double(c.queryIDs.count), literal: String(c.queryIDs.count))),
                    ("mean_a", .number(c.meanA, literal: "\(c.meanA)")), ("mean_b", .number(c.meanB, literal: "\(c.meanB)")),
                    ("mean_delta", .number(c.meanDelta, literal: "\(c.meanDelta)")),
                    ("wins", .number(Double(c.wins), literal: String(c.wins))), ("ties", .number(Double(c.ties), literal: String(c.ties))),
                    ("losses", .number(Double(c.losses), literal: String(c.losses))),
                    ("t_statistic", c.tStatistic.map { .number($0, literal: "\($0)") } ?? .null),
                    ("t_test_p", c.tTestP.map { .number($0, literal: "\($0)") } ?? .null),
                    ("randomization_p", .number(c.randomizationP, literal: "\(c.randomizationP)")),
                    ("permutations", .number(Double(c.permutations), literal: String(c.permutations))),
                    ("bootstrap_ci", .array([.number(c.bootstrapLow, literal: "\(c.bootstrapLow)"), .number(c.bootstrapHigh, literal: "\(c.bootstrapHigh)")])),
                    ("seed", .number(Double(c.seed), literal: String(c.seed))),
                    ("significant", .bool(c.isSignificant)), ("verdict", .string(c.verdict(nameA: "A", nameB: nameB))),
                ]))
            }
            out.append("")
            out += ReportTable.table(rows, rightAligned: [1, 2, 3, 5, 6])
            out.append("")
            out.append(verdictLine.isEmpty ? "no query has \(verdictMetric) in both runs" : verdictLine)
            if perQuery {
                let c = Self.comparison(reportA, reportB, metric: verdictMetric, permutations: permutations, seed: seed, alpha: alpha)
                var q: [[String]] = [["query", "A", nameB, "delta"]]
                for (j, id) in c.queryIDs.enumerated() {
                    q.append([id, c.a[j].formatted(decimals: 4), c.b[j].formatted(decimals: 4), c.deltas[j].signed(decimals: 4)])
                }
                out.append("")
                out += ReportTable.table(q, rightAligned: [1, 2, 3])
            }
            out.append("")
        }
        out.append("tests: paired t-test (two-sided); paired sign-flip randomization, \(permutations) permutations, seed \(seed); bootstrap 95% CI, \(permutations) resamples; alpha \(alpha)")
        if json {
            print(JSONText.escapingInvisible(JSONValue.array(jsonItems).serialized()))
        } else {
            printText(out.joined(separator: "\n"))
        }
        if failed { throw ExitCode(1) }
    }

    static func comparison(_ a: RunReport, _ b: RunReport, metric: MetricName, permutations: Int, seed: UInt64, alpha: Double) -> PairedComparison {
        let base = PairedComparison.compare(a, b, metric: metric)
        return PairedComparison(metric: metric, queryIDs: base.queryIDs, a: base.a, b: base.b, permutations: permutations,
                                resamples: permutations, seed: seed, alpha: alpha)
    }

    static func pText(_ p: Double) -> String { p < 0.0001 ? "<0.0001" : p.formatted(decimals: 4) }
}
