import Foundation
import RerankKit
import Testing

/// A run whose calibration is worked by hand (relevant = label >= 1):
///
/// - q1: a (2) 0.95, b (1) 0.7 (on a bin edge and a cut), c (0) 0.65, d (0) 0.3, e (1) 0.2;
///   u unjudged 0.9; f (1) its call failed. Outside the pool: nothing.
/// - q2: g (0) 0.1, h (0) "1.7" clamped to 1.0 (the model's own number: it counts), i (2) 0;
///   j (1) a reply with no number, k (0) an empty reply; z (1) judged outside the pool.
///
/// Counted: a b c d e g h i (8 pairs, 2 queries, 4 relevant: a b e i). Left out: f j k (no
/// score from the model), u (unjudged). One relevant outside the pool.
///
/// Bins: 0.0–0.1 i (label 2, 100%); 0.1–0.2 g (0, 0%); 0.2–0.3 e (1, 100%); 0.3–0.4 d (0, 0%);
/// 0.6–0.7 c (0, 0%); 0.7–0.8 b (1, 100%); 0.9–1.0 a h (mean score 0.975, label 1.0, 50%).
///
/// Cuts (kept, relevant kept, kept/query, precision, recall):
/// 0.1: 7, 3, 3.5, 3/7, 3/4; 0.2: 6, 3, 3.0, 1/2, 3/4; 0.3: 5, 2, 2.5, 2/5, 1/2;
/// 0.4–0.6: 4, 2, 2.0, 1/2, 1/2; 0.7: 3, 2, 1.5, 2/3, 1/2; 0.8–0.9: 2, 1, 1.0, 1/2, 1/4.
enum CalibrationFixture {
    static let dataset = Dataset(path: "Datasets/calibration.jsonl", queries: [
        Query(id: "q1", text: "first", candidates: [
            Candidate(id: "a", text: "a", relevance: 2, fileIndex: 0),
            Candidate(id: "b", text: "b", relevance: 1, fileIndex: 1),
            Candidate(id: "c", text: "c", relevance: 0, fileIndex: 2),
            Candidate(id: "d", text: "d", relevance: 0, fileIndex: 3),
            Candidate(id: "e", text: "e", relevance: 1, fileIndex: 4),
            Candidate(id: "u", text: "u", relevance: nil, fileIndex: 5),
            Candidate(id: "f", text: "f", relevance: 1, fileIndex: 6),
        ]),
        Query(id: "q2", text: "second", candidates: [
            Candidate(id: "g", text: "g", relevance: 0, fileIndex: 0),
            Candidate(id: "h", text: "h", relevance: 0, fileIndex: 1),
            Candidate(id: "i", text: "i", relevance: 2, fileIndex: 2),
            Candidate(id: "j", text: "j", relevance: 1, fileIndex: 3),
            Candidate(id: "k", text: "k", relevance: 0, fileIndex: 4),
        ], judgments: ["z": 1]),
    ], contentHash: "calibration0123456789")

    static let replies: [(String, String, String?)] = [
        ("q1", "a", "0.95"), ("q1", "b", "0.7"), ("q1", "c", "0.65"), ("q1", "d", "0.3"), ("q1", "e", "0.2"),
        ("q1", "u", "0.9"), ("q1", "f", nil),
        ("q2", "g", "0.1"), ("q2", "h", "1.7"), ("q2", "i", "0"), ("q2", "j", "I cannot say"), ("q2", "k", ""),
    ]

    static func report(threshold: Int = 1, failurePolicy: FailurePolicy = .mem0) -> RunReport {
        var settings = RunSettings(provider: "openai", model: "gpt-test")
        settings.metrics = MetricSettings(cutoffs: [3], relevanceThreshold: threshold)
        settings.failurePolicy = failurePolicy
        let results = replies.map { q, c, text in
            PairResult(queryID: q, candidateID: c, sampleIndex: 0, reply: text.map { ChatReply(text: $0) },
                       error: text == nil ? "HTTP 500" : nil)
        }
        return RunReportBuilder(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings).build(results: results)
    }
}

@Suite struct ScoreCalibrationTests {
    let calibration = ScoreCalibration(CalibrationFixture.report())

    @Test func countsOnlyTheModelsOwnScoresOnJudgedCandidates() {
        #expect(calibration.pairs.map(\.score).sorted() == [0, 0.1, 0.2, 0.3, 0.65, 0.7, 0.95, 1.0])
        #expect(calibration.unscored == 3)
        #expect(calibration.unjudged == 1)
        #expect(calibration.queryCount == 2)
        #expect(calibration.relevantCount == 4)
        #expect(calibration.relevantOutsidePool == 1)
    }

    @Test func reliabilityTableByHand() {
        let bins = calibration.bins
        #expect(bins.count == 10)
        #expect(bins.map(\.pairs) == [1, 1, 1, 1, 0, 0, 1, 1, 0, 2])
        #expect(bins.map(\.meanLabel) == [2, 0, 1, 0, nil, nil, 0, 1, nil, 1])
        #expect(bins.map(\.shareRelevant) == [1, 0, 1, 0, nil, nil, 0, 1, nil, 0.5])
        #expect(abs(bins[9].meanScore! - 0.975) < 1e-12)
        #expect(bins[7].meanScore == 0.7)
        #expect(bins[9].lower == 0.9 && bins[9].upper == 1.0)
    }

    @Test func binEdgesBelongToTheBinThatStartsThere() {
        // Int(0.7 * 10) and friends are not safe: every edge must open its own bin.
        for i in 0...9 { #expect(ScoreCalibration.binIndex(Double(i) / 10) == i, "\(i)") }
        #expect(ScoreCalibration.binIndex(1.0) == 9)
        #expect(ScoreCalibration.binIndex(0.0999) == 0)
        #expect(ScoreCalibration.binIndex(0.6999999) == 6)
    }

    @Test func thresholdTableByHand() {
        let cuts = calibration.cuts
        #expect(cuts.map(\.cut) == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
        #expect(cuts.map(\.kept) == [7, 6, 5, 4, 4, 4, 3, 2, 2])
        #expect(cuts.map(\.relevantKept) == [3, 3, 2, 2, 2, 2, 2, 1, 1])
        #expect(cuts.map(\.keptPerQuery) == [3.5, 3, 2.5, 2, 2, 2, 1.5, 1, 1])
        let precision: [Double] = [3.0 / 7, 0.5, 0.4, 0.5, 0.5, 0.5, 2.0 / 3, 0.5, 0.5]
        let recall: [Double] = [0.75, 0.75, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25]
        for (cut, (p, r)) in zip(cuts, zip(precision, recall)) {
            #expect(abs(cut.precision! - p) < 1e-12, "\(cut.cut)")
            #expect(abs(cut.recall! - r) < 1e-12, "\(cut.cut)")
        }
    }

    @Test func suggestedCutForPrecisionIsTheLowestThatReachesIt() throws {
        // Cuts 0.31…0.65 keep a b c h (precision 1/2); from 0.66 c is gone: a b h, 2/3.
        let cut = try #require(calibration.suggestedCut(for: .precision(0.6)))
        #expect(cut.cut == 0.66)
        #expect(abs(cut.precision! - 2.0 / 3) < 1e-12)
        #expect(cut.recall == 0.5)
        #expect(cut.keptPerQuery == 1.5)
        // Above 0.70 precision is 1/2 (a h) and then 0 (h alone): 0.8 is never reached.
        #expect(calibration.suggestedCut(for: .precision(0.8)) == nil)
    }

    @Test func suggestedCutForRecallIsTheHighestThatReachesIt() throws {
        // e (0.2) is the third relevant: kept up to a cut of 0.20.
        let threeQuarters = try #require(calibration.suggestedCut(for: .recall(0.75)))
        #expect(threeQuarters.cut == 0.2)
        #expect(threeQuarters.precision == 0.5)
        // b scores exactly 0.7: the 0.70 cut keeps it.
        #expect(calibration.suggestedCut(for: .recall(0.5))?.cut == 0.7)
        // i scores 0: only keeping everything finds it.
        #expect(calibration.suggestedCut(for: .recall(1))?.cut == 0)
    }

    @Test func relevanceFollowsTheMetricsThreshold() {
        // With relevant = label >= 2 only a and i are relevant.
        let strict = ScoreCalibration(CalibrationFixture.report(threshold: 2))
        #expect(strict.relevanceThreshold == 2)
        #expect(strict.bins.map(\.shareRelevant) == [1, 0, 0, 0, nil, nil, 0, 0, nil, 0.5])
        #expect(strict.cut(at: 0.7).precision == 1.0 / 3)
        #expect(strict.cut(at: 0.7).recall == 0.5)
    }

    @Test func strictPolicyLeavesTheSameOut() {
        // Under strict a failed call has no score at all; under mem0 it has 0.5. Neither is the model's.
        let strict = ScoreCalibration(CalibrationFixture.report(failurePolicy: .strict))
        #expect(strict.pairs == calibration.pairs)
        #expect(strict.unscored == 3)
    }

    @Test func nothingToCountGivesNoSharesAndNoSuggestion() {
        let empty = ScoreCalibration(relevanceThreshold: 1, pairs: [])
        #expect(empty.bins.allSatisfy { $0.pairs == 0 && $0.meanLabel == nil })
        #expect(empty.cuts.allSatisfy { $0.precision == nil && $0.recall == nil && $0.keptPerQuery == 0 })
        #expect(empty.suggestedCut(for: .precision(0.5)) == nil)
        #expect(empty.suggestedCut(for: .recall(0.5)) == nil)
    }
}
