import RerankKit

/// The human-readable report of `run --format table`. Every value from data (paths, provider,
/// model and prompt names, query ids and texts) is shown through `TerminalText`, one line each.
enum ReportTable {
    /// `calibration` adds the reliability and threshold tables; each of `targets` adds a
    /// suggested cut, with or without them.
    static func render(_ report: RunReport, perQuery: Bool, testLooks: Int? = nil, calibration: Bool = false,
                       targets: [ScoreCalibration.Target] = []) -> String {
        let s = report.settings
        let inert = { (text: String) in TerminalText.inert(text) }
        var out: [String] = []
        let totals = report.totals
        out.append("dataset   \(inert(report.datasetPath)) (\(totals.queries) queries, \(totals.candidates) candidates, sha256 \(report.datasetHash.prefix(12)))")
        let providerNote = report.providerIgnoresPrompt ? " (BM25 keyword baseline, not an LLM; prompt not used)" : ""
        out.append("provider  \(inert(s.provider))\(providerNote), model \(inert(s.model))")
        out.append("prompt    \(inert(report.promptName)) (sha256 \(report.promptHash.prefix(12))), mode \(s.mode.rawValue), parser \(s.parser.rawValue)\(s.parser == .mem0 ? "" : " scale \(s.scale.rawValue)")")
        out.append("ranking   ties \(s.ties.rawValue), top_k \(s.topK.map(String.init) ?? "all"), samples \(s.samples), relevant = label >= \(s.metrics.relevanceThreshold)\(s.metrics.gain == .exponential ? ", exponential gain" : "")")
        out.append("judged    \(s.metrics.judgedDescription)")
        if let split = s.split { out.append("split     \(split.description): \(totals.queries) queries evaluated") }
        if let testLooks { out.append("test      " + (TestLook.warning(count: testLooks) ?? "first look at the test split: a clean estimate")) }
        out.append(poolLine(report, totals))
        out.append("")
        // The ceiling: the best any reordering of the candidates reaches; captured: the share of
        // the headroom above the first stage that the reranker took.
        let hasCeiling = report.ceilingMean != nil
        var rows: [[String]] = [["metric", "first-stage", "reranked", "delta"] + (hasCeiling ? ["ceiling", "captured"] : [])]
        for name in s.metrics.metricNames {
            let b = report.baselineMean[name], r = report.rerankedMean[name]
            let d = (b != nil && r != nil) ? r! - b! : nil
            var row = [name.heading, cell(b), cell(r), d.map { $0.signed(decimals: 4) } ?? "n/a"]
            if hasCeiling {
                row += name.isAgreement ? ["", ""] : [cell(report.ceilingMean?[name]), share(report.capturedShare(name))]
            }
            rows.append(row)
        }
        out += table(rows, rightAligned: [1, 2, 3, 4, 5])
        out.append("")
        let c = report.counts
        out.append("calls     \(c.planned) planned, \(c.ok) ok, \(c.failed) failed, \(c.retried) retried\(c.notRun > 0 ? ", \(c.notRun) not run (cancelled)" : "")")
        out.append("replies   \(c.fallback) \(ParseOutcome.fallback.label) (scored 0.5), \(c.empty) \(ParseOutcome.empty.label) (scored 0.5), \(c.clamped) \(ParseOutcome.clamped.label), \(c.truncated) cut by max tokens")
        var cost = report.cost.map { ", $\($0.formatted(decimals: 4))" } ?? ", cost unknown (no price for \(inert(s.model)))"
        if c.cached > 0, let full = report.costWithoutCache, full != report.cost {
            cost += " ($\(full.formatted(decimals: 4)) without the cache)"
        }
        out.append("usage     \(c.usage.promptTokens) prompt + \(c.usage.completionTokens) completion tokens\(cost), \(report.elapsed.formatted(decimals: 2)) s")
        if s.samples > 1 {
            let spreads = report.queries.flatMap(\.candidates).compactMap(\.spread)
            let wide = spreads.filter { $0 > 0.2 }.count
            let mean = spreads.isEmpty ? 0 : spreads.reduce(0, +) / Double(spreads.count)
            out.append("samples   \(s.samples) per pair (\(s.aggregate.rawValue)); mean spread \(mean.formatted(decimals: 3)), \(wide) pair\(wide == 1 ? "" : "s") spread more than 0.2")
        }
        out += stabilityLines(report)
        if totals.tiedQueries > 0 {
            let meanSpread = totals.tieSpreadSum / Double(totals.queries)
            out.append("ties      \(totals.tiedQueries) quer\(totals.tiedQueries == 1 ? "y has" : "ies have") tied scores that change \(s.metrics.primaryMetric.heading); best-vs-worst tie order differs by \(meanSpread.formatted(decimals: 4)) on the mean")
        }
        if calibration || !targets.isEmpty {
            out += calibrationLines(ScoreCalibration(report), tables: calibration, targets: targets)
        }
        if perQuery {
            out.append("")
            let name = s.metrics.primaryMetric
            var q: [[String]] = [["query", "judged", "first-stage", "reranked", "delta", "ceiling", "captured", "pool R", "moved", "query text"]]
            for r in report.queries {
                let moved = r.candidates.filter { ($0.rankChange ?? 0) != 0 }.count
                let text = (r.nothingToRerank ? "[nothing to rerank] " : "") + r.query
                q.append([r.queryID, r.judged ? "yes" : "no", cell(r.baseline[name]), cell(r.reranked[name]),
                          r.delta(name).map { $0.signed(decimals: 4) } ?? "n/a", cell(r.ceiling?[name]), share(r.capturedShare(name)),
                          r.poolRecall.map { $0.formatted(decimals: 2) } ?? "n/a", String(moved), String(text.prefix(50))])
            }
            out.append("per query (\(name.heading); ceiling: the best order of the pool; pool R: relevant in the pool / relevant judged)")
            out += table(q, rightAligned: [2, 3, 4, 5, 6, 7, 8])
        }
        if perQuery { out += stabilityPerQuery(report) }
        return out.joined(separator: "\n") + "\n"
    }

    /// With repeated samples: how alike the samples' own rankings are (see `SampleStability`).
    static func stabilityLines(_ report: RunReport) -> [String] {
        guard let stability = SampleStability.of(report, metric: report.settings.metrics.primaryMetric) else { return [] }
        return ["stability \(stability.summary)"]
    }

    /// With repeated samples and --per-query: each query's tau between samples and the spread of
    /// the primary metric over the samples' rankings.
    static func stabilityPerQuery(_ report: RunReport) -> [String] {
        let name = report.settings.metrics.primaryMetric
        guard report.settings.samples >= 2, report.queries.contains(where: { $0.sampleStability != nil }) else { return [] }
        var rows: [[String]] = [["query", "tau", "sd", "min", "max"]]
        for q in report.queries {
            guard let st = q.sampleStability else {
                rows.append([q.queryID, "n/a", "n/a", "n/a", "n/a"])
                continue
            }
            let range = st.range(name)
            rows.append([q.queryID, st.meanTau.map { $0.formatted(decimals: 3) } ?? "n/a", cell(st.standardDeviation(name)), cell(range?.min), cell(range?.max)])
        }
        return ["", "per query, between samples (tau: mean Kendall tau-b over pairs of samples; \(name.heading) of each sample's ranking: sd, min, max)"]
            + table(rows, rightAligned: [1, 2, 3, 4])
    }

    /// The calibration section: the two tables when asked for, and a line per target.
    static func calibrationLines(_ c: ScoreCalibration, tables: Bool, targets: [ScoreCalibration.Target]) -> [String] {
        var out: [String] = []
        if tables {
            out += ["", "calibration  \(c.countedNote); \(c.relevanceNote)"]
            out += table(c.reliabilityRows(), rightAligned: [1, 2, 3, 4])
            out += ["", "threshold  \(c.thresholdNote)"]
            out += table(c.thresholdRows(), rightAligned: [0, 1, 2, 3])
        }
        if !targets.isEmpty {
            out.append("")
            for t in targets { out.append("cut       \(c.suggestionLine(t))") }
            for t in targets { out.append("          \(t.metricName): \(t.rule)") }
            if !tables { out.append("          over \(c.countedNote); \(c.relevanceNote); recall against the pool") }
        }
        return out
    }

    static func cell(_ v: Double?) -> String { v.map { $0.formatted(decimals: 4) } ?? "n/a" }

    /// A captured share as a percentage; n/a where the pool left no headroom.
    static func share(_ v: Double?) -> String { v.map { ($0 * 100).formatted(decimals: 0) + "%" } ?? "n/a" }

    /// Pool recall and the queries a reranker cannot help.
    static func poolLine(_ report: RunReport, _ totals: RunReport.QueryTotals) -> String {
        let outside = totals.relevantOutsidePool
        let recall = report.poolRecallMean.map { "pool recall \($0.formatted(decimals: 4)) (relevant in the pool / relevant judged, mean)" }
            ?? "pool recall n/a (nothing judged relevant)"
        let nothing = totals.nothingToRerank
        return "pool      \(recall); \(outside) relevant judged outside the pools"
            + (nothing > 0 ? "; \(nothing) quer\(nothing == 1 ? "y has" : "ies have") nothing to rerank (no relevant candidate)" : "")
    }

    /// Rows in aligned columns. Each cell is made inert on one line first, so a newline or an
    /// escape sequence in a value can neither break the layout nor act on the terminal.
    static func table(_ rows: [[String]], rightAligned: Set<Int>) -> [String] {
        let rows = rows.map { $0.map { TerminalText.inert($0) } }
        guard let first = rows.first else { return [] }
        var widths = [Int](repeating: 0, count: first.count)
        for row in rows { for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) } }
        return rows.map { row in
            row.enumerated().map { i, c in
                let pad = String(repeating: " ", count: widths[i] - c.count)
                return rightAligned.contains(i) ? pad + c : c + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
