/// What a reranker's scores mean as numbers: how often a memory with a given score is relevant
/// (the reliability table), and what a score threshold would keep (the threshold table).
///
/// mem0's users filter memories by reranker score, so a ranking can be good while its scores
/// are useless as a cut: every score may sit between 0.6 and 0.7. NDCG cannot show that; these
/// tables do.
///
/// Only candidates with a score the model gave and a label count: a failed call, a reply with
/// no number or an empty one scores 0.5 by policy, not by the model's judgment, and would pile
/// up in the 0.5 bin; an unjudged candidate has nothing to calibrate against. Both are counted
/// and said to be left out. The threshold applies to every such candidate of the pool, before
/// any top_k cut: it is what a threshold instead of (or before) top_k would keep.
public struct ScoreCalibration: Sendable, Hashable {
    /// One candidate that counts: its score and its label.
    public struct Pair: Sendable, Hashable {
        public var queryID: String
        public var score: Double
        public var label: Int

        public init(queryID: String, score: Double, label: Int) {
            self.queryID = queryID
            self.score = score
            self.label = label
        }
    }

    /// One row of the reliability table: the pairs whose score falls in [lower, upper), the
    /// last bin closed so that a score of exactly 1 has a home.
    public struct Bin: Sendable, Hashable {
        public var lower: Double
        public var upper: Double
        public var pairs: Int
        /// Nil when the bin is empty.
        public var meanScore: Double?
        public var meanLabel: Double?
        public var shareRelevant: Double?
    }

    /// One row of the threshold table: keep every pair with score >= `cut`.
    public struct Cut: Sendable, Hashable {
        public var cut: Double
        public var kept: Int
        public var relevantKept: Int
        /// Kept pairs over the queries that have any pair.
        public var keptPerQuery: Double
        /// Relevant kept / kept, pooled over all queries (micro); nil when nothing is kept.
        public var precision: Double?
        /// Relevant kept / relevant pairs, pooled over all queries (micro), against the pool:
        /// relevant documents judged outside the candidates are not counted, since no
        /// threshold can keep them. Nil when no pair is relevant.
        public var recall: Double?
    }

    /// What a suggested cut is asked to reach.
    public enum Target: Sendable, Hashable {
        case precision(Double)
        case recall(Double)

        public var value: Double {
            switch self {
            case let .precision(v), let .recall(v): return v
            }
        }

        public var metricName: String {
            switch self {
            case .precision: return "precision"
            case .recall: return "recall"
            }
        }

        /// The rule a suggestion follows, in words for every output.
        public var rule: String {
            switch self {
            case .precision: return "the lowest cut (0.01 steps) whose precision reaches the target, so recall stays highest"
            case .recall: return "the highest cut (0.01 steps) whose recall reaches the target, so the fewest memories are kept"
            }
        }
    }

    /// A label >= this is relevant: the metrics' own threshold (`MetricSettings`).
    public var relevanceThreshold: Int
    /// The pairs that count, in report order.
    public var pairs: [Pair]
    /// Candidates left out because they have no score from the model: a failed call, a reply
    /// with no number or an empty one (all scored 0.5 by policy), or a call not made.
    public var unscored: Int
    /// Candidates with a score but no label.
    public var unjudged: Int
    /// Relevant documents judged outside the pool, summed over queries: recall here ignores them.
    public var relevantOutsidePool: Int

    public init(relevanceThreshold: Int, pairs: [Pair], unscored: Int = 0, unjudged: Int = 0, relevantOutsidePool: Int = 0) {
        self.relevanceThreshold = relevanceThreshold
        self.pairs = pairs
        self.unscored = unscored
        self.unjudged = unjudged
        self.relevantOutsidePool = relevantOutsidePool
    }

    /// The calibration of a report's scores, under the report's own relevance threshold.
    public init(_ report: RunReport) {
        var pairs: [Pair] = []
        var unscored = 0, unjudged = 0, outside = 0
        for q in report.queries {
            outside += q.relevantOutsidePool ?? 0
            for c in q.candidates {
                guard let score = c.score, Self.scoredByModel(c) else {
                    unscored += 1
                    continue
                }
                guard let label = c.label else {
                    unjudged += 1
                    continue
                }
                pairs.append(Pair(queryID: q.queryID, score: score, label: label))
            }
        }
        self.init(relevanceThreshold: report.settings.metrics.relevanceThreshold, pairs: pairs,
                  unscored: unscored, unjudged: unjudged, relevantOutsidePool: outside)
    }

    /// Whether every sample of a candidate was the model's own number: no failed call and no
    /// 0.5 stand-in for a reply without one (clamped numbers are the model's, so they count).
    static func scoredByModel(_ c: CandidateOutcome) -> Bool {
        guard !c.failed, let outcome = c.outcome else { return false }
        return outcome == .parsed || outcome == .clamped
    }

    /// The queries with at least one pair: the "per query" of kept per query.
    public var queryCount: Int { Set(pairs.map(\.queryID)).count }

    public var relevantCount: Int { pairs.filter { $0.label >= relevanceThreshold }.count }

    /// The ten bins 0.0–0.1 … 0.9–1.0.
    public var bins: [Bin] {
        var members = [[Pair]](repeating: [], count: 10)
        for p in pairs { members[Self.binIndex(p.score)].append(p) }
        return members.enumerated().map { i, ps in
            let n = Double(ps.count)
            return Bin(lower: Double(i) / 10, upper: Double(i + 1) / 10, pairs: ps.count,
                       meanScore: ps.isEmpty ? nil : ps.reduce(0) { $0 + $1.score } / n,
                       meanLabel: ps.isEmpty ? nil : ps.reduce(0) { $0 + Double($1.label) } / n,
                       shareRelevant: ps.isEmpty ? nil : Double(ps.filter { $0.label >= relevanceThreshold }.count) / n)
        }
    }

    /// The bin of a score. Compared with the edges i/10 rather than computed as
    /// Int(score * 10), because 0.7 * 10 is not exactly 7 in binary floating point and a score
    /// on an edge must land in the bin that starts there.
    public static func binIndex(_ score: Double) -> Int {
        (1...9).filter { score >= Double($0) / 10 }.count
    }

    /// The threshold table's cuts: 0.1, 0.2 … 0.9.
    public var cuts: [Cut] { cuts(at: (1...9).map { Double($0) / 10 }) }

    /// What keeping every pair with score >= `threshold` keeps.
    public func cut(at threshold: Double) -> Cut { cuts(at: [threshold])[0] }

    /// Several cuts, counting the relevant pairs and the queries once: the workbench redraws
    /// the view on every tick of a run, and a suggestion tries 101 cuts.
    func cuts(at thresholds: [Double]) -> [Cut] {
        let relevant = relevantCount
        let queries = queryCount
        return thresholds.map { cut(at: $0, relevant: relevant, queries: queries) }
    }

    func cut(at threshold: Double, relevant: Int, queries: Int) -> Cut {
        let kept = pairs.filter { $0.score >= threshold }
        let relevantKept = kept.filter { $0.label >= relevanceThreshold }.count
        return Cut(cut: threshold, kept: kept.count, relevantKept: relevantKept,
                   keptPerQuery: queries == 0 ? 0 : Double(kept.count) / Double(queries),
                   precision: kept.isEmpty ? nil : Double(relevantKept) / Double(kept.count),
                   recall: relevant == 0 ? nil : Double(relevantKept) / Double(relevant))
    }

    /// The cut a target asks for, or nil when no cut from 0.00 to 1.00 reaches it.
    ///
    /// Precision is not monotonic in the cut (a higher cut can drop a relevant pair first), so
    /// every step is tried rather than searching; recall only falls as the cut rises, so for
    /// recall the highest step that reaches it is the one that keeps the least.
    public func suggestedCut(for target: Target) -> Cut? {
        // Precision and recall are ratios of counts, so a share that equals the target in exact
        // arithmetic may come out a rounding error below it (0.7 vs 7/10 is exact, but not
        // every share is); the tolerance keeps "reaches" meaning what it says.
        let tolerance = 1e-9
        let steps = cuts(at: (0...100).map { Double($0) / 100 })
        switch target {
        case let .precision(goal):
            return steps.first { ($0.precision ?? -1) >= goal - tolerance }
        case let .recall(goal):
            return steps.last { ($0.recall ?? -1) >= goal - tolerance }
        }
    }
}
