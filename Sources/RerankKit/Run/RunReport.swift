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

    public func delta(_ name: MetricName) -> Double? {
        guard let r = reranked[name], let b = baseline[name] else { return nil }
        return r - b
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
    /// US dollars spent, from the price table; nil when the model has no price.
    public var cost: Double?

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
