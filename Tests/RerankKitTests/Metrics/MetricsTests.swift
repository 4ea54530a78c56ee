import Foundation
import RerankKit
@testable import RerankCore
import Testing

@Suite struct MetricsTests {
    /// The hand-checkable case of shared/spec/metrics.md.
    @Test func specCheckValues() {
        // labels {a:2, b:0, c:1, d:unjudged, e:1}, ranked [b, a, d, c], e not retrieved.
        let ranked: [Int?] = [0, 2, nil, 1]
        let judged = [2, 0, 1, 1]
        #expect(abs(RankingMetrics.dcg(ranked, k: 4) - 1.692536) < 1e-6)
        #expect(abs(RankingMetrics.ndcg(ranked, judged: judged, k: 4) - 0.540585) < 1e-6)
        #expect(abs(RankingMetrics.ndcg(ranked, judged: judged, k: nil) - 0.540585) < 1e-6)
        #expect(abs(RankingMetrics.averagePrecision(ranked, judged: judged) - 1.0 / 3.0) < 1e-12)
        #expect(RankingMetrics.reciprocalRank(ranked) == 0.5)
        #expect(RankingMetrics.precision(ranked, k: 4) == 0.5)
        #expect(RankingMetrics.precision(ranked, k: 5) == 0.4)
        #expect(abs(RankingMetrics.recall(ranked, judged: judged, k: 4) - 2.0 / 3.0) < 1e-12)
        let idcg = 2 + 1 / log2(3.0) + 0.5
        #expect(abs(idcg - 3.130929) < 1e-6)
    }

    @Test func noRelevantGivesZeroNotNaN() {
        #expect(RankingMetrics.ndcg([0, 0], judged: [0, 0], k: 10) == 0)
        #expect(RankingMetrics.averagePrecision([0, nil], judged: [0]) == 0)
        #expect(RankingMetrics.recall([0], judged: [0], k: 5) == 0)
        #expect(RankingMetrics.reciprocalRank([nil, 0]) == 0)
    }

    @Test func thresholdAffectsBinaryMetricsNotNDCG() {
        let ranked: [Int?] = [1, 2]
        #expect(RankingMetrics.reciprocalRank(ranked, threshold: 2) == 0.5)
        #expect(RankingMetrics.precision(ranked, k: 2, threshold: 2) == 0.5)
    }

    @Test func exponentialGainIsOptIn() {
        let ranked: [Int?] = [1, 2]
        let linear = RankingMetrics.ndcg(ranked, judged: [1, 2], k: 2)
        let exp = RankingMetrics.ndcg(ranked, judged: [1, 2], k: 2, gain: .exponential)
        #expect(abs(linear - (1 + 2 / log2(3.0)) / (2 + 1 / log2(3.0))) < 1e-12)
        #expect(abs(exp - (1 + 3 / log2(3.0)) / (3 + 1 / log2(3.0))) < 1e-12)
    }

    @Test func agreementKnownValues() {
        // scipy.stats.kendalltau([1,2,3,4,5],[5,6,7,8,7]) = 0.7378647873726218 (tau-b)
        let tau = ScoreAgreement.kendallTauB([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])!
        #expect(abs(tau - 0.7378647873726218) < 1e-12)
        // scipy.stats.spearmanr([1,2,3,4,5],[5,6,7,8,7]) = 0.8207826816681233
        let rho = ScoreAgreement.spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])!
        #expect(abs(rho - 0.8207826816681233) < 1e-12)
        // numpy.corrcoef([1,2,3,4,5],[5,6,7,8,7])[0,1] = 0.8320502943378437
        let r = ScoreAgreement.pearson([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])!
        #expect(abs(r - 0.8320502943378437) < 1e-12)
    }

    @Test func agreementUndefinedCases() {
        #expect(ScoreAgreement.kendallTauB([1], [1]) == nil)
        #expect(ScoreAgreement.kendallTauB([1, 1, 1], [0, 1, 2]) == nil)
        #expect(ScoreAgreement.spearman([0.5, 0.5], [0, 1]) == nil)
        #expect(ScoreAgreement.pearson([1, 2], [3, 3]) == nil)
    }

    @Test func meansSkipUndefinedAgreementOnly() {
        let a = QueryMetrics(values: [.ndcg: 1, .kendallTau: 0.5])
        let b = QueryMetrics(values: [.ndcg: 0])
        let m = MetricMeans.mean([a, b], names: [.ndcg, .kendallTau])
        #expect(m[.ndcg] == 0.5)
        #expect(m[.kendallTau] == 0.5)
    }

    @Test func metricNamesParse() {
        #expect(MetricName("ndcg@10") == .ndcgAt(10))
        #expect(MetricName("NDCG@5") == .ndcgAt(5))
        #expect(MetricName("P@3") == .precisionAt(3))
        #expect(MetricName("recall@10") == .recallAt(10))
        #expect(MetricName("map") == .map)
        #expect(MetricName("tau") == .kendallTau)
        #expect(MetricName("ndcg@0") == nil)
        #expect(MetricName("bogus") == nil)
    }

    /// Randomized lists (graded labels, unjudged items, unretrieved relevant items) against a
    /// reference written separately below, in the plainest form of each definition.
    @Test func randomizedAgainstReference() {
        var rng = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let n = Int(rng.next() % 25) + 1
            let labels: [Int?] = (0..<n).map { _ in
                let r = rng.next() % 6
                return r == 5 ? nil : Int(r % 4)
            }
            let missing = (0..<Int(rng.next() % 4)).map { _ in Int(rng.next() % 4) }
            let judged = labels.compactMap { $0 } + missing
            let threshold = Int(rng.next() % 2) + 1
            for k in [1, 3, 5, 10, 20] {
                #expect(abs(RankingMetrics.ndcg(labels, judged: judged, k: k) - Reference.ndcg(labels, judged, k)) < 1e-12)
                #expect(abs(RankingMetrics.precision(labels, k: k, threshold: threshold) - Reference.precision(labels, k, threshold)) < 1e-12)
                #expect(abs(RankingMetrics.recall(labels, judged: judged, k: k, threshold: threshold) - Reference.recall(labels, judged, k, threshold)) < 1e-12)
            }
            #expect(abs(RankingMetrics.ndcg(labels, judged: judged, k: nil) - Reference.ndcg(labels, judged, labels.count + judged.count)) < 1e-12)
            #expect(abs(RankingMetrics.averagePrecision(labels, judged: judged, threshold: threshold) - Reference.ap(labels, judged, threshold)) < 1e-12)
            #expect(abs(RankingMetrics.reciprocalRank(labels, threshold: threshold) - Reference.rr(labels, threshold)) < 1e-12)
            let scores = (0..<n).map { _ in Double(rng.next() % 5) / 4 }
            let y = (0..<n).map { _ in Double(rng.next() % 3) }
            let tau = ScoreAgreement.kendallTauB(scores, y)
            let refTau = Reference.tauB(scores, y)
            #expect((tau == nil) == (refTau == nil))
            if let tau, let refTau { #expect(abs(tau - refTau) < 1e-12) }
        }
    }
}

/// Kendall's counts by sorting must be the counts of comparing every pair, to the bit.
@Suite struct KendallCountTests {
    @Test func sortedCountsEqualEveryPairCompared() {
        var rng = SplitMix64(seed: 16)
        for trial in 0..<3_000 {
            let n = Int(rng.next() % 140) + 2
            // Few distinct values (many ties), many (few ties), negative zero beside zero.
            let spread = [2, 5, 50, 1_000_000][trial % 4]
            let x = (0..<n).map { _ in Double(Int(rng.next() % UInt64(spread)) - spread / 3) / 7 }
            let y = (0..<n).map { i in trial % 7 == 0 ? -0.0 * Double(i % 2) : Double(rng.next() % UInt64(spread)) }
            let sorted = ScoreAgreement.sortedPairCounts(x, y), every = ScoreAgreement.pairCounts(x, y)
            #expect(sorted == every, "n \(n): \(sorted) vs \(every)")
        }
        var values: [Double] = [3, 1, 2, 2, 5, 0]
        #expect(ScoreAgreement.inversions(&values) == 8)  // 3 over 1, 2, 2, 0; then 1, 2, 2 and 5 over 0
        #expect(values == [0, 1, 2, 2, 3, 5])
    }

    @Test func tauIsTheSameWithNonFiniteOrFewValues() {
        let x: [Double] = [0.2, .infinity, 0.5, 0.5, 0.1, 0.9, 0.3, 0.3, 0.7, 0.8, 0.05, 0.6, 0.4, 0.45, 0.55, 0.65]
        let y: [Double] = [1, 2, 0, 2, 1, 2, 0, 1, 2, 2, 0, 1, 1, 0, 2, 1]
        let (c, d, tx, ty) = ScoreAgreement.pairCounts(x, y)
        #expect(ScoreAgreement.kendallTauB(x, y) == (c - d) / ((c + d + tx) * (c + d + ty)).squareRoot())
    }
}

/// Deterministic generator so failures reproduce.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Plain restatements of the definitions, independent of the product code.
enum Reference {
    static func ndcg(_ labels: [Int?], _ judged: [Int], _ k: Int) -> Double {
        var dcg = 0.0
        var rank = 1
        for l in labels where rank <= k {
            dcg += Double(max(l ?? 0, 0)) / (log(Double(rank) + 1) / log(2))
            rank += 1
        }
        var idcg = 0.0
        rank = 1
        for l in judged.sorted().reversed() where rank <= k {
            idcg += Double(max(l, 0)) / (log(Double(rank) + 1) / log(2))
            rank += 1
        }
        return idcg == 0 ? 0 : dcg / idcg
    }

    static func precision(_ labels: [Int?], _ k: Int, _ t: Int) -> Double {
        var hits = 0
        for i in 0..<min(k, labels.count) where (labels[i] ?? -1) >= t { hits += 1 }
        return Double(hits) / Double(k)
    }

    static func recall(_ labels: [Int?], _ judged: [Int], _ k: Int, _ t: Int) -> Double {
        let r = judged.filter { $0 >= t }.count
        if r == 0 { return 0 }
        var hits = 0
        for i in 0..<min(k, labels.count) where (labels[i] ?? -1) >= t { hits += 1 }
        return Double(hits) / Double(r)
    }

    static func ap(_ labels: [Int?], _ judged: [Int], _ t: Int) -> Double {
        let r = judged.filter { $0 >= t }.count
        if r == 0 { return 0 }
        var total = 0.0
        for i in 0..<labels.count where (labels[i] ?? -1) >= t {
            total += precision(labels, i + 1, t)
        }
        return total / Double(r)
    }

    static func rr(_ labels: [Int?], _ t: Int) -> Double {
        for i in 0..<labels.count where (labels[i] ?? -1) >= t { return 1 / Double(i + 1) }
        return 0
    }

    static func tauB(_ x: [Double], _ y: [Double]) -> Double? {
        var s = 0.0, n1 = 0.0, n2 = 0.0
        for i in 0..<x.count {
            for j in 0..<x.count where i < j {
                let a = (x[i] - x[j]).sign == .minus ? -1.0 : (x[i] == x[j] ? 0 : 1)
                let b = (y[i] - y[j]).sign == .minus ? -1.0 : (y[i] == y[j] ? 0 : 1)
                s += a * b
                n1 += a * a
                n2 += b * b
            }
        }
        if n1 == 0 || n2 == 0 { return nil }
        return s / (n1 * n2).squareRoot()
    }
}
