import Foundation

/// trec_eval's ranking metrics on one query's ranked list (`shared/spec/metrics.md`).
///
/// `ranked` holds the labels of the list in rank order (nil = unjudged); `judged` holds every judged
/// label of the query, retrieved or not (it defines IDCG and R).
public enum RankingMetrics {
    static func gain(_ label: Int?, _ kind: MetricSettings.Gain) -> Double {
        guard let label, label > 0 else { return 0 }
        switch kind {
        case .linear: return Double(label)
        case .exponential: return pow(2, Double(label)) - 1
        }
    }

    /// DCG of the first `k` ranks (all ranks when k is nil).
    public static func dcg(_ ranked: [Int?], k: Int?, gain kind: MetricSettings.Gain = .linear) -> Double {
        let n = min(k ?? ranked.count, ranked.count)
        var sum = 0.0
        for i in 0..<n {
            let g = gain(ranked[i], kind)
            if g != 0 { sum += g / (i < discounts.count ? discounts[i] : log2(Double(i + 2))) }
        }
        return sum
    }

    /// log2(rank + 1) of the first ranks, the same numbers `log2` gives, looked up.
    static let discounts: [Double] = (0..<1_024).map { log2(Double($0 + 2)) }

    public static func ndcg(_ ranked: [Int?], judged: [Int], k: Int?, gain kind: MetricSettings.Gain = .linear) -> Double {
        ndcg(ranked, ideal: ideal(judged), k: k, gain: kind)
    }

    /// The judged labels best first: the ideal list of IDCG.
    static func ideal(_ judged: [Int]) -> [Int?] { judged.sorted(by: >).map { Optional($0) } }

    /// `ndcg` with the ideal list made once for every cutoff of a query.
    static func ndcg(_ ranked: [Int?], ideal: [Int?], k: Int?, gain kind: MetricSettings.Gain) -> Double {
        let idcg = dcg(ideal, k: k, gain: kind)
        guard idcg > 0 else { return 0 }
        return dcg(ranked, k: k, gain: kind) / idcg
    }

    static func isRelevant(_ label: Int?, _ threshold: Int) -> Bool {
        guard let label else { return false }
        return label >= threshold
    }

    public static func relevantCount(judged: [Int], threshold: Int) -> Int {
        judged.filter { $0 >= threshold }.count
    }

    public static func averagePrecision(_ ranked: [Int?], judged: [Int], threshold: Int = 1) -> Double {
        averagePrecision(ranked, relevant: relevantCount(judged: judged, threshold: threshold), threshold: threshold)
    }

    /// `averagePrecision` with R counted once for every metric of a query.
    static func averagePrecision(_ ranked: [Int?], relevant r: Int, threshold: Int) -> Double {
        guard r > 0 else { return 0 }
        var hits = 0
        var sum = 0.0
        for (i, label) in ranked.enumerated() where isRelevant(label, threshold) {
            hits += 1
            sum += Double(hits) / Double(i + 1)
        }
        return sum / Double(r)
    }

    public static func reciprocalRank(_ ranked: [Int?], threshold: Int = 1) -> Double {
        guard let i = ranked.firstIndex(where: { isRelevant($0, threshold) }) else { return 0 }
        return 1.0 / Double(i + 1)
    }

    /// Relevant in the top k divided by k, even when the list is shorter.
    public static func precision(_ ranked: [Int?], k: Int, threshold: Int = 1) -> Double {
        Double(ranked.prefix(k).filter { isRelevant($0, threshold) }.count) / Double(k)
    }

    public static func recall(_ ranked: [Int?], judged: [Int], k: Int, threshold: Int = 1) -> Double {
        recall(ranked, relevant: relevantCount(judged: judged, threshold: threshold), k: k, threshold: threshold)
    }

    /// `recall` with R counted once for every cutoff of a query.
    static func recall(_ ranked: [Int?], relevant r: Int, k: Int, threshold: Int) -> Double {
        guard r > 0 else { return 0 }
        return Double(ranked.prefix(k).filter { isRelevant($0, threshold) }.count) / Double(r)
    }
}
