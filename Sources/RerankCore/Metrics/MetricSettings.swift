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
    /// Which judgments define R and IDCG: all of a query's (trec_eval; the default) or only the
    /// candidates' (`pool`).
    public var judged: JudgedScope

    public init(cutoffs: [Int] = [5, 10], relevanceThreshold: Int = 1, gain: Gain = .linear, judged: JudgedScope = .all) {
        self.cutoffs = Array(Set(cutoffs)).sorted()
        self.relevanceThreshold = relevanceThreshold
        self.gain = gain
        self.judged = judged
    }

    enum CodingKeys: String, CodingKey { case cutoffs, relevanceThreshold, gain, judged }

    /// Runs stored before `judged` existed had no judgments outside the pool, so `all` reads
    /// them exactly as they were computed.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cutoffs = try c.decode([Int].self, forKey: .cutoffs)
        relevanceThreshold = try c.decode(Int.self, forKey: .relevanceThreshold)
        gain = try c.decode(Gain.self, forKey: .gain)
        judged = try c.decodeIfPresent(JudgedScope.self, forKey: .judged) ?? .all
    }

    /// The metrics computed under these settings, in display order.
    public var metricNames: [MetricName] {
        cutoffs.map { .ndcgAt($0) } + [.ndcg, .map, .mrr] + cutoffs.map { .precisionAt($0) }
            + cutoffs.map { .recallAt($0) } + [.kendallTau, .spearman, .pearson]
    }

    /// The one rule for "the" cutoff, used everywhere a single k is shown (the verdict, the
    /// workbench's panes, compare's default): the largest of the cutoffs.
    public var primaryCutoff: Int? { cutoffs.last }

    /// The headline metric: NDCG at the primary cutoff (NDCG@10 with the defaults).
    public var primaryMetric: MetricName { primaryCutoff.map { .ndcgAt($0) } ?? .ndcg }

    /// The ranking metrics (not the score-agreement ones): the ones a reordering of the pool
    /// can raise, and so the ones that have a ceiling.
    public var rankingMetricNames: [MetricName] { metricNames.filter { !$0.isAgreement } }

    /// How outputs name the judgment scope next to the numbers.
    public var judgedDescription: String {
        switch judged {
        case .all: return "all judgments (R and IDCG count judged documents outside the pool)"
        case .pool: return "within the pool only (judgments outside the candidates ignored)"
        }
    }
}
