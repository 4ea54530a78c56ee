import Foundation
import RerankKit
import Testing

/// The calibration section of the JSON, Markdown and HTML reports, on the hand-worked run of
/// `CalibrationFixture` (its comment has every number).
@Suite struct CalibrationExportTests {
    let report = CalibrationFixture.report()

    @Test func jsonCarriesTheTablesTheCountsAndTheSuggestions() throws {
        let text = ReportJSON.encode(report, targets: [.precision(0.6), .precision(0.8), .recall(0.75)])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let c = try #require(doc["calibration"] as? [String: Any])
        #expect(c["pairs"] as? Int == 8)
        #expect(c["queries"] as? Int == 2)
        #expect(c["relevant"] as? Int == 4)
        #expect(c["left_out_unscored"] as? Int == 3)
        #expect(c["left_out_unjudged"] as? Int == 1)
        #expect(c["relevant_outside_pool"] as? Int == 1)
        #expect(c["recall_against"] as? String == "pool")
        #expect(c["averaging"] as? String == "micro")
        #expect(c["relevance_threshold"] as? Int == 1)
        let bins = try #require(c["bins"] as? [[String: Any]])
        #expect(bins.map { $0["pairs"] as? Int } == [1, 1, 1, 1, 0, 0, 1, 1, 0, 2])
        #expect(bins[9]["share_relevant"] as? Double == 0.5)
        // An empty bin has no mean: the key is absent rather than a made-up 0.
        #expect(bins[4]["mean_label"] == nil)
        let cuts = try #require(c["cuts"] as? [[String: Any]])
        #expect(cuts.map { $0["kept"] as? Int } == [7, 6, 5, 4, 4, 4, 3, 2, 2])
        #expect(cuts[6]["cut"] as? Double == 0.7)
        #expect(cuts[1]["precision"] as? Double == 0.5)
        #expect(cuts[1]["recall"] as? Double == 0.75)
        let suggested = try #require(c["suggested_cuts"] as? [[String: Any]])
        #expect(suggested.count == 3)
        #expect(suggested[0]["target"] as? String == "precision" && suggested[0]["reached"] as? Bool == true)
        #expect((suggested[0]["cut"] as? [String: Any])?["cut"] as? Double == 0.66)
        #expect(suggested[1]["reached"] as? Bool == false && suggested[1]["cut"] == nil)
        #expect((suggested[2]["cut"] as? [String: Any])?["cut"] as? Double == 0.2)
        #expect((suggested[2]["rule"] as? String)?.contains("highest cut") == true)
    }

    @Test func jsonWithoutTargetsHasNoSuggestions() throws {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(ReportJSON.encode(report).utf8)) as? [String: Any])
        let c = try #require(doc["calibration"] as? [String: Any])
        #expect((c["suggested_cuts"] as? [Any])?.isEmpty == true)
    }

    @Test func markdownHasBothTablesWithTheHandWorkedRows() {
        let md = ReportMarkdown.render(report)
        #expect(md.contains("## Score calibration"))
        #expect(md.contains("8 pairs with the model's own score and a label, over 2 queries; left out: 3 without a score from the model"))
        // Markdown escapes the > of prose as an entity; it renders as ">=".
        #expect(md.contains("relevant = label &gt;= 1"))
        #expect(md.contains("| 0.9–1.0 | 2 | 0.975 | 1.000 | 0.500 |"))
        #expect(md.contains("| 0.4–0.5 | 0 | n/a | n/a | n/a |"))
        #expect(md.contains("| 0.7 | 1.50 | 0.667 | 0.500 |"))
        #expect(md.contains("1 relevant judged outside the pool not counted"))
    }

    @Test func htmlHasBothTablesWithTheHandWorkedRows() {
        let html = ReportHTML.render(report)
        #expect(html.contains("<h2>Score calibration</h2>"))
        #expect(html.contains("<tr><td>0.9–1.0</td><td class=n>2</td><td class=n>0.975</td><td class=n>1.000</td><td class=n>0.500</td></tr>"))
        #expect(html.contains("<tr><td>0.1</td><td class=n>3.50</td><td class=n>0.429</td><td class=n>0.750</td></tr>"))
    }

    @Test func suggestionLinesSayTheCutOrThatNoneReachesIt() {
        let c = ScoreCalibration(report)
        #expect(c.suggestionLine(.precision(0.6)) == "precision >= 0.60: keep score >= 0.66 (precision 0.667, recall 0.500, 1.50 kept per query)")
        #expect(c.suggestionLine(.precision(0.8)) == "precision >= 0.80: no cut reaches it")
    }
}
