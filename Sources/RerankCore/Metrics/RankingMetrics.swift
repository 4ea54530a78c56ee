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

    /// The judged labels best first: the ideal list of IDCG. Graded labels are a few small
    /// numbers, so they are counted, not sorted (the same list; sorting a query's labels several
    /// times over was a seventh of a cached re-run's report). Any label outside 0...15 sorts.
    static func ideal(_ judged: [Int]) -> [Int?] {
        stableByLabel(judged.map { Optional($0) }, descending: true)
    }

    /// `labels` ordered by label (unjudged as 0), best first when `descending`, keeping their
    /// order among equal labels: counted when every label is within 0...15, sorted otherwise.
    static func stableByLabel(_ labels: [Int?], descending: Bool) -> [Int?] {
        guard labels.count > 1 else { return labels }
        var counts = InlineArray<16, Int>(repeating: 0)
        for label in labels {
            let key = label ?? 0
            guard key >= 0, key < 16 else {
                return labels.indices.sorted { a, b in
                    let ka = labels[a] ?? 0, kb = labels[b] ?? 0
                    if ka != kb { return descending ? ka > kb : ka < kb }
                    return a < b
                }.map { labels[$0] }
            }
            counts[key] += 1
        }
        var next = InlineArray<16, Int>(repeating: 0)
        var offset = 0
        for i in 0..<16 {
            let key = descending ? 15 - i : i
            next[key] = offset
            offset += counts[key]
        }
        var ordered = [Int?](repeating: nil, count: labels.count)
        for label in labels {
            let key = label ?? 0
            ordered[next[key]] = label
            next[key] += 1
        }
        return ordered
    }

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
