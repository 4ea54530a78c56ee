import Foundation

/// The CSV format: one row per query and a final `MEAN` row; for each metric the baseline,
/// reranked and delta values, then the query text. Undefined values are empty cells. Text cells
/// (query id and text) go through `CSVText.cell` (formula guard, visible control characters);
/// numbers are written as they are.
public enum ReportCSV {
    public static func encode(_ report: RunReport) -> String {
        let names = report.settings.metrics.metricNames
        var header = ["query_id", "judged"]
        for n in names { header += ["baseline_\(n)", "reranked_\(n)", "delta_\(n)"] }
        // The pool's ceiling and the captured share of its headroom, after the per-metric
        // columns so that scripts reading those by position keep working; the query text last.
        let ranking = report.settings.metrics.rankingMetricNames
        for n in ranking { header += ["ceiling_\(n)", "captured_\(n)"] }
        header += ["pool_recall", "nothing_to_rerank", "query"]
        func ceilingCells(_ ceiling: QueryMetrics?, _ share: (MetricName) -> Double?) -> [String] {
            ranking.flatMap { n in [ceiling?[n], share(n)].map { $0.map { String($0) } ?? "" } }
        }
        var lines = [header.map(CSVText.quoted).joined(separator: ",")]
        func cells(_ b: QueryMetrics, _ r: QueryMetrics) -> [String] {
            names.flatMap { n -> [String] in
                let bv = b[n], rv = r[n]
                let d = (bv != nil && rv != nil) ? rv! - bv! : nil
                return [bv, rv, d].map { $0.map { String($0) } ?? "" }
            }
        }
        for q in report.queries {
            lines.append(([CSVText.cell(q.queryID), q.judged ? "1" : "0"] + cells(q.baseline, q.reranked) + ceilingCells(q.ceiling, q.capturedShare)
                          + [q.poolRecall.map { String($0) } ?? "", q.nothingToRerank ? "1" : "0", CSVText.cell(q.query)]).joined(separator: ","))
        }
        lines.append((["MEAN", ""] + cells(report.baselineMean, report.rerankedMean) + ceilingCells(report.ceilingMean, report.capturedShare)
                      + [report.poolRecallMean.map { String($0) } ?? "", String(report.nothingToRerankCount), ""]).joined(separator: ","))
        return lines.joined(separator: "\n") + "\n"
    }
}
