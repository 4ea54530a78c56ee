import Foundation
import RerankKit
import Testing

/// `--samples k`: the ranking each sample gives on its own, Kendall tau between samples, the
/// spread of the metric over the samples, and the verdict rule that weighs a difference against
/// that spread. Every expected value is worked by hand in the comments.
@Suite struct SampleStabilityTests {
    // MARK: One query, by hand

    @Test func tauIsAveragedOverEveryPairOfSamples() throws {
        // Candidates by row, samples by column.
        // (s0, s1): [0.9, 0.5, 0.1] vs [0.8, 0.5, 0.2]: 3 concordant pairs, tau 1.
        // (s0, s2): [0.9, 0.5, 0.1] vs [0.1, 0.5, 0.9]: 3 discordant, tau -1; (s1, s2) likewise -1.
        // Mean (1 - 1 - 1) / 3 = -1/3.
        let scores: [[Double?]] = [[0.9, 0.8, 0.1], [0.5, 0.5, 0.5], [0.1, 0.2, 0.9]]
        let s = QuerySampleStability.measure(scores: scores, samples: 3) { _ in QueryMetrics() }
        #expect(s.tauPairs == 3)
        #expect(abs(try #require(s.meanTau) - (-1.0 / 3)) < 1e-12)
        #expect(s.sampleMetrics.count == 3)
    }

    @Test func tiesCountAsKendallTauBCountsThem() throws {
        // s0 = [0.9, 0.5, 0.5], s1 = [0.9, 0.8, 0.1]: pairs (0,1) and (0,2) concordant, (1,2) tied
        // in s0 only. tau-b = (2 - 0) / sqrt((2 + 0 + 1)(2 + 0 + 0)) = 2 / sqrt(6) = 0.816497.
        let s = QuerySampleStability.measure(scores: [[0.9, 0.9], [0.5, 0.8], [0.5, 0.1]], samples: 2) { _ in QueryMetrics() }
        #expect(abs(try #require(s.meanTau) - 2 / 6.0.squareRoot()) < 1e-12)
        #expect(abs(try #require(s.meanTau) - 0.8164965809) < 1e-9)
    }

    @Test func aSampleWithEqualScoresHasNoTauAndAMissingScoreIsLeftOut() {
        // s0 is constant: tau-b undefined (its denominator is 0), so no pair counts.
        let flat = QuerySampleStability.measure(scores: [[0.5, 0.9], [0.5, 0.1]], samples: 2) { _ in QueryMetrics() }
        #expect(flat.meanTau == nil && flat.tauPairs == 0)
        // The second candidate has no score in s1: tau over the other two candidates, [0.9, 0.1] vs [0.2, 0.8] = -1.
        let missing = QuerySampleStability.measure(scores: [[0.9, 0.2], [0.4, nil], [0.1, 0.8]], samples: 2) { _ in QueryMetrics() }
        #expect(missing.meanTau == -1 && missing.tauPairs == 1)
    }

    @Test func spreadIsTheSampleStandardDeviationAcrossSamples() throws {
        let s = QuerySampleStability(meanTau: nil, tauPairs: 0, sampleMetrics: [0.2, 0.4, 0.9].map { QueryMetrics(values: [.map: $0]) })
        // mean 0.5; squared deviations 0.09 + 0.01 + 0.16 = 0.26; / (3 - 1) = 0.13; sqrt = 0.360555.
        #expect(abs(try #require(s.standardDeviation(.map)) - 0.13.squareRoot()) < 1e-12)
        let range = try #require(s.range(.map))
        #expect(range.min == 0.2 && range.max == 0.9)
        // Every sample alike: no spread at all, which is 0 (not unknown).
        let same = QuerySampleStability(meanTau: 1, tauPairs: 1, sampleMetrics: [QueryMetrics(values: [.map: 0.3]), QueryMetrics(values: [.map: 0.3])])
        #expect(same.standardDeviation(.map) == 0)
        #expect(same.standardDeviation(.mrr) == nil)
    }

    // MARK: From replies, through the report builder

    /// q1: D1 (label 0), D2 (2), D10 (1), D3 (unjudged).
    static let dataset = Dataset(path: "mem", queries: [
        Query(id: "q1", text: "foods to avoid", candidates: [
            Candidate(id: "D1", text: "a", relevance: 0, firstStageScore: 0.9, fileIndex: 0),
            Candidate(id: "D2", text: "b", relevance: 2, firstStageScore: 0.8, fileIndex: 1),
            Candidate(id: "D10", text: "c", relevance: 1, firstStageScore: 0.7, fileIndex: 2),
            Candidate(id: "D3", text: "d", relevance: nil, firstStageScore: 0.6, fileIndex: 3),
        ]),
    ])

    static func results(_ bySample: [[String: String]]) -> [PairResult] {
        bySample.enumerated().flatMap { sample, replies in
            replies.map { PairResult(queryID: "q1", candidateID: $0.key, sampleIndex: sample, reply: ChatReply(text: $0.value)) }
        }
    }

    static func report(_ bySample: [[String: String]], samples: Int? = nil) -> RunReport {
        var settings = RunSettings()
        settings.samples = samples ?? bySample.count
        return RunReportBuilder(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings).build(results: results(bySample))
    }

    /// Sample 0 ranks D2, D10, D3, D1 (labels 2, 1, -, 0): the ideal order, NDCG@10 = 1.
    /// Sample 1 ranks D1, D10, D3, D2 (labels 0, 1, -, 2): DCG = 1/log2(3) + 2/log2(5) = 1.492283,
    /// IDCG = 2 + 1/log2(3) = 2.630930, NDCG@10 = 0.567207.
    /// sd over the two samples = |1 - 0.567207| / sqrt(2) = 0.306031; max - min = 0.432793.
    /// Scores [0.1, 0.9, 0.8, 0.2] vs [0.9, 0.1, 0.8, 0.2]: of the 6 pairs only (D10, D3) is
    /// concordant, so tau = (1 - 5) / 6 = -2/3.
    static let unstable = [["D1": "0.1", "D2": "0.9", "D10": "0.8", "D3": "0.2"],
                           ["D1": "0.9", "D2": "0.1", "D10": "0.8", "D3": "0.2"]]

    @Test func eachSampleIsRankedAndMeasuredOnItsOwn() throws {
        let report = Self.report(Self.unstable)
        let q = try #require(report.queries[0].sampleStability)
        let ndcg = q.values(.ndcgAt(10))
        #expect(ndcg.count == 2 && ndcg[0] == 1)
        #expect(abs(ndcg[1] - RankingMetrics.ndcg([0, 1, nil, 2], judged: [0, 2, 1], k: 10)) < 1e-12)
        #expect(abs(ndcg[1] - 0.567207) < 1e-6)
        #expect(abs(try #require(q.meanTau) - (-2.0 / 3)) < 1e-12)
        #expect(abs(try #require(q.standardDeviation(.ndcgAt(10))) - 0.306031) < 1e-6)
        // The aggregate (mean) ranking is a third order: D10 0.8, D1 0.5, D2 0.5 (stable tie), D3 0.2.
        #expect(report.queries[0].candidates.map(\.id) == ["D10", "D1", "D2", "D3"])

        let run = try #require(SampleStability.of(report, metric: .ndcgAt(10)))
        #expect(run.samples == 2 && run.queries == 1 && run.tauQueries == 1)
        #expect(abs(try #require(run.meanTau) - (-2.0 / 3)) < 1e-12)
        #expect(abs(try #require(run.meanStandardDeviation) - 0.306031) < 1e-6)
        #expect(abs(try #require(run.meanRange) - 0.432793) < 1e-6)
        #expect(run.summary.hasPrefix("mean Kendall tau-b between samples -0.667 (1 query); NDCG@10 of each sample's ranking: mean sd 0.3060 (largest 0.3060), mean max-min 0.4328"), "\(run.summary)")
    }

    @Test func oneSampleOrAQueryNotFinishedHasNoStability() {
        let single = Self.report([Self.unstable[0]])
        #expect(single.queries[0].sampleStability == nil)
        #expect(SampleStability.of(single, metric: .ndcgAt(10)) == nil)
        // D3's second sample was never asked (a cancelled run): its ranking would be a guess.
        var partial = Self.unstable
        partial[1]["D3"] = nil
        let cut = Self.report(partial)
        #expect(cut.queries[0].sampleStability == nil)
        #expect(SampleStability.of(cut, metric: .ndcgAt(10)) == nil)
    }

    @Test func aStoredReportFromBeforeStabilityStillReads() throws {
        let report = Self.report(Self.unstable)
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report.queries[0])) as? [String: Any])
        #expect(object.removeValue(forKey: "sampleStability") != nil)
        let back = try JSONDecoder().decode(QueryReport.self, from: JSONSerialization.data(withJSONObject: object))
        #expect(back.sampleStability == nil && back.queryID == "q1")
    }

    // MARK: The verdict rule

    /// Significant (see PairedComparisonTests): mean delta +0.05125.
    static let a = [0.5, 0.6, 0.7, 0.4, 0.9, 0.3, 0.55, 0.65]
    static let b = [0.55, 0.62, 0.75, 0.5, 0.88, 0.41, 0.6, 0.7]
    static let ids = (0..<8).map { "q\($0)" }

    /// No noise, noise just below the delta, just above it, well above it.
    static let noiseCases: [(Double?, PairedComparison.Outcome)] = [(nil, .better), (0.0512, .better), (0.0513, .withinSampleNoise), (0.06, .withinSampleNoise)]

    @Test(arguments: noiseCases)
    func betterNeedsTheDifferenceToExceedTheSampleNoise(noise: Double?, outcome: PairedComparison.Outcome) {
        let c = PairedComparison(metric: .ndcgAt(10), queryIDs: Self.ids, a: Self.a, b: Self.b, sampleNoise: noise)
        #expect(c.isSignificant)
        #expect(c.outcome == outcome, "noise \(String(describing: noise)): delta \(c.meanDelta)")
    }

    @Test func aDifferenceEqualToTheNoiseIsNotLargerThanIt() {
        let plain = PairedComparison(metric: .ndcgAt(10), queryIDs: Self.ids, a: Self.a, b: Self.b)
        let equal = PairedComparison(metric: .ndcgAt(10), queryIDs: Self.ids, a: Self.a, b: Self.b, sampleNoise: plain.meanDelta)
        #expect(equal.outcome == .withinSampleNoise)
        #expect(plain.outcome == .better && plain.sampleNoise == nil)
    }

    @Test func worseIsWeighedTheSameWayAndNoiseDoesNotMakeNoiseSignificant() {
        let worse = PairedComparison(metric: .ndcgAt(10), queryIDs: Self.ids, a: Self.b, b: Self.a, sampleNoise: 0.01)
        #expect(worse.outcome == .worse)
        #expect(worse.verdict().hasPrefix("B is worse than A on ndcg@10 by 0.051"))
        #expect(worse.verdict().hasSuffix("; larger than the sample-to-sample spread (mean per-query sd across samples 0.010)"), "\(worse.verdict())")
        let hidden = PairedComparison(metric: .ndcgAt(10), queryIDs: Self.ids, a: Self.b, b: Self.a, sampleNoise: 0.2)
        #expect(hidden.outcome == .withinSampleNoise)
        #expect(hidden.verdict().hasPrefix("within sample noise on ndcg@10: B - A = -0.051, 95% CI ["), "\(hidden.verdict())")
        #expect(hidden.verdict().hasSuffix("is not larger than the sample-to-sample spread (mean per-query sd across samples 0.200), so it is not called better or worse"))
        let noise = PairedComparison(metric: .map, queryIDs: ["1", "2", "3", "4"], a: [0.5, 0.6, 0.4, 0.7], b: [0.52, 0.58, 0.43, 0.69], sampleNoise: 0)
        #expect(noise.outcome == .notSignificant)
        #expect(noise.verdict().hasPrefix("no significant difference on map"))
    }

    @Test func aCorrectionKeepsTheSampleNoise() {
        let c = PairedComparison(metric: .ndcgAt(10), queryIDs: Self.ids, a: Self.a, b: Self.b, sampleNoise: 0.06)
        let family = PairedComparison.corrected([c, c], by: .holm)
        #expect(family.allSatisfy { $0.sampleNoise == 0.06 && $0.outcome != .better })
    }

    @Test func comparingReportsUsesTheLargerNoiseOfTheTwoRuns() throws {
        // Run B's samples agree (spread 0); run A's are the unstable pair above (sd 0.306031).
        let unstable = Self.report(Self.unstable)
        let steady = Self.report([Self.unstable[0], Self.unstable[0]])
        #expect(try #require(SampleStability.of(steady, metric: .ndcgAt(10))).meanStandardDeviation == 0)
        let c = PairedComparison.compare(unstable, steady, metric: .ndcgAt(10))
        #expect(abs(try #require(c.sampleNoise) - 0.306031) < 1e-6)
        #expect(abs(try #require(PairedComparison.compare(steady, unstable, metric: .ndcgAt(10)).sampleNoise) - 0.306031) < 1e-6)
        // Neither run repeated its calls: no sample noise, the verdict is the plain one.
        let single = Self.report([Self.unstable[0]])
        #expect(PairedComparison.compare(single, single, metric: .ndcgAt(10)).sampleNoise == nil)
        // One run with samples is enough for the rule to apply.
        #expect(PairedComparison.compare(single, unstable, metric: .ndcgAt(10)).sampleNoise != nil)
    }
}
