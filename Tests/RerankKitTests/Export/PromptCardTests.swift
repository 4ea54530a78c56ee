import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// Prompt cards: front matter in a fixed order, lineage, the run's numbers, and file names.
@Suite struct PromptCardTests {
    /// 2025-03-04 12:00 UTC.
    let date = Date(timeIntervalSince1970: 1_741_089_600)

    @Test func cardWithoutARunHoldsSettingsAndDate() {
        let settings = RunSettings(provider: "openai", model: "gpt-test")
        #expect(PromptCard.text(name: "My prompt", description: "short: yes", prompt: "Score it.", settings: settings, report: nil, date: date) == """
            ---
            name: "My prompt"
            description: "short: yes"
            mode: system
            parser: mem0
            provider: "openai"
            model: "gpt-test"
            date: 2025-03-04
            ---
            Score it.

            """)
    }

    @Test func aNonMem0ParserRecordsItsScaleAndLineageComesBeforeTheProvider() {
        var settings = RunSettings(provider: "openai", model: "gpt-test", mode: .template)
        settings.parser = .lastNumber
        settings.scale = .ten
        let card = PromptCard.text(name: "n", description: "", prompt: "{query} {document}", settings: settings, report: nil,
                                   lineage: .init(parentName: "base", parentSHA256: "abc123", source: "mem0 docs"), date: date)
        let lines = card.split(separator: "\n").map(String.init)
        #expect(Array(lines[3...9]) == ["mode: template", "parser: last-number", "scale: 0-10", "source: \"mem0 docs\"",
                                        "derived_from: \"base\"", "derived_from_sha256: abc123", "provider: \"openai\""])
    }

    @Test func cardFromARunHasTheDatasetMetricsWithTheirIntervalsAndCost() throws {
        let report = PoolReportFixture.report()
        let card = PromptCard.text(name: "n", description: "d", prompt: "Score it.", settings: report.settings, report: report, date: date)
        let lines = card.split(separator: "\n").map(String.init)
        #expect(lines.contains("dataset: \"Datasets/pool.jsonl\""))
        #expect(lines.contains("dataset_sha256: 0123456789abcdef0123"))
        #expect(lines.contains("queries: 2"))
        // Reranked mean first, first-stage last (see PoolReportFixture).
        let ndcg3 = try #require(lines.first { $0.hasPrefix("ndcg_at_3: ") })
        #expect(ndcg3.hasPrefix("ndcg_at_3: \"0.2814 (95% CI [") && ndcg3.hasSuffix("]; first-stage 0.2605)\""), "\(ndcg3)")
        #expect(lines.contains { $0.hasPrefix("map: \"0.1944 (95% CI [") && $0.hasSuffix("first-stage 0.1944)\"") })
        #expect(lines.contains { $0.hasPrefix("mrr: \"0.2500 (95% CI [") })
        #expect(lines.contains("cost_usd: 0.0011"))
        // The bootstrap interval of two values (0.5627, 0) lies within them.
        let interval = ndcg3.split(separator: "[")[1].split(separator: "]")[0].split(separator: ", ").compactMap { Double($0) }
        #expect(interval.count == 2 && interval[0] >= 0 && interval[1] <= 0.5628 && interval[0] <= interval[1])
        let back = try ScoringPrompt.parse(card)
        #expect(back.name == "n" && back.text == "Score it." && back.mode == .system && back.parser == .mem0)
    }

    @Test func eachMetricIsListedOnceWhenThePrimaryIsPlainNDCG() throws {
        var report = PoolReportFixture.report()
        report.settings.metrics = MetricSettings(cutoffs: [])
        let card = PromptCard.text(name: "n", description: "", prompt: "p", settings: report.settings, report: report, date: date)
        #expect(card.split(separator: "\n").filter { $0.hasPrefix("ndcg: ") }.count == 1, "\(card)")
        #expect(throws: Never.self) { try ScoringPrompt.parse(card) }
    }

    @Test(arguments: [("My Prompt: v2!", "my-prompt-v2.txt"), ("", "prompt.txt"), ("../../etc/passwd", "etc-passwd.txt"),
                      ("--", "prompt.txt"), ("Ärger über Öl", "ärger-über-öl.txt"), ("a  b", "a-b.txt")])
    func fileNamesHaveNoPathCharacters(name: String, file: String) {
        #expect(PromptCard.fileName(name) == file)
    }
}
