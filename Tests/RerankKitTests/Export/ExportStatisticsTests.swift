import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// The split, the test looks, the correction, the detectable effect and the sample stability
/// travel with a prompt card and an HTML report, worded once (`ExportStatistics`) and escaped
/// for each format.
@Suite struct ExportStatisticsTests {
    /// 2025-03-04 12:00 UTC.
    let date = Date(timeIntervalSince1970: 1_741_089_600)

    /// PoolReportFixture on NDCG@3, reranked against first stage: q1 0.520909 -> 0.562727
    /// (+0.041818), q2 0 -> 0. sd of [0.041818, 0] = 0.041818 / sqrt(2) = 0.029570;
    /// MDE = (t(0.975, 1) + t(0.8, 1)) sd / sqrt(2) = (12.706205 + 1.376382) * 0.029570 / 1.414214
    /// = 0.294454 (scipy.stats.t.ppf).
    static let detectable = "0.2945 on NDCG@3 at 80% power, alpha 0.050, with 2 queries (paired t approximation over the per-query differences, reranked vs first-stage order)"

    func card(_ report: RunReport, _ statistics: ExportStatistics? = nil) -> String {
        PromptCard.text(name: "n", description: "d", prompt: "Score it.", settings: report.settings, report: report, statistics: statistics, date: date)
    }

    func frontMatter(_ card: String) -> [String] {
        String(card.split(separator: "\n---\n", maxSplits: 1)[0]).split(separator: "\n").map(String.init)
    }

    @Test func theFirstStageComparisonGivesTheDetectableEffect() throws {
        let st = ExportStatistics(report: PoolReportFixture.report())
        let c = try #require(st.comparison)
        #expect(c.queryIDs == ["q1", "q2"] && c.metric == .ndcgAt(3))
        #expect(abs(try #require(c.minimumDetectableEffect) - 0.294454) < 1e-5)
        #expect(st.detectableText == Self.detectable)
        #expect(st.correctionText == "none: one comparison (reranked vs first-stage order); its p-value is raw")
        #expect(st.splitText == "none: the dataset has no dev/test split; 2 queries evaluated")
        #expect(st.testLooksText == nil && st.stabilityText == nil)
    }

    @Test func aCardCarriesEveryStatisticAndReadsBack() throws {
        let report = PoolReportFixture.report()
        let text = card(report)
        let lines = frontMatter(text)
        // After the metrics and cost, before the closing ---.
        let from = try #require(lines.firstIndex(of: "cost_usd: 0.0011"))
        #expect(Array(lines[(from + 1)...]) == [
            "split: \"none\"",
            "correction: \"none: one comparison (reranked vs first-stage order); its p-value is raw\"",
            "detectable_effect: \"\(Self.detectable)\"",
        ])
        let back = try ScoringPrompt.parse(text)
        #expect(back.extraFrontMatter["split"] == "none")
        #expect(back.extraFrontMatter["detectable_effect"] == Self.detectable)
        #expect(back.text == "Score it.")
        // Without a run there are no numbers, so none of their statistics either.
        let bare = PromptCard.text(name: "n", description: "", prompt: "p", settings: report.settings, report: nil, date: date)
        #expect(!bare.contains("split:") && !bare.contains("detectable_effect:"))
    }

    @Test func aRunOnTheTestSplitCarriesItsLooks() throws {
        var report = PoolReportFixture.report()
        report.settings.split = .test
        let lines = frontMatter(card(report, ExportStatistics(report: report, testLooks: 3)))
        #expect(lines.contains("split: \"test\""))
        #expect(lines.contains("test_looks: 3"))
        #expect(lines.contains("test_looks_note: \"test split looked at 3 times: its numbers are no longer a clean estimate\""))
        let first = frontMatter(card(report, ExportStatistics(report: report, testLooks: 1)))
        #expect(first.contains("test_looks_note: \"1 (the first look at the test split: a clean estimate)\""))
        // Exported without the store: the card says the looks were not counted, not that there were none.
        let unknown = frontMatter(card(report))
        #expect(!unknown.contains { $0.hasPrefix("test_looks:") })
        #expect(unknown.contains { $0.hasPrefix("test_looks_note: \"not counted") })
        // A dev run shows no test numbers: no look count, even when one is known.
        report.settings.split = .dev
        let dev = frontMatter(card(report, ExportStatistics(report: report, testLooks: 3)))
        #expect(dev.contains("split: \"dev\"") && !dev.contains { $0.hasPrefix("test_looks") })
    }

    @Test func aCorrectedComparisonNamesItsCorrection() {
        let report = PoolReportFixture.report()
        let a = [0.5, 0.6, 0.7, 0.4, 0.9, 0.3, 0.55, 0.65], b = [0.55, 0.62, 0.75, 0.5, 0.88, 0.41, 0.6, 0.7]
        let one = PairedComparison(metric: .ndcgAt(10), queryIDs: (0..<8).map { "q\($0)" }, a: a, b: b)
        let family = PairedComparison.corrected([one, one, one], by: .holm)
        let st = ExportStatistics(report: report, comparison: family[0], comparedWhat: "run 7 vs run 3")
        #expect(st.correctionText.hasPrefix("Holm over 3 comparisons (run 7 vs run 3); adjusted p="), "\(st.correctionText)")
        #expect(st.detectableText.hasSuffix("with 8 queries (paired t approximation over the per-query differences, run 7 vs run 3)"), "\(st.detectableText)")
    }

    @Test func aRunWithSamplesCarriesItsStability() throws {
        let report = SampleStabilityTests.report(SampleStabilityTests.unstable)
        let lines = frontMatter(card(report))
        let line = try #require(lines.first { $0.hasPrefix("sample_stability: ") })
        #expect(line.hasPrefix("sample_stability: \"2 samples per pair: mean Kendall tau-b between samples -0.667 (1 query); NDCG@10 of each sample's ranking: mean sd 0.3060"), "\(line)")
        let html = ReportHTML.render(report)
        #expect(html.contains("<tr><th>sample stability</th><td>2 samples per pair: mean Kendall tau-b between samples -0.667"))
    }

    @Test func theHTMLReportHasAStatisticsTable() {
        var report = PoolReportFixture.report()
        report.settings.split = .all
        let html = ReportHTML.render(report, statistics: ExportStatistics(report: report, testLooks: 2))
        #expect(html.contains("<h2>Statistics</h2>\n<table>\n"))
        #expect(html.contains("<tr><th>split</th><td>all queries (dev and test), 2 queries evaluated</td></tr>"))
        #expect(html.contains("<tr><th>test looks</th><td>test split looked at 2 times: its numbers are no longer a clean estimate</td></tr>"))
        #expect(html.contains("<tr><th>correction</th><td>none: one comparison (reranked vs first-stage order); its p-value is raw</td></tr>"))
        #expect(html.contains("<tr><th>detectable effect</th><td>\(Self.detectable)</td></tr>"))
        // Without statistics from the caller the page states the report's own.
        #expect(ReportHTML.render(PoolReportFixture.report()).contains("<tr><th>split</th><td>none: the dataset has no dev/test split; 2 queries evaluated</td></tr>"))
    }

    @Test func theMarkdownReportHasTheSameStatistics() {
        var report = PoolReportFixture.report()
        report.settings.split = .test
        let md = ReportMarkdown.render(report, statistics: ExportStatistics(report: report, testLooks: 4))
        let section = md.components(separatedBy: "\n## Statistics\n\n")[1].components(separatedBy: "\n\n")[0].split(separator: "\n").map(String.init)
        #expect(section == [
            "| statistic | value |", "|---|---|",
            "| split | test split, 2 queries evaluated |",
            "| test looks | test split looked at 4 times: its numbers are no longer a clean estimate |",
            "| correction | none: one comparison (reranked vs first-stage order); its p-value is raw |",
            "| detectable effect | \(Self.detectable) |",
        ])
    }

    /// A comparison named from data (run labels hold prompt names) is text in both formats.
    @Test func wordsFromDataAreEscapedInTheCardAndThePage() throws {
        let report = PoolReportFixture.report()
        for payload in HostileData.payloads where !payload.isEmpty {
            let one = PairedComparison(metric: .ndcgAt(3), queryIDs: ["q1", "q2"], a: [0.1, 0.2], b: [0.3, 0.5])
            let st = ExportStatistics(report: report, comparison: one, comparedWhat: payload)
            let text = card(report, st)
            #expect(HostileData.rawControls(in: frontMatter(text).joined(separator: "\n")).isEmpty, "\(payload)")
            let back = try ScoringPrompt.parse(text)
            #expect(back.extraFrontMatter["correction"] == st.correctionText, "\(payload)")
            #expect(back.extraFrontMatter["detectable_effect"] == st.detectableText, "\(payload)")
            let html = ReportHTML.render(report, statistics: st)
            let section = String(html.split(separator: "<h2>Statistics</h2>")[1].split(separator: "</table>")[0])
            #expect(HostileData.rawControls(in: section).isEmpty, "\(payload)")
            #expect(!section.contains("<script") && !section.contains("<img"), "\(payload)")
            #expect(section.contains(HTMLText.escape(payload, layout: .line)), "\(payload)")
            let md = ReportMarkdown.render(report, statistics: st)
            let row = try #require(md.split(separator: "\n").first { $0.hasPrefix("| correction | ") }, "\(payload)")
            #expect(HostileData.rawControls(in: String(row)).isEmpty && !row.contains("<"), "\(payload)")
            #expect(row.contains(MarkdownText.inline(payload)), "\(payload)")
        }
    }
}
