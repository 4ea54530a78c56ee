/// A run report as Markdown: settings (with the judgments counted and the pool's recall), the
/// metric table for both orders with the pool's ceiling and the captured share of its headroom,
/// call counts, the score calibration (reliability and threshold tables), and per-query deltas
/// on the primary metric (worst first, where a prompt needs work); with details, the prompt and
/// the worst queries candidate by candidate.
///
/// Every string from data (ids, query and memory text, replies, prompt and model names, paths)
/// goes through `MarkdownText`, so none of it renders as markup, HTML or a broken table.
public enum ReportMarkdown {
    /// `statistics`: what the front end knows beyond the report (the store's test-look count, a
    /// comparison it made); without it the report states its own (see `ExportStatistics`).
    public static func render(_ report: RunReport, title: String? = nil, details: ReportDetails = ReportDetails(),
                              statistics: ExportStatistics? = nil) -> String {
        let s = report.settings
        let primary = s.metrics.primaryMetric
        func cell(_ v: Double?) -> String { v.map { $0.formatted(decimals: 4) } ?? "n/a" }
        let md = MarkdownText.inline
        var out = ["# \(md(title ?? "RerankBench report: \(report.promptName)"))", ""]
        out.append("| setting | value |")
        out.append("|---|---|")
        out.append("| dataset | \(md(report.datasetPath)) (\(report.queries.count) queries, sha256 `\(report.datasetHash.prefix(12))`) |")
        out.append("| provider / model | \(md(s.provider)) / \(md(s.model))\(report.providerIgnoresPrompt ? " (BM25 baseline, not an LLM)" : "") |")
        out.append("| prompt | \(md(report.promptName)) (sha256 `\(report.promptHash.prefix(12))`), mode \(s.mode.rawValue), parser \(s.parser.rawValue) |")
        if let split = s.split { out.append("| split | \(split.description) (\(report.queries.count) queries) |") }
        out.append("| ranking | ties \(s.ties.rawValue), top_k \(s.topK.map(String.init) ?? "all"), samples \(s.samples) |")
        if let stability = SampleStability.of(report, metric: primary) { out.append("| sample stability | \(md(stability.summary)) |") }
        out.append("| judged | \(md(s.metrics.judgedDescription)) |")
        out.append("| pool | \(md(ReportDetails.poolSummary(report))) |")
        let c = report.counts
        out.append("| calls | \(c.planned) planned, \(c.ok) ok, \(c.failed) failed, \(c.cached) from cache, \(c.fallback + c.empty) scored 0.5 by fallback, \(c.notRun) not run |")
        out.append("| tokens / cost | \(c.usage.promptTokens) + \(c.usage.completionTokens)\(report.cost.map { ", $\($0.formatted(decimals: 4))" } ?? ", cost unknown") |")
        if let reason = report.stopReason { out.append("| stopped | \(md(reason.description)) |") }
        // The pool's ceiling and the captured share of its headroom, as in the table output:
        // ranking metrics only (agreement metrics have no ceiling), absent for runs stored before it.
        let hasCeiling = report.ceilingMean != nil
        out += ["", "## Metrics (mean over queries)", "",
                "| metric | first-stage | reranked | delta |" + (hasCeiling ? " ceiling | captured |" : ""),
                "|---|---:|---:|---:|" + (hasCeiling ? "---:|---:|" : "")]
        for name in s.metrics.metricNames {
            let b = report.baselineMean[name], r = report.rerankedMean[name]
            let d = (b != nil && r != nil) ? (r! - b!).signed(decimals: 4) : "n/a"
            var row = "| \(md(name.heading)) | \(cell(b)) | \(cell(r)) | \(d) |"
            if hasCeiling {
                row += name.isAgreement ? "  |  |" : " \(cell(report.ceilingMean?[name])) | \(ReportDetails.share(report.capturedShare(name))) |"
            }
            out.append(row)
        }
        out += statisticsSection(statistics ?? ExportStatistics(report: report))
        out += calibrationSection(ScoreCalibration(report))
        out += ["", "## Per query, \(md(primary.heading)) (worst change first)", "", md(ReportDetails.ceilingLegend), "",
                "| query | first-stage | reranked | delta | ceiling | captured | pool R | text |", "|---|---:|---:|---:|---:|---:|---:|---|"]
        let ordered = report.queries.sorted { ($0.delta(primary) ?? 0) < ($1.delta(primary) ?? 0) }
        for q in ordered {
            let text = (q.nothingToRerank ? "[nothing to rerank] " : "") + String(q.query.prefix(80))
            out.append("| \(md(q.queryID)) | \(cell(q.baseline[primary])) | \(cell(q.reranked[primary])) | \(q.delta(primary).map { $0.signed(decimals: 4) } ?? "n/a") | "
                       + "\(cell(q.ceiling?[primary])) | \(ReportDetails.share(q.capturedShare(primary))) | \(q.poolRecall.map { $0.formatted(decimals: 2) } ?? "n/a") | \(md(text)) |")
        }
        if let prompt = details.promptText {
            out += ["", "## Prompt", "", MarkdownText.codeBlock(prompt)]
        }
        let worst = details.worst(report, metric: primary)
        if !worst.isEmpty {
            out += ["", "## The \(worst.count) worst quer\(worst.count == 1 ? "y" : "ies"), candidate by candidate"]
            for q in worst {
                out += ["", "### \(md(q.queryID)): \(md(q.query)) (\(md(primary.heading)) \(q.delta(primary).map { $0.signed(decimals: 4) } ?? "n/a"))", "",
                        "| rank | first-stage | id | label | score | memory | reply |", "|---:|---:|---|---:|---:|---|---|"]
                for cand in ReportDetails.rankedCandidates(q) {
                    out.append("| \(cand.newRank.map(String.init) ?? "-") | \(cand.baselineRank) | \(md(cand.id)) | \(cand.label.map(String.init) ?? "-") | \(cand.score.map { $0.formatted(decimals: 3) } ?? "-") | \(md(details.memory(q, cand))) | \(md(details.reply(q, cand))) |")
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// How far the numbers above can be trusted, as the HTML report and the prompt card state it.
    static func statisticsSection(_ st: ExportStatistics) -> [String] {
        var rows = [("split", st.splitText)]
        if let looks = st.testLooksText { rows.append(("test looks", looks)) }
        rows += [("correction", st.correctionText), ("detectable effect", st.detectableText)]
        if let stability = st.stabilityText { rows.append(("sample stability", stability)) }
        return ["", "## Statistics", "", "| statistic | value |", "|---|---|"] + rows.map { "| \($0.0) | \(MarkdownText.inline($0.1)) |" }
    }
    /// The reliability and threshold tables, as `rerank-eval run --calibration` prints them.
    static func calibrationSection(_ c: ScoreCalibration) -> [String] {
        func rows(_ table: [[String]]) -> [String] {
            guard let header = table.first else { return [] }
            // Every cell as inline text: a header such as "keep score >=" holds a > that must
            // not reach the Markdown as markup.
            func row(_ cells: [String]) -> String { "| " + cells.map(MarkdownText.inline).joined(separator: " | ") + " |" }
            return [row(header), "|---|" + String(repeating: "---:|", count: header.count - 1)] + table.dropFirst().map(row)
        }
        return ["", "## Score calibration", "", MarkdownText.inline("\(c.countedNote); \(c.relevanceNote)."), ""]
            + rows(c.reliabilityRows())
            + ["", "### Threshold", "", MarkdownText.inline(c.thresholdNote + "."), ""]
            + rows(c.thresholdRows())
    }
}
