/// One candidate after reranking.
public struct CandidateOutcome: Sendable, Hashable, Codable {
    public var id: String
    public var label: Int?
    /// 1-based rank in the first-stage order.
    public var baselineRank: Int
    /// 1-based rank after reranking; nil when cut by top_k.
    public var newRank: Int?
    /// The score used for ranking (aggregated over samples); nil when unscored (failed, strict).
    public var score: Double?
    /// max - min over samples, when more than one sample was scored.
    public var spread: Double?
    /// Each sample's score.
    public var sampleScores: [Double]
    public var firstStageScore: Double?
    /// The most severe parse outcome among its samples; nil when no reply came back.
    public var outcome: ParseOutcome?
    public var truncated: Bool
    /// Whether any sample's call failed (under mem0 policy it then scored 0.5).
    public var failed: Bool
    public var error: String?

    /// Positions moved up (positive) or down (negative); nil when cut.
    public var rankChange: Int? { newRank.map { baselineRank - $0 } }
}

/// One query after reranking, with metrics for both orders.
public struct QueryReport: Sendable, Hashable, Codable {
    public var queryID: String
    public var query: String
    public var baseline: QueryMetrics
    public var reranked: QueryMetrics
    /// Candidates in reranked order (cut candidates last, in reranked order).
    public var candidates: [CandidateOutcome]
    /// NDCG at the primary cutoff under the best and the worst order of tied scores: how much
    /// the reranked value depends on tie-breaking.
    public var primaryBestTies: Double
    public var primaryWorstTies: Double
    /// Whether any judged candidate exists.
    public var judged: Bool
    /// The best value of each ranking metric that any reordering of the candidates reaches
    /// (after the same top_k cut): the pool's ceiling. Optional: runs stored before it have none.
    public var ceiling: QueryMetrics?
    /// Candidates judged relevant, and documents judged relevant outside the pool.
    public var relevantInPool: Int?
    public var relevantOutsidePool: Int?
    /// With two or more samples per pair, how the ranking moves between samples; nil with one
    /// sample, for a query some of whose calls were not made, and for runs stored before it.
    public var sampleStability: QuerySampleStability?

    public init(queryID: String, query: String, baseline: QueryMetrics, reranked: QueryMetrics, candidates: [CandidateOutcome],
                primaryBestTies: Double, primaryWorstTies: Double, judged: Bool, ceiling: QueryMetrics? = nil,
                relevantInPool: Int? = nil, relevantOutsidePool: Int? = nil, sampleStability: QuerySampleStability? = nil) {
        self.queryID = queryID
        self.query = query
        self.baseline = baseline
        self.reranked = reranked
        self.candidates = candidates
        self.primaryBestTies = primaryBestTies
        self.primaryWorstTies = primaryWorstTies
        self.judged = judged
        self.ceiling = ceiling
        self.relevantInPool = relevantInPool
        self.relevantOutsidePool = relevantOutsidePool
        self.sampleStability = sampleStability
    }

    public func delta(_ name: MetricName) -> Double? {
        guard let r = reranked[name], let b = baseline[name] else { return nil }
        return r - b
    }

    /// Relevant in the pool / relevant judged; nil when nothing relevant is judged at all.
    public var poolRecall: Double? {
        guard let inside = relevantInPool, let outside = relevantOutsidePool, inside + outside > 0 else { return nil }
        return Double(inside) / Double(inside + outside)
    }

    /// True when no candidate is relevant: no reordering can raise any ranking metric.
    public var nothingToRerank: Bool { relevantInPool == 0 }

    /// The share of the available headroom the reranker took: (reranked − first stage) /
    /// (ceiling − first stage); nil (n/a) where there is no headroom.
    public func capturedShare(_ name: MetricName) -> Double? {
        Headroom.captured(baseline: baseline[name], reranked: reranked[name], ceiling: ceiling?[name])
    }
}

/// How much of the pool's ceiling a reordering reached.
public enum Headroom {
    /// Below this the ceiling equals the first stage: nothing to capture.
    static let epsilon = 1e-12

    public static func captured(baseline: Double?, reranked: Double?, ceiling: Double?) -> Double? {
        guard let baseline, let reranked, let ceiling, ceiling - baseline > epsilon else { return nil }
        return (reranked - baseline) / (ceiling - baseline)
    }
}

/// Counts of call and parse outcomes in a run.
public struct RunCounts: Sendable, Hashable, Codable {
    /// Calls planned (pairs x samples).
    public var planned = 0
    /// Calls completed with a reply.
    public var ok = 0
    /// Calls that needed at least one retry.
    public var retried = 0
    /// Calls that failed after all retries.
    public var failed = 0
    /// Replies with no usable number (scored 0.5).
    public var fallback = 0
    /// Empty or null replies (scored 0.5).
    public var empty = 0
    /// Numbers outside 0..1 that were clamped.
    public var clamped = 0
    /// Replies cut by the token limit.
    public var truncated = 0
    /// Calls not made because the run was cancelled.
    public var notRun = 0
    /// Completed calls answered from the response cache (no request made).
    public var cached = 0
    public var usage = TokenUsage()

    public init() {}
}

/// The full result of a run: settings, per-query reports, means and counts.
public struct RunReport: Sendable, Codable {
    public var settings: RunSettings
    public var promptName: String
    public var promptHash: String
    public var datasetPath: String
    public var datasetHash: String
    /// True when the provider ignores the prompt (`lexical`): not an LLM result.
    public var providerIgnoresPrompt: Bool
    public var queries: [QueryReport]
    public var baselineMean: QueryMetrics
    public var rerankedMean: QueryMetrics
    public var counts: RunCounts
    /// Why the run stopped early; nil when every call was made.
    public var stopReason: StopReason?
    /// Wall time of the calls, seconds.
    public var elapsed: Double
    /// US dollars the run spent, from the price table: calls answered from the response cache
    /// cost nothing. Nil when the model has no price.
    public var cost: Double?
    /// What every reply used would have cost had none come from the cache (equal to `cost`
    /// when none did). Nil when the model has no price, or for a report stored before it.
    public var costWithoutCache: Double?
    /// The mean of the per-query ceilings, and of pool recall over the queries with anything
    /// relevant judged. Optional: runs stored before them have none.
    public var ceilingMean: QueryMetrics?
    public var poolRecallMean: Double?

    /// Set on a report that does not hold its queries (a large run streamed them to its output
    /// and the store): how many there were. Nil when `queries` holds them all.
    public var streamed: StreamedQueries?

    /// The queries a streamed report counted without holding them.
    public struct StreamedQueries: Sendable, Hashable, Codable {
        public var queries: Int
        public var candidates: Int
        public var nothingToRerank: Int

        public init(queries: Int, candidates: Int, nothingToRerank: Int) {
            self.queries = queries
            self.candidates = candidates
            self.nothingToRerank = nothingToRerank
        }
    }

    /// Queries evaluated (held or streamed).
    public var queryCount: Int { streamed?.queries ?? queries.count }

    /// Queries whose pool holds nothing relevant.
    public var nothingToRerankCount: Int { streamed?.nothingToRerank ?? queries.filter(\.nothingToRerank).count }

    /// The share of the mean headroom the reranker captured, for one metric.
    public func capturedShare(_ name: MetricName) -> Double? {
        Headroom.captured(baseline: baselineMean[name], reranked: rerankedMean[name], ceiling: ceilingMean?[name])
    }

    /// reranked - baseline for every metric defined on both sides.
    public var deltaMean: QueryMetrics {
        var v: [MetricName: Double] = [:]
        for (name, r) in rerankedMean.values {
            if let b = baselineMean[name] { v[name] = r - b }
        }
        return QueryMetrics(values: v)
    }

    public var complete: Bool { stopReason == nil && counts.notRun == 0 }
}
