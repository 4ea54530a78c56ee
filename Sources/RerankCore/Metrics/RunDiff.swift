/// Two runs side by side, query by query: which queries moved on a metric, and for each, where
/// every memory ranked and what it scored in A and in B. The workbench's Diff view and
/// `rerank-eval compare --per-query` show the same values from here.
public struct RunDiff: Sendable, Equatable {
    /// One memory of a query in both runs.
    public struct Row: Sendable, Equatable {
        public var candidateID: String
        public var label: Int?
        /// 1-based ranks; nil when cut by top_k (or absent from that run's pool).
        public var rankA: Int?
        public var rankB: Int?
        public var scoreA: Double?
        public var scoreB: Double?

        /// Places moved from A to B (positive: up); nil when either side has no rank.
        public var move: Int? {
            guard let a = rankA, let b = rankB else { return nil }
            return a - b
        }

        /// "↑3", "↓1", "=", "new" (ranked in B only), "cut" (ranked in A only), "" (neither).
        public var moveMark: String {
            switch (rankA, rankB) {
            case let (a?, b?): return a == b ? "=" : (a > b ? "↑\(a - b)" : "↓\(b - a)")
            case (nil, _?): return "new"
            case (_?, nil): return "cut"
            case (nil, nil): return ""
            }
        }
    }

    /// One query: the metric in A and B and the memories in B's order (then A-only ones).
    public struct Query: Sendable, Equatable {
        public var queryID: String
        public var query: String
        public var a: Double
        public var b: Double
        public var delta: Double { b - a }
        public var rows: [Row]
    }

    public var metric: MetricName
    /// Sorted by delta, largest loss first (ties by query id, so the order is stable).
    public var queries: [Query]

    /// The queries both reports have with `metric` in both, sorted by change. Pass reports
    /// restricted to the queries both runs completed (`RunComparability.completedInBoth`), so a
    /// query one run never finished does not show a first-stage order as a reranked one.
    public init(_ a: RunReport, _ b: RunReport, metric: MetricName) {
        self.metric = metric
        let byID = Dictionary(a.queries.map { ($0.queryID, $0) }, uniquingKeysWith: { x, _ in x })
        var list: [Query] = []
        for qb in b.queries {
            guard let qa = byID[qb.queryID], let va = qa.reranked[metric], let vb = qb.reranked[metric] else { continue }
            let inA = Dictionary(qa.candidates.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
            var rows = qb.candidates.map { c in
                Row(candidateID: c.id, label: c.label ?? inA[c.id]?.label, rankA: inA[c.id]?.newRank, rankB: c.newRank,
                    scoreA: inA[c.id]?.score, scoreB: c.score)
            }
            let inB = Set(qb.candidates.map(\.id))
            for c in qa.candidates where !inB.contains(c.id) {
                rows.append(Row(candidateID: c.id, label: c.label, rankA: c.newRank, rankB: nil, scoreA: c.score, scoreB: nil))
            }
            list.append(Query(queryID: qb.queryID, query: qb.query, a: va, b: vb, rows: rows))
        }
        queries = list.sorted { ($0.delta, $0.queryID) < ($1.delta, $1.queryID) }
    }

    /// The queries that got worse (by more than rounding noise).
    public var worse: [Query] { queries.filter { $0.delta < -1e-9 } }
}
