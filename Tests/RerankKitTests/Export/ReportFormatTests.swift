import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// The JSON and CSV reports' shape and numbers for `PoolReportFixture`, and the Markdown and
/// HTML reports' settings lines.
@Suite struct ReportFormatTests {
    let report = PoolReportFixture.report()

    @Test func jsonIsByteStableWithSnakeCaseKeysAndPerQueryDeltas() throws {
        let json = ReportJSON.encode(report)
        #expect(json == ReportJSON.encode(report), "keys are sorted: the same run gives the same bytes")
        #expect(json.hasSuffix("}\n"))
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(doc["tool"] as? String == "rerank-eval" && doc["schema_version"] as? Int == 1)
        #expect(doc["complete"] as? Bool == true && doc["provider_ignores_prompt"] as? Bool == false)
        #expect(doc["split"] == nil && doc["test_looks"] == nil)
        let dataset = try #require(doc["dataset"] as? [String: Any])
        #expect(dataset["path"] as? String == "Datasets/pool.jsonl" && dataset["sha256"] as? String == "0123456789abcdef0123" && dataset["queries"] as? Int == 2)
        let counts = try #require(doc["counts"] as? [String: Any])
        #expect(counts["planned"] as? Int == 5 && counts["ok"] as? Int == 5 && counts["failed"] as? Int == 0)
        let usage = try #require(counts["usage"] as? [String: Any])
        #expect(usage["prompt_tokens"] as? Int == 500 && usage["completion_tokens"] as? Int == 10)
        let q1 = try #require((doc["queries"] as? [[String: Any]])?.first)
        #expect(q1["query_id"] as? String == "q1" && q1["judged"] as? Bool == true)
        let delta = (q1["delta"] as? [String: Any])?["ndcg@3"] as? NSNumber
        let idcg = 2 + 1 / log2(3.0) + 0.5
        #expect(abs((delta?.doubleValue ?? 0) - ((2 / log2(3.0) + 0.5) - (1 / log2(3.0) + 1)) / idcg) < 1e-12)
        // Candidates in reranked order with their first-stage ranks.
        let candidates = try #require(q1["candidates"] as? [[String: Any]])
        #expect(candidates.map { $0["id"] as? String } == ["b", "a", "c"])
        let baselineRanks = candidates.map { $0["baseline_rank"] as? Int }, newRanks = candidates.map { $0["new_rank"] as? Int }
        #expect(baselineRanks == [1, 3, 2] && newRanks == [1, 2, 3])
        let testLooks = try #require(try JSONSerialization.jsonObject(with: Data(ReportJSON.encode(report, testLooks: 1).utf8)) as? [String: Any])
        #expect(testLooks["test_looks"] as? Int == 1)
    }

    @Test func csvHasThreeColumnsPerMetricThenTheCeilingThenTheText() {
        let rows = CSVReader.rows(ReportCSV.encode(report))
        let header = rows[0]
        #expect(Array(header.prefix(8)) == ["query_id", "judged", "baseline_ndcg@3", "reranked_ndcg@3", "delta_ndcg@3", "baseline_ndcg", "reranked_ndcg", "delta_ndcg"])
        // 9 metrics x 3, then ceiling and captured for the 6 ranking metrics, then 3 more.
        #expect(header.count == 2 + 27 + 12 + 3)
        #expect(header[29...30] == ["ceiling_ndcg@3", "captured_ndcg@3"])
        #expect(rows.count == 4 && rows.allSatisfy { $0.count == header.count })
        #expect(rows[1][0] == "q1" && rows[1][1] == "1" && rows[1].last == "where is the key")
        #expect(rows[3][0] == "MEAN" && rows[3][1] == "" && rows[3].last == "")
        let column = header.firstIndex(of: "reranked_map")!
        let map = Double(rows[1][column]) ?? -1
        let ap: Double = (0.5 + 2.0 / 3.0) / 3
        #expect(abs(map - ap) < 1e-12)
        #expect(rows[2][column] == "0.0")
    }

    @Test func markdownAndHTMLNameTheRun() {
        let md = ReportMarkdown.render(report)
        #expect(md.hasPrefix("# RerankBench report: mem0-default-system\n"))
        #expect(md.contains("| dataset | Datasets/pool.jsonl (2 queries, sha256 `0123456789ab`) |"))
        #expect(md.contains("| calls | 5 planned, 5 ok, 0 failed, 0 from cache, 0 scored 0.5 by fallback, 0 not run |"))
        #expect(md.contains("| tokens / cost | 500 + 10, $0.0011 |"))
        let html = ReportHTML.render(report, title: "Run <1>")
        #expect(html.contains("<title>Run &lt;1&gt;</title>") && html.contains("<h1>Run &lt;1&gt;</h1>"))
        #expect(html.contains("Tokens 500 + 10, $0.0011.</p>"))
        // The chart's summary: q1 up, q2 unchanged.
        #expect(html.contains("1 queries improved, 0 got worse, 1 unchanged."))
    }
}
