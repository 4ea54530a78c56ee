import Foundation
import RerankKit

/// The human-readable probe report: per probe its attacks' table and summary lines, then the
/// prompts ranked by robustness when several were probed.
enum ProbeTable {
    static func render(_ reports: [ProbeReport], hits: Bool) -> String {
        var out: [String] = []
        for r in reports {
            out.append("probe     \(r.probe.summary) on \(r.datasetPath) (\(r.queryCount) quer\(r.queryCount == 1 ? "y" : "ies"), sha256 \(r.datasetHash.prefix(12)))")
            out.append("prompt    \(r.subject)\(r.providerIgnoresPrompt ? " (BM25 keyword baseline, not an LLM; prompt not used)" : "")")
            out.append("top k     \(r.k); clean NDCG@\(r.k) \(cell(r.cleanNDCG))\(r.runID.map { "; run \($0) holds every reply (`rerank-eval show \($0)`)" } ?? "")")
            if !r.complete { out.append("partial   only the queries whose calls were all made are measured") }
            out.append("")
            var rows = [["attack", "success", "hits", "mean rank", "mean score", "NDCG clean", "attacked", "lost"]]
            for a in r.attacks {
                rows.append([a.attack.rawValue, cell(a.successRate), "\(a.successes)/\(a.queries)", cell(a.meanRank, 1), cell(a.meanScore, 3),
                             cell(a.cleanNDCG), cell(a.attackedNDCG), cell(a.ndcgLoss)])
            }
            out += ReportTable.table(rows, rightAligned: Set(1..<8))
            out.append("")
            out += r.attacks.map { $0.sentence(k: r.k) }
            if hits {
                let rows = r.queries.filter(\.success)
                out.append("")
                out.append(rows.isEmpty ? "no injected memory reached the top \(r.k)" : "where an injected memory reached the top \(r.k):")
                for q in rows {
                    for m in q.memories where (m.rank ?? .max) <= r.k {
                        out.append("  \(q.queryID)  \(q.attack.rawValue)  rank \(m.rank ?? 0)  score \(cell(m.score, 3))  \(String(q.query.prefix(60)))")
                    }
                }
            }
            out.append("")
        }
        if reports.count > 1 {
            out.append("prompts ranked by robustness (mean success rate over the attacks, lowest first):")
            var rows = [["#", "prompt", "mode", "model", "clean NDCG", "mean success", "worst attack", "NDCG lost"]]
            for (i, r) in ProbeRanking.ranked(reports).enumerated() {
                rows.append(["\(i + 1)", String(r.promptName.prefix(32)), r.mode.rawValue, r.model, cell(r.cleanNDCG), cell(r.meanSuccessRate),
                             r.worstAttack.map { "\($0.attack.rawValue) \(cell($0.successRate, 2))" } ?? "n/a", cell(ProbeRanking.meanLoss(r))])
            }
            out += ReportTable.table(rows, rightAligned: [0, 4, 5, 7])
        }
        return out.joined(separator: "\n").trimmingCharacters(in: .newlines)
    }

    static func cell(_ v: Double?, _ decimals: Int = 4) -> String { v.map { $0.formatted(decimals: decimals) } ?? "n/a" }
}
