/// What a report can show beyond the metrics: the prompt's text and, for the queries that did
/// worst, every candidate with its memory text and the model's reply. The run report itself holds
/// neither (the memories live in the dataset, the replies in the run store), so the caller that
/// has them passes them in; a report without details shows the metrics only.
public struct ReportDetails: Sendable {
    public var promptText: String?
    /// Memory texts by query id, then candidate id.
    public var memories: [String: [String: String]]
    /// The first sample's reply (or `FAILED: error`) by query id, then candidate id.
    public var replies: [String: [String: String]]
    /// How many queries, worst change on the primary metric first, are shown candidate by candidate.
    public var worstQueries: Int
    /// Longest memory and reply shown, in characters (the whole text is in the JSON export).
    public var memoryLimit = 300
    public var replyLimit = 200

    public init(promptText: String? = nil, dataset: Dataset? = nil, results: [PairResult] = [], worstQueries: Int = 5) {
        self.promptText = promptText
        self.worstQueries = worstQueries
        var memories: [String: [String: String]] = [:]
        for q in dataset?.queries ?? [] {
            for c in q.candidates { memories[q.id, default: [:]][c.id] = c.text }
        }
        self.memories = memories
        var replies: [String: [String: String]] = [:]
        for r in results where r.sampleIndex == 0 {
            let shown: String
            if let reply = r.reply { shown = reply.text ?? "(null)" } else { shown = "FAILED: " + (r.error ?? "unknown error") }
            replies[r.queryID, default: [:]][r.candidateID] = shown
        }
        self.replies = replies
    }

    /// Whether there is anything to show per candidate.
    public var hasCandidates: Bool { !memories.isEmpty || !replies.isEmpty }

    /// The queries shown in full: worst delta on `metric` first.
    func worst(_ report: RunReport, metric: MetricName) -> [QueryReport] {
        guard hasCandidates, worstQueries > 0 else { return [] }
        let ordered = report.queries.enumerated().sorted { a, b in
            let da = a.element.delta(metric) ?? 0, db = b.element.delta(metric) ?? 0
            return da != db ? da < db : a.offset < b.offset
        }
        return ordered.prefix(worstQueries).map(\.element)
    }

    /// A query's candidates in reranked order (unranked ones last, in first-stage order).
    static func rankedCandidates(_ q: QueryReport) -> [CandidateOutcome] {
        q.candidates.sorted { a, b in
            switch (a.newRank, b.newRank) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.baselineRank < b.baselineRank
            }
        }
    }

    func memory(_ q: QueryReport, _ c: CandidateOutcome) -> String {
        clipped(memories[q.queryID]?[c.id] ?? "", memoryLimit)
    }

    func reply(_ q: QueryReport, _ c: CandidateOutcome) -> String {
        clipped(replies[q.queryID]?[c.id] ?? "", replyLimit)
    }

    func clipped(_ s: String, _ limit: Int) -> String {
        s.count > limit ? String(s.prefix(limit)) + "…" : s
    }
}

/// The pool's ceiling in words, named as the table output names it, for the Markdown and HTML
/// reports (which escape the text for their format).
extension ReportDetails {
    /// A captured share as a percentage; n/a where the pool left no headroom.
    static func share(_ v: Double?) -> String { v.map { ($0 * 100).formatted(decimals: 0) + "%" } ?? "n/a" }

    /// Mean pool recall, the relevant documents the first stage missed, and the queries a
    /// reranker cannot help.
    static func poolSummary(_ report: RunReport) -> String {
        let outside = report.queries.reduce(0) { $0 + ($1.relevantOutsidePool ?? 0) }
        let recall = report.poolRecallMean.map { "pool recall \($0.formatted(decimals: 4)) (relevant in the pool / relevant judged, mean)" }
            ?? "pool recall n/a (nothing judged relevant)"
        let nothing = report.nothingToRerankCount
        return "\(recall); \(outside) relevant judged outside the pools"
            + (nothing > 0 ? "; \(nothing) quer\(nothing == 1 ? "y has" : "ies have") nothing to rerank (no relevant candidate)" : "")
    }

    /// What the per-query ceiling columns mean.
    static let ceilingLegend = "ceiling: the best order of the pool; captured: the share of the headroom above the first stage that the reranker took (n/a: no headroom); pool R: relevant in the pool / relevant judged"
}
