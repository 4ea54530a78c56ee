import ArgumentParser
import Foundation
import RerankCommandLine
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

        With three or more runs, the randomization p-values of B, C, ... against A are corrected \
        for being several tries (Holm by default; per metric) and the verdict uses the adjusted \
        ones. Each comparison also says the smallest mean difference its queries detect at 80% \
        power, and, when not significant, how many queries would detect the observed one.

        Examples:
          rerank-eval compare 3 5
          rerank-eval compare last~1 last --metric map
          rerank-eval compare 3 5 --fail-if-worse ndcg@10    # a CI regression gate
          rerank-eval compare 3 5 6 7 --correction bh    # Benjamini-Hochberg
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

    @Option(name: .long, help: ArgumentHelp("Correction of the p-values when several runs are compared with A: holm, bh (Benjamini-Hochberg) or none.", valueName: "holm|bh|none"))
    var correction: PValueCorrection = .holm

    @Option(name: .long, help: ArgumentHelp("On a dataset with a held-out split, compare only the queries of this side (default: the queries the runs evaluated).", valueName: "dev|test|all"))
    var split: SplitSelection?

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
        var loaded = try runs.map { try loader.load($0) }
        if let split {
            loaded = try Self.restrict(loaded, to: split, loader: loader)
            // A comparison on the test queries is a look at them too (runs on all queries were
            // counted when they ran).
            if split == .test {
                for hash in Set(loaded.map(\.0.datasetHash)) {
                    do { try store.recordTestLook(datasetHash: hash, kind: .compare, split: split) } catch { throw failInput(error.commandLineMessage) }
                }
            }
        }
        let looks = (try? store.testLookCounts()) ?? [:]
        let (runA, reportA) = loaded[0]
        let verdictMetric = metric.flatMap(MetricName.init) ?? reportA.settings.metrics.primaryMetric
        var shown = [verdictMetric]
        for m in [MetricName.ndcg, .map, .mrr] + failIfWorse.compactMap(MetricName.init) where !shown.contains(m) { shown.append(m) }
        var out: [String] = []
        var jsonItems: [JSONValue] = []
        var failed = false
        func describe(_ name: String, _ run: StoredRun, _ r: RunReport) -> String {
            let names = [run.promptName, "\(run.provider)/\(run.model)", (run.datasetPath as NSString).lastPathComponent].map { TerminalText.inert($0) }
            let side = split ?? r.settings.split
            let done = r.counts.planned - r.counts.notRun
            var line = "\(name)  run \(run.id ?? 0): \(names.joined(separator: ", "))\(side.map { " [\($0.description)]" } ?? "")\(r.complete ? "" : " (partial: \(done)/\(r.counts.planned) pairs)")"
            if TestLook.includesTest(side), let warning = TestLook.warning(count: looks[run.datasetHash] ?? 0) { line += "\n   warning: \(warning)" }
            if let stability = SampleStability.of(r, metric: verdictMetric) { line += "\n   samples: \(r.settings.samples) per pair; \(stability.summary)" }
            return line
        }
        out.append(describe("A", runA, reportA))
        // Every later run is compared with A; per metric these are one family of tries, corrected together.
        let others = Array(loaded.dropFirst())
        var byMetric: [MetricName: [PairedComparison?]] = [:]
        for m in shown {
            // A cancelled or partial run is compared only on the queries both runs finished.
            byMetric[m] = Self.family(others.map { other in
                let (fairA, fairB, _) = RunComparability.completedInBoth(reportA, other.1)
                return Self.comparison(fairA, fairB, metric: m, permutations: permutations, seed: seed, alpha: alpha)
            }, correction: correction)
        }
        let corrected = others.count > 1 && correction != .none
        for (i, (runB, reportB)) in loaded.enumerated().dropFirst() {
            let nameB = i < 26 ? String(UnicodeScalar(UInt8(65 + i))) : "run \(runB.id ?? 0)"
            out.append(describe(nameB, runB, reportB))
            if runB.datasetHash != runA.datasetHash {
                out.append("   note: " + RunComparability.differentDatasets(a: runA.datasetPath, aHash: runA.datasetHash, b: runB.datasetPath, bHash: runB.datasetHash))
            }
            let (fairA, fairB, leftOut) = RunComparability.completedInBoth(reportA, reportB)
            if leftOut > 0 {
                out.append("   note: \(leftOut) quer\(leftOut == 1 ? "y" : "ies") left out: not completed by both runs (compared on \(fairA.queries.count))")
            }
            var header = ["metric", "A", nameB, "delta", "win/tie/loss", "t-test p", "randomization p"]
            if corrected { header.append("\(correction.rawValue) p") }
            header += ["95% CI of delta", "detectable"]
            var rows: [[String]] = [header]
            var verdictLine = ""
            for m in shown {
                guard let c = byMetric[m]?[i - 1] else {
                    rows.append([m.heading, "n/a", "n/a", "n/a", "-", "-", "-"] + (corrected ? ["-"] : []) + ["-", "-"])
                    continue
                }
                var row = [m.heading, c.meanA.formatted(decimals: 4), c.meanB.formatted(decimals: 4), c.meanDelta.signed(decimals: 4),
                           "\(c.wins)/\(c.ties)/\(c.losses)", c.tTestP.map { Self.pText($0) } ?? "n/a", Self.pText(c.randomizationP)]
                if corrected { row.append(Self.pText(c.adjustedP)) }
                row += ["[\(c.bootstrapLow.signed(decimals: 4)), \(c.bootstrapHigh.signed(decimals: 4))]",
                        c.minimumDetectableEffect.map { "±" + $0.formatted(decimals: 4) } ?? "n/a"]
                rows.append(row)
                if m == verdictMetric { verdictLine = c.verdict(nameA: "A", nameB: nameB) + "\n" + c.powerStatement }
                // The gate fails on the verdict "worse", so a drop within sample noise does not fail it.
                if failIfWorse.compactMap(MetricName.init).contains(m), c.outcome == .worse {
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
                    ("adjusted_p", .number(c.adjustedP, literal: "\(c.adjustedP)")),
                    ("correction", .string(c.correction.rawValue)),
                    ("comparisons_corrected", .number(Double(c.familySize), literal: String(c.familySize))),
                    ("permutations", .number(Double(c.permutations), literal: String(c.permutations))),
                    ("bootstrap_ci", .array([.number(c.bootstrapLow, literal: "\(c.bootstrapLow)"), .number(c.bootstrapHigh, literal: "\(c.bootstrapHigh)")])),
                    ("seed", .number(Double(c.seed), literal: String(c.seed))),
                    ("alpha", .number(c.alpha, literal: "\(c.alpha)")),
                    ("power", .number(c.power, literal: "\(c.power)")),
                    ("min_detectable_effect", c.minimumDetectableEffect.map { .number($0, literal: "\($0)") } ?? .null),
                    ("queries_needed", c.queriesNeeded.map { .number(Double($0), literal: String($0)) } ?? .null),
                    ("sample_noise", c.sampleNoise.map { .number($0, literal: "\($0)") } ?? .null),
                    ("significant", .bool(c.isSignificant)), ("outcome", .string(c.outcome.rawValue)),
                    ("verdict", .string(c.verdict(nameA: "A", nameB: nameB))),
                ]))
            }
            out.append("")
            out += ReportTable.table(rows, rightAligned: Set([1, 2, 3, 5, 6] + (corrected ? [7, 9] : [8])))
            out.append("")
            out.append(verdictLine.isEmpty ? "no query has \(verdictMetric) in both runs" : verdictLine)
            if perQuery {
                let c = Self.comparison(fairA, fairB, metric: verdictMetric, permutations: permutations, seed: seed, alpha: alpha)
                var q: [[String]] = [["query", "A", nameB, "delta"]]
                for (j, id) in c.queryIDs.enumerated() {
                    q.append([id, c.a[j].formatted(decimals: 4), c.b[j].formatted(decimals: 4), c.deltas[j].signed(decimals: 4)])
                }
                out.append("")
                out += ReportTable.table(q, rightAligned: [1, 2, 3])
            }
            out.append("")
        }
        if others.count > 1 {
            out.append(correction == .none
                ? "correction: none (\(others.count) runs compared with A; each p-value is raw, so some \"better\" verdicts may be luck)"
                : "correction: \(correction.displayName) over the \(others.count) runs compared with A, per metric; verdicts use the adjusted p-values")
        }
        if byMetric.values.joined().contains(where: { $0?.sampleNoise != nil }) { out.append(MatrixCommand.sampleNoiseNote) }
        out.append("detectable: the smallest mean difference found with 80% power at alpha \(alpha) (paired t approximation: (t(1-alpha/2, n-1) + t(0.8, n-1)) * sd(delta) / sqrt(n))")
        out.append("tests: paired t-test (two-sided); paired sign-flip randomization, \(permutations) permutations, seed \(seed); bootstrap 95% CI, \(permutations) resamples; alpha \(alpha)")
        if json {
            print(JSONText.escapingInvisible(JSONValue.array(jsonItems).serialized()))
        } else {
            printText(out.joined(separator: "\n"))
        }
        if failed { throw ExitCode(1) }
    }

    static func comparison(_ a: RunReport, _ b: RunReport, metric: MetricName, permutations: Int, seed: UInt64, alpha: Double) -> PairedComparison {
        PairedComparison.compare(a, b, metric: metric, permutations: permutations, resamples: permutations, seed: seed, alpha: alpha)
    }

    /// The runs' reports cut to the queries of one side of their dataset's split (read from the
    /// dataset file, which must be unchanged since the run).
    static func restrict(_ loaded: [(StoredRun, RunReport)], to split: SplitSelection, loader: StoredRunLoader) throws -> [(StoredRun, RunReport)] {
        try loaded.map { run, report in
            guard split != .all else { return (run, report) }
            if let own = report.settings.split, own != .all, own != split {
                throw failInput("run \(run.id ?? 0) evaluated only the \(own.description); it has no \(split.rawValue) queries to compare. Run the prompt with --split \(split.rawValue) first")
            }
            let data = try loader.fileDataset(of: run)
            guard data.hasSplits else {
                throw failInput("--split \(split.rawValue): \(run.datasetPath) (run \(run.id ?? 0)) has no \"split\" field; make one with `rerank-eval split`, or leave out --split")
            }
            let keep = Set(data.selecting(split).queries.map(\.id))
            var cut = report
            cut.queries = report.queries.filter { keep.contains($0.queryID) }
            cut.settings.split = split
            return (run, cut)
        }
    }

    /// Corrects the comparisons that have queries in common as one family; those without any
    /// (nil in the result) are not tries and do not count.
    static func family(_ comparisons: [PairedComparison], correction: PValueCorrection) -> [PairedComparison?] {
        let tried = comparisons.indices.filter { !comparisons[$0].queryIDs.isEmpty }
        let adjusted = PairedComparison.corrected(tried.map { comparisons[$0] }, by: correction)
        var out = [PairedComparison?](repeating: nil, count: comparisons.count)
        for (k, index) in tried.enumerated() { out[index] = adjusted[k] }
        return out
    }

    static func pText(_ p: Double) -> String { p < 0.0001 ? "<0.0001" : p.formatted(decimals: 4) }
}
