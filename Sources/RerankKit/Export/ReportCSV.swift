import Foundation

/// `--format csv`: one row per query and a final `MEAN` row; for each metric the baseline,
/// reranked and delta values. Undefined values are empty cells.
public enum ReportCSV {
    public static func encode(_ report: RunReport) -> String {
        let names = report.settings.metrics.metricNames
        var header = ["query_id", "judged"]
        for n in names { header += ["baseline_\(n)", "reranked_\(n)", "delta_\(n)"] }
        var lines = [header.map(field).joined(separator: ",")]
        func cells(_ b: QueryMetrics, _ r: QueryMetrics) -> [String] {
            names.flatMap { n -> [String] in
                let bv = b[n], rv = r[n]
                let d = (bv != nil && rv != nil) ? rv! - bv! : nil
                return [bv, rv, d].map { $0.map { String($0) } ?? "" }
            }
        }
        for q in report.queries {
            lines.append(([field(q.queryID), q.judged ? "1" : "0"] + cells(q.baseline, q.reranked)).joined(separator: ","))
        }
        lines.append((["MEAN", ""] + cells(report.baselineMean, report.rerankedMean)).joined(separator: ","))
        return lines.joined(separator: "\n") + "\n"
    }

    /// RFC 4180 quoting when needed.
    static func field(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
