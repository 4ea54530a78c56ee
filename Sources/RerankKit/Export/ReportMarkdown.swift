/// A run report as Markdown: settings, the metric table for both orders, call counts, and
/// per-query deltas on the primary metric (worst first, where a prompt needs work).
public enum ReportMarkdown {
    public static func render(_ report: RunReport, title: String? = nil) -> String {
        let s = report.settings
        let primary = s.metrics.primaryMetric
        func cell(_ v: Double?) -> String { v.map { $0.formatted(decimals: 4) } ?? "n/a" }
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var out = ["# \(escape(title ?? "RerankBench report: \(report.promptName)"))", ""]
        out.append("| setting | value |")
        out.append("|---|---|")
        out.append("| dataset | `\(escape(report.datasetPath))` (\(report.queries.count) queries, sha256 `\(report.datasetHash.prefix(12))`) |")
        out.append("| provider / model | \(escape(s.provider)) / \(escape(s.model))\(report.providerIgnoresPrompt ? " (BM25 baseline, not an LLM)" : "") |")
        out.append("| prompt | \(escape(report.promptName)) (sha256 `\(report.promptHash.prefix(12))`), mode \(s.mode.rawValue), parser \(s.parser.rawValue) |")
        out.append("| ranking | ties \(s.ties.rawValue), top_k \(s.topK.map(String.init) ?? "all"), samples \(s.samples) |")
        let c = report.counts
        out.append("| calls | \(c.planned) planned, \(c.ok) ok, \(c.failed) failed, \(c.cached) from cache, \(c.fallback + c.empty) scored 0.5 by fallback, \(c.notRun) not run |")
        out.append("| tokens / cost | \(c.usage.promptTokens) + \(c.usage.completionTokens)\(report.cost.map { ", $\($0.formatted(decimals: 4))" } ?? ", cost unknown") |")
        if let reason = report.stopReason { out.append("| stopped | \(escape(reason.description)) |") }
        out += ["", "## Metrics (mean over queries)", "", "| metric | first-stage | reranked | delta |", "|---|---:|---:|---:|"]
        for name in s.metrics.metricNames {
            let b = report.baselineMean[name], r = report.rerankedMean[name]
            let d = (b != nil && r != nil) ? (r! - b!).signed(decimals: 4) : "n/a"
            out.append("| \(name.heading) | \(cell(b)) | \(cell(r)) | \(d) |")
        }
        out += ["", "## Per query, \(primary.heading) (worst change first)", "", "| query | first-stage | reranked | delta | text |", "|---|---:|---:|---:|---|"]
        let ordered = report.queries.sorted { ($0.delta(primary) ?? 0) < ($1.delta(primary) ?? 0) }
        for q in ordered {
            out.append("| \(escape(q.queryID)) | \(cell(q.baseline[primary])) | \(cell(q.reranked[primary])) | \(q.delta(primary).map { $0.signed(decimals: 4) } ?? "n/a") | \(escape(String(q.query.prefix(80)))) |")
        }
        return out.joined(separator: "\n") + "\n"
    }
}
