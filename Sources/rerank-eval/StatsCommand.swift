import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Describe a dataset: sizes, labels, pool recall, first-stage ties, text lengths.",
        discussion: """
        Pool recall is relevant in the pools / relevant judged (judgments outside the pools \\
        count), the most any reranker can find. Tied first-stage scores leave the baseline \\
        order to the file. Texts over 4000 characters (code points) are flagged because mem0's \\
        LLM reranker cuts each query and memory there.

        Examples:
          rerank-eval stats Datasets/personal-memories.jsonl
          rerank-eval stats Datasets/eng-notes.jsonl --json
        """
    )

    @Argument(help: ArgumentHelp("The dataset (.jsonl).", valueName: "dataset")) var dataset: String
    @Flag(help: "Print JSON (keys sorted) instead of a table.") var json = false
    @Option(name: .customLong("relevance-threshold"), help: "Label at or above which a document counts as relevant.") var relevanceThreshold = 1

    func run() throws {
        let d: Dataset
        do { d = try DatasetLoader().load(path: dataset) } catch { throw failInput(error.commandLineMessage) }
        for w in d.warnings { printError("warning: \(w)") }
        let stats = DatasetStats(d, relevanceThreshold: relevanceThreshold)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let data = try encoder.encode(StatsReport(dataset: dataset, stats: stats))
            // Ids from the data may hold bidi or C1 characters; the JSON stays inert.
            try writeOutput(JSONText.escapingInvisible(String(decoding: data, as: UTF8.self)) + "\n", to: nil)
        } else {
            printText(Self.table(stats, path: dataset))
        }
    }

    struct StatsReport: Encodable {
        var dataset: String
        var stats: DatasetStats
    }

    static func table(_ s: DatasetStats, path: String) -> String {
        func pct(_ v: Double?) -> String { v.map { ($0 * 100).formatted(decimals: 1) + "%" } ?? "n/a" }
        func spread(_ x: DatasetStats.Spread) -> String { "min \(x.min), median \(x.median.formatted(decimals: x.median == x.median.rounded() ? 0 : 1)), max \(x.max)" }
        func labels(_ d: [String: Int]) -> String {
            d.keys.sorted { (Int($0) ?? 0) < (Int($1) ?? 0) }.map { "\($0): \(d[$0]!)" }.joined(separator: ", ")
        }
        var rows: [(String, String)] = [
            ("dataset", path),
            ("queries", "\(s.queries)"),
            ("candidates", "\(s.candidates) (per query \(spread(s.candidatesPerQuery)))"),
            ("labels", (labels(s.candidateLabels).isEmpty ? "none" : labels(s.candidateLabels)) + (s.unjudgedCandidates > 0 ? ", unjudged: \(s.unjudgedCandidates)" : "")),
            ("judged share", "\(pct(s.judgedShare)) of candidates"),
            ("outside pools", s.outsideLabels.isEmpty ? "no judgments" : "judgments \(labels(s.outsideLabels))"),
            ("pool recall", s.poolRecall == nil ? "n/a (nothing judged relevant)"
                : "\(pct(s.poolRecall)) (\(s.relevantInPools) of \(s.relevantJudged) relevant, label >= \(s.relevanceThreshold); per-query mean \(pct(s.meanPoolRecall)))"),
            ("nothing to rerank", "\(s.nothingToRerank) quer\(s.nothingToRerank == 1 ? "y" : "ies") with no relevant candidate"),
            ("first-stage ties", s.tieShare == nil ? "n/a (no query has a score on every candidate)"
                : "\(pct(s.tieShare)) of scored candidates share a score (\(s.queriesWithTies) of \(s.scoredQueries) scored queries)"),
            ("memory length", spread(s.candidateLength) + " characters"),
            ("query length", spread(s.queryLength) + " characters"),
        ]
        var over = "\(s.candidatesOverCut) memor\(s.candidatesOverCut == 1 ? "y" : "ies"), \(s.queriesOverCut) quer\(s.queriesOverCut == 1 ? "y" : "ies")"
        if !s.overCutExamples.isEmpty {
            over += ": " + s.overCutExamples.map { e in
                (e.candidateID.map { "\(e.queryID)/\($0)" } ?? "\(e.queryID) (query)") + " (\(e.length))"
            }.joined(separator: ", ")
            if s.candidatesOverCut + s.queriesOverCut > s.overCutExamples.count { over += ", ..." }
        }
        rows.append(("over mem0's cut", over + (s.candidatesOverCut + s.queriesOverCut > 0 ? " (mem0 sends only the first \(DatasetStats.mem0Cut))" : "")))
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }
}
