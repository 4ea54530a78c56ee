/// What to measure: cutoffs, what counts as relevant, and the gain function.
public struct MetricSettings: Sendable, Hashable, Codable {
    public enum Gain: String, Sendable, Hashable, Codable {
        /// gain = label, as trec_eval computes NDCG (the default).
        case linear
        /// gain = 2^label - 1 (the "Burges" variant some libraries use); never the default.
        case exponential
    }

    /// Cutoffs k for NDCG@k, P@k and Recall@k, ascending.
    public var cutoffs: [Int]
    /// A label >= this is relevant for binary metrics (MAP, MRR, P, Recall).
    public var relevanceThreshold: Int
    public var gain: Gain

    public init(cutoffs: [Int] = [5, 10], relevanceThreshold: Int = 1, gain: Gain = .linear) {
        self.cutoffs = Array(Set(cutoffs)).sorted()
        self.relevanceThreshold = relevanceThreshold
        self.gain = gain
    }

    /// The metrics computed under these settings, in display order.
    public var metricNames: [MetricName] {
        cutoffs.map { .ndcgAt($0) } + [.ndcg, .map, .mrr] + cutoffs.map { .precisionAt($0) }
            + cutoffs.map { .recallAt($0) } + [.kendallTau, .spearman, .pearson]
    }

    /// The headline metric: NDCG at the largest cutoff (NDCG@10 with the defaults).
    public var primaryMetric: MetricName { cutoffs.last.map { .ndcgAt($0) } ?? .ndcg }
}
