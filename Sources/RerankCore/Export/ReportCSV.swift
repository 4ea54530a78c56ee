import Foundation

/// The CSV format: one row per query and a final `MEAN` row; for each metric the baseline,
/// reranked and delta values, then the query text. Undefined values are empty cells. Text cells
/// (query id and text) go through `CSVText.cell` (formula guard, visible control characters);
/// numbers are written as they are.
public enum ReportCSV {
    public static func encode(_ report: RunReport) -> String {
        var lines = [header(report.settings)]
        for q in report.queries { lines.append(row(q, settings: report.settings)) }
        lines.append(meanRow(report))
        return lines.map { $0 + "\n" }.joined()
    }

    /// The header line (no newline).
    public static func header(_ settings: RunSettings) -> String {
        var header = ["query_id", "judged"]
        for n in settings.metrics.metricNames { header += ["baseline_\(n)", "reranked_\(n)", "delta_\(n)"] }
        // The pool's ceiling and the captured share of its headroom, after the per-metric
        // columns so that scripts reading those by position keep working; the query text last.
        for n in settings.metrics.rankingMetricNames { header += ["ceiling_\(n)", "captured_\(n)"] }
        header += ["pool_recall", "nothing_to_rerank", "query"]
        return header.map(CSVText.quoted).joined(separator: ",")
    }

    /// One query's line (no newline): written as the query finishes in a streamed run.
    public static func row(_ q: QueryReport, settings: RunSettings) -> String {
        ([CSVText.cell(q.queryID), q.judged ? "1" : "0"] + cells(q.baseline, q.reranked, settings)
         + ceilingCells(q.ceiling, q.capturedShare, settings)
         + [q.poolRecall.map { String($0) } ?? "", q.nothingToRerank ? "1" : "0", CSVText.cell(q.query)]).joined(separator: ",")
    }

    /// The `MEAN` line (no newline).
    public static func meanRow(_ report: RunReport) -> String {
        (["MEAN", ""] + cells(report.baselineMean, report.rerankedMean, report.settings)
         + ceilingCells(report.ceilingMean, report.capturedShare, report.settings)
         + [report.poolRecallMean.map { String($0) } ?? "", String(report.nothingToRerankCount), ""]).joined(separator: ",")
    }

    static func cells(_ b: QueryMetrics, _ r: QueryMetrics, _ settings: RunSettings) -> [String] {
        settings.metrics.metricNames.flatMap { n -> [String] in
            let bv = b[n], rv = r[n]
            let d = (bv != nil && rv != nil) ? rv! - bv! : nil
            return [bv, rv, d].map { $0.map { String($0) } ?? "" }
        }
    }

    static func ceilingCells(_ ceiling: QueryMetrics?, _ share: (MetricName) -> Double?, _ settings: RunSettings) -> [String] {
        settings.metrics.rankingMetricNames.flatMap { n in [ceiling?[n], share(n)].map { $0.map { String($0) } ?? "" } }
    }
}
