import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// The pool's ceiling, pool recall and the captured share (issue 14) in every report format,
/// with the same names as the table output: `ceiling`, `captured` (a percentage, n/a without
/// headroom), `pool R`, "nothing to rerank". Values from `PoolReportFixture`, worked by hand.
@Suite struct ReportCeilingTests {
    let report = PoolReportFixture.report()

    func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    // MARK: Markdown

    @Test func markdownMeanTableHasCeilingAndCapturedForRankingMetricsOnly() {
        let md = lines(ReportMarkdown.render(report))
        #expect(md.contains("| metric | first-stage | reranked | delta | ceiling | captured |"))
        #expect(md.contains("|---|---:|---:|---:|---:|---:|"))
        #expect(md.contains("| NDCG@3 | 0.2605 | 0.2814 | +0.0209 | 0.4202 | 13% |"), "\(md)")
        #expect(md.contains("| NDCG | 0.2605 | 0.2814 | +0.0209 | 0.4202 | 13% |"))
        #expect(md.contains("| MAP | 0.1944 | 0.1944 | +0.0000 | 0.3333 | 0% |"))
        #expect(md.contains("| MRR | 0.2500 | 0.2500 | +0.0000 | 0.5000 | 0% |"))
        // P@3 is already at its ceiling: no headroom, so no share.
        #expect(md.contains("| P@3 | 0.3333 | 0.3333 | +0.0000 | 0.3333 | n/a |"))
        // Agreement metrics have no ceiling: empty cells, the same number of columns.
        let tau = md.first { $0.hasPrefix("| tau-b |") }
        #expect(tau?.hasSuffix(" |  |  |") == true, "\(tau ?? "")")
        #expect(tau.map { HostileExportTests.unescapedCount("|", in: $0) } == 7)
    }

    @Test func markdownNamesTheJudgmentsAndThePool() {
        let md = lines(ReportMarkdown.render(report))
        #expect(md.contains("| judged | all judgments (R and IDCG count judged documents outside the pool) |"))
        #expect(md.contains("| pool | pool recall 0.3333 (relevant in the pool / relevant judged, mean); 2 relevant judged outside the pools; 1 query has nothing to rerank (no relevant candidate) |"), "\(md)")
        let pool = lines(ReportMarkdown.render(PoolReportFixture.report(judged: .pool)))
        #expect(pool.contains("| judged | within the pool only (judgments outside the candidates ignored) |"))
    }

    @Test func markdownPerQueryRowsCarryCeilingShareAndPoolRecall() {
        let md = lines(ReportMarkdown.render(report))
        #expect(md.contains("| query | first-stage | reranked | delta | ceiling | captured | pool R | text |"))
        #expect(md.contains("|---|---:|---:|---:|---:|---:|---:|---|"))
        #expect(md.contains("| q1 | 0.5209 | 0.5627 | +0.0418 | 0.8403 | 13% | 0.67 | where is the key |"), "\(md)")
        // The flag is text, escaped like any other: no link can open from it.
        #expect(md.contains("| q2 | 0.0000 | 0.0000 | +0.0000 | 0.0000 | n/a | 0.00 | \\[nothing to rerank\\] nothing here |"), "\(md)")
        // Worst change first: q2 (0) before q1 (+0.0418).
        #expect(md.firstIndex { $0.hasPrefix("| q2 |") }! < md.firstIndex { $0.hasPrefix("| q1 |") }!)
    }

    @Test func markdownOfARunStoredBeforeTheCeilingHasNoCeilingColumnsInTheMeans() {
        let md = lines(ReportMarkdown.render(PoolReportFixture.reportWithoutCeiling()))
        #expect(md.contains("| metric | first-stage | reranked | delta |"))
        #expect(md.contains("| NDCG@3 | 0.2605 | 0.2814 | +0.0209 |"))
        #expect(md.contains("| pool | pool recall n/a (nothing judged relevant); 0 relevant judged outside the pools |"))
        #expect(md.contains("| q1 | 0.5209 | 0.5627 | +0.0418 | n/a | n/a | n/a | where is the key |"), "\(md)")
    }

    // MARK: HTML

    @Test func htmlMeanTableHasCeilingAndCaptured() {
        let html = ReportHTML.render(report)
        #expect(html.contains("<tr><th>metric</th><th>first-stage</th><th>reranked</th><th>delta</th><th>ceiling</th><th>captured</th></tr>"))
        #expect(html.contains("<tr><td>NDCG@3</td><td class=n>0.2605</td><td class=n>0.2814</td><td class=n>+0.0209</td><td class=n>0.4202</td><td class=n>13%</td></tr>"), "\(html)")
        #expect(html.contains("<tr><td>MAP</td><td class=n>0.1944</td><td class=n>0.1944</td><td class=n>+0.0000</td><td class=n>0.3333</td><td class=n>0%</td></tr>"))
        #expect(html.contains("<tr><td>P@3</td><td class=n>0.3333</td><td class=n>0.3333</td><td class=n>+0.0000</td><td class=n>0.3333</td><td class=n>n/a</td></tr>"))
        let tau = html.split(separator: "\n").first { $0.hasPrefix("<tr><td>tau-b</td>") }
        #expect(tau?.hasSuffix("<td></td><td></td></tr>") == true, "\(tau ?? "")")
        #expect(html.contains("<p>Judged: all judgments (R and IDCG count judged documents outside the pool). Pool: pool recall 0.3333 (relevant in the pool / relevant judged, mean); 2 relevant judged outside the pools; 1 query has nothing to rerank (no relevant candidate).</p>"))
    }

    @Test func htmlPerQueryRowsCarryCeilingShareAndPoolRecall() {
        let html = ReportHTML.render(report)
        #expect(html.contains("<th>delta</th><th>ceiling</th><th>captured</th><th>pool R</th><th>text</th></tr>"))
        #expect(html.contains("<tr><td>q1</td><td class=n>0.5209</td><td class=n>0.5627</td><td class=n>+0.0418</td><td class=n>0.8403</td><td class=n>13%</td><td class=n>0.67</td><td>where is the key</td></tr>"), "\(html)")
        #expect(html.contains("<tr><td>q2</td><td class=n>0.0000</td><td class=n>0.0000</td><td class=n>+0.0000</td><td class=n>0.0000</td><td class=n>n/a</td><td class=n>0.00</td><td>[nothing to rerank] nothing here</td></tr>"))
        let old = ReportHTML.render(PoolReportFixture.reportWithoutCeiling())
        #expect(!old.contains("<th>captured</th></tr>"), "no mean ceiling columns for a run stored before it")
        #expect(old.contains("<td class=n>n/a</td><td class=n>n/a</td><td class=n>n/a</td><td>where is the key</td>"))
    }

    @Test func htmlCeilingTextIsEscaped() {
        var r = report
        r.queries[1].query = "<b>x</b> & 'y'"
        let html = ReportHTML.render(r)
        #expect(html.contains("<td>[nothing to rerank] &lt;b&gt;x&lt;/b&gt; &amp; &#39;y&#39;</td>"))
    }

    // MARK: JSON and CSV: the same numbers

    func number(_ v: Any?) -> Double? { (v as? NSNumber)?.doubleValue }
    func numbers(_ v: Any?) -> [String: Double]? { (v as? [String: Any])?.compactMapValues(number) }

    @Test func jsonCarriesTheHandWorkedCeiling() throws {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(ReportJSON.encode(report).utf8)) as? [String: Any])
        let mean = try #require(doc["mean"] as? [String: Any])
        let ceiling = try #require(numbers(mean["ceiling"]))
        let captured = try #require(numbers(mean["captured"]))
        let idcg = 2 + 1 / log2(3.0) + 0.5
        #expect(abs(ceiling["ndcg@3"]! - (2 + 1 / log2(3.0)) / idcg / 2) < 1e-12)
        #expect(abs(ceiling["map"]! - 1.0 / 3.0) < 1e-12)
        #expect(ceiling["tau"] == nil && captured["tau"] == nil)
        let b = (1 / log2(3.0) + 1) / idcg, r = (2 / log2(3.0) + 0.5) / idcg, c = (2 + 1 / log2(3.0)) / idcg
        #expect(abs(captured["ndcg@3"]! - (r - b) / (c - b)) < 1e-12)
        #expect(captured["p@3"] == nil, "no headroom: no share")
        #expect(captured["map"] == 0)
        #expect(abs((number(doc["pool_recall_mean"]) ?? -1) - 1.0 / 3.0) < 1e-12)
        #expect(doc["nothing_to_rerank"] as? Int == 1 && doc["judged"] as? String == "all")
        let queries = try #require(doc["queries"] as? [[String: Any]])
        #expect(queries[0]["relevant_in_pool"] as? Int == 2 && queries[0]["relevant_outside_pool"] as? Int == 1)
        #expect(queries[1]["nothing_to_rerank"] as? Bool == true && number(queries[1]["pool_recall"]) == 0)
        #expect(numbers(queries[1]["captured"])?.isEmpty == true)
    }

    @Test func csvCarriesTheHandWorkedCeiling() throws {
        let rows = CSVReader.rows(ReportCSV.encode(report))
        let header = rows[0]
        func value(_ row: Int, _ column: String) -> String { rows[row][header.firstIndex(of: column)!] }
        #expect(header.suffix(3) == ["pool_recall", "nothing_to_rerank", "query"])
        #expect(!header.contains("ceiling_tau"))
        #expect(abs(Double(value(1, "ceiling_ndcg@3"))! - 0.840303) < 1e-6)
        #expect(abs(Double(value(1, "captured_ndcg@3"))! - 0.130930) < 1e-6)
        #expect(value(1, "captured_p@3") == "", "no headroom: an empty cell")
        #expect(value(2, "nothing_to_rerank") == "1" && value(2, "pool_recall") == "0.0")
        #expect(rows[3][0] == "MEAN" && value(3, "nothing_to_rerank") == "1")
        #expect(abs(Double(value(3, "pool_recall"))! - 1.0 / 3.0) < 1e-12)
    }
}
