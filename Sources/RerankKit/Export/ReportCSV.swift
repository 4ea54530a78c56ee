import Foundation

/// `--format csv`: one row per query and a final `MEAN` row; for each metric the baseline,
/// reranked and delta values, then the query text. Undefined values are empty cells. Text cells
/// (query id and text) go through `CSVText.cell` (formula guard, visible control characters);
/// numbers are written as they are.
public enum ReportCSV {
    public static func encode(_ report: RunReport) -> String {
        let names = report.settings.metrics.metricNames
        var header = ["query_id", "judged"]
        for n in names { header += ["baseline_\(n)", "reranked_\(n)", "delta_\(n)"] }
        header.append("query")
        var lines = [header.map(CSVText.quoted).joined(separator: ",")]
        func cells(_ b: QueryMetrics, _ r: QueryMetrics) -> [String] {
            names.flatMap { n -> [String] in
                let bv = b[n], rv = r[n]
                let d = (bv != nil && rv != nil) ? rv! - bv! : nil
                return [bv, rv, d].map { $0.map { String($0) } ?? "" }
            }
        }
        for q in report.queries {
            lines.append(([CSVText.cell(q.queryID), q.judged ? "1" : "0"] + cells(q.baseline, q.reranked) + [CSVText.cell(q.query)]).joined(separator: ","))
        }
        lines.append((["MEAN", ""] + cells(report.baselineMean, report.rerankedMean) + [""]).joined(separator: ","))
        return lines.joined(separator: "\n") + "\n"
    }
}
