import RerankKit
@testable import RerankCore
import Testing

/// The tie spread (`tie_ndcg_best`/`tie_ndcg_worst`) is made by one sort by score and tie runs
/// put in order by label; these hold it equal to sorting the whole list twice with the label in
/// the comparison, as it was first written (kept here as the reference).
@Suite struct TieBoundsTests {
    /// The reference: every candidate sorted by score (nil as -inf), then label best or worst
    /// first (unjudged as 0), then first-stage position; NDCG of the labels cut to `cut`.
    static func reference(_ candidates: [Candidate], scores: [Double?], cut: Int, judged: [Int], k: Int?,
                          gain: MetricSettings.Gain) -> (Double, Double) {
        func ndcg(bestFirst: Bool) -> Double {
            let idx = candidates.indices.sorted { a, b in
                let sa = scores[a] ?? -.infinity, sb = scores[b] ?? -.infinity
                if sa != sb { return sa > sb }
                let la = candidates[a].relevance ?? 0, lb = candidates[b].relevance ?? 0
                if la != lb { return bestFirst ? la > lb : la < lb }
                return a < b
            }
            return RankingMetrics.ndcg(idx.prefix(cut).map { candidates[$0].relevance }, judged: judged, k: k, gain: gain)
        }
        return (ndcg(bestFirst: true), ndcg(bestFirst: false))
    }

    @Test(arguments: [MetricSettings.Gain.linear, .exponential])
    func oneSortAndOrderedTieRunsGiveTheTwoSortsNumbers(gain: MetricSettings.Gain) {
        var random = SplitMix64(seed: 2612)
        for round in 0..<400 {
            let n = Int.random(in: 0...40, using: &random)
            // Small grades (counted), and now and then a negative or large label (sorted).
            let wide = round % 5 == 0
            let candidates = (0..<n).map { i in
                let label: Int? = Int.random(in: 0..<4, using: &random) == 0 ? nil
                    : (wide ? Int.random(in: -2...20, using: &random) : Int.random(in: 0...3, using: &random))
                return Candidate(id: "d\(i)", text: "t", relevance: label, fileIndex: i)
            }
            // Few distinct scores, so runs of ties are long; some pairs failed (nil); -inf ties nil.
            let scores: [Double?] = (0..<n).map { _ in
                switch Int.random(in: 0..<10, using: &random) {
                case 0: return nil
                case 1: return -.infinity
                default: return Double(Int.random(in: 0...3, using: &random)) / 4
                }
            }
            let judged = candidates.compactMap(\.relevance) + (0..<Int.random(in: 0...3, using: &random)).map { _ in
                Int.random(in: 0...(wide ? 18 : 3), using: &random)
            }
            let cut = [n, max(0, n - 3), 5, 1, 0].randomElement(using: &random)!
            let cutoffs = [[5, 10], [3], []].randomElement(using: &random)!
            var settings = RunSettings(topK: cut)
            settings.metrics = MetricSettings(cutoffs: cutoffs, gain: gain)
            let query = Query(id: "q", text: "q", candidates: candidates)
            let builder = RunReportBuilder(dataset: Dataset(path: "t", queries: [query]), prompt: BuiltinPrompts.mem0SystemPrompt,
                                           settings: settings)
            let got = builder.tieBounds(query: query, scores: scores, cut: cut, judged: judged)
            let k: Int? = if case let .ndcgAt(k) = settings.metrics.primaryMetric { k } else { nil }
            let want = Self.reference(candidates, scores: scores, cut: cut, judged: judged, k: k, gain: gain)
            #expect(got.0 == want.0 && got.1 == want.1, "round \(round): \(got) against \(want)")
        }
    }

    @Test func theIdealListIsTheJudgedLabelsBestFirst() {
        var random = SplitMix64(seed: 16)
        for _ in 0..<300 {
            let judged = (0..<Int.random(in: 0...30, using: &random)).map { _ in
                Bool.random(using: &random) ? Int.random(in: 0...15, using: &random) : Int.random(in: -3...40, using: &random)
            }
            #expect(RankingMetrics.ideal(judged) == judged.sorted(by: >).map { Optional($0) })
        }
    }
}
