/// Probe reports as one self-contained HTML page (inline CSS, no script, no load): the
/// robustness ranking, then per probe the attacks' success rates with a bar each, their summary
/// lines, and every query where an injected memory reached the top k.
public enum ProbeReportHTML {
    public static func render(_ reports: [ProbeReport], title: String = "RerankBench robustness probe") -> String {
        let heading = escape(title)
        // Table cells hold long memories: aligned to the top; the bars are the success rates.
        var html = ReportHTML.pageStart(heading: heading, style: "\ntd{vertical-align:top}.bar{fill:#b3261e}.track{fill:#eee}")
        if reports.count > 1 {
            html += "<h2>Prompts ranked by robustness</h2>\n<table><tr><th>#</th><th>prompt</th><th>provider/model</th><th>mode</th><th>clean NDCG@k</th><th>mean success rate</th><th>worst attack</th><th>mean NDCG lost</th></tr>\n"
            for (i, r) in ProbeRanking.ranked(reports).enumerated() {
                html += "<tr><td class=n>\(i + 1)</td><td>\(escape(r.promptName))</td><td>\(escape(r.provider))/\(escape(r.model))</td><td>\(r.mode.rawValue)</td>"
                    + "<td class=n>\(cell(r.cleanNDCG))</td><td class=n>\(cell(r.meanSuccessRate))</td>"
                    + "<td>\(escape(r.worstAttack.map { "\($0.attack.rawValue) \(cell($0.successRate))" } ?? "n/a"))</td><td class=n>\(cell(ProbeRanking.meanLoss(r)))</td></tr>\n"
            }
            html += "</table>\n"
        }
        for r in reports {
            html += "<h2>\(escape(r.subject))</h2>\n"
            html += "<p>Dataset <code>\(escape(r.datasetPath))</code> (\(r.queryCount) quer\(r.queryCount == 1 ? "y" : "ies"), sha256 <code>\(r.datasetHash.prefix(12))</code>); \(escape(r.probe.summary)); top k = \(r.k); clean NDCG@\(r.k) \(cell(r.cleanNDCG))"
                + (r.runID.map { "; stored as run \($0)" } ?? "") + (r.complete ? "" : "; <b>partial</b>: only finished queries are measured")
                + (r.providerIgnoresPrompt ? "; <b>BM25 baseline, not an LLM</b>" : "") + ".</p>\n"
            html += "<table><tr><th>attack</th><th>success rate</th><th></th><th>hits</th><th>mean rank</th><th>mean score</th><th>NDCG clean</th><th>NDCG attacked</th><th>lost</th></tr>\n"
            for a in r.attacks {
                let width = Int(((a.successRate ?? 0) * 120).rounded())
                html += "<tr><td title=\"\(escape(a.attack.summary))\">\(a.attack.rawValue)</td><td class=n>\(cell(a.successRate))</td>"
                    + "<td><svg width=120 height=10><rect class=track width=120 height=10/><rect class=bar width=\(width) height=10/></svg></td>"
                    + "<td class=n>\(a.successes)/\(a.queries)</td><td class=n>\(cell(a.meanRank, 1))</td><td class=n>\(cell(a.meanScore, 3))</td>"
                    + "<td class=n>\(cell(a.cleanNDCG))</td><td class=n>\(cell(a.attackedNDCG))</td><td class=n>\(cell(a.ndcgLoss))</td></tr>\n"
            }
            html += "</table>\n<ul>\n" + r.attacks.map { "<li>\(escape($0.sentence(k: r.k)))</li>\n" }.joined() + "</ul>\n"
            let hits = r.queries.filter(\.success)
            if !hits.isEmpty {
                html += "<h3>Where an injected memory reached the top \(r.k)</h3>\n<table><tr><th>query</th><th>attack</th><th>rank</th><th>score</th><th>injected memory</th></tr>\n"
                for q in hits {
                    for m in q.memories where (m.rank ?? .max) <= r.k {
                        html += "<tr><td>\(escape(q.queryID)): \(escape(q.query))</td><td>\(q.attack.rawValue)</td><td class=n>\(m.rank.map(String.init) ?? "n/a")</td>"
                            + "<td class=n>\(cell(m.score, 3))</td><td><small>\(escape(shortened(m.text)))</small></td></tr>\n"
                    }
                }
                html += "</table>\n"
            }
        }
        return html + "</body></html>\n"
    }

    static func cell(_ v: Double?, _ decimals: Int = 4) -> String { v.map { $0.formatted(decimals: decimals) } ?? "n/a" }

    static func escape(_ text: String) -> String { HTMLText.escape(text) }

    /// Padded memories run past 4000 characters: their start and their end (the payload) are shown.
    static func shortened(_ text: String) -> String {
        guard text.count > 400 else { return text }
        return String(text.prefix(160)) + " [... \(text.count - 400) characters ...] " + String(text.suffix(240))
    }
}
