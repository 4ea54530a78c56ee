import Foundation

/// The failures a proposer is shown: the dev queries where the current prompt loses most
/// against the labels, and within each the most misranked pairs (a more relevant memory ranked
/// below a less relevant one). Chosen from a dev report only, so test queries never reach it.
public struct FailureExamples: Sendable, Equatable {
    /// One memory of a misranked pair, as the proposer sees it.
    public struct Memory: Sendable, Equatable {
        public var text: String
        public var label: Int
        public var score: Double?
        public var rank: Int
    }

    /// A more relevant memory ranked below a less relevant one.
    public struct Pair: Sendable, Equatable {
        public var relevant: Memory
        public var ranked: Memory
    }

    public struct Failure: Sendable, Equatable {
        public var queryID: String
        public var query: String
        /// The query's primary metric under the prompt, and the best any order reaches.
        public var value: Double
        public var ceiling: Double
        public var pairs: [Pair]
    }

    public var failures: [Failure]

    /// Picks `queries` failures (each with up to `pairs` pairs) from `report` over `dataset`.
    /// The queries losing most are taken, with a seeded choice among the worst twice as many, so
    /// the K proposals of a round see different failures and the same seed sees the same ones.
    public init(report: RunReport, dataset: Dataset, metric: MetricName, queries: Int, pairs: Int, seed: UInt64) {
        let byID = Dictionary(dataset.queries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var losing: [(QueryReport, Query, Double, Double)] = []
        for q in report.queries {
            guard q.judged, let query = byID[q.queryID], let value = q.reranked[metric] else { continue }
            let ceiling = q.ceiling?[metric] ?? 1
            if ceiling - value > 1e-9 { losing.append((q, query, value, ceiling)) }
        }
        // Largest loss first; the query id settles ties so the order never depends on the report's.
        losing.sort { a, b in
            let la = a.3 - a.2, lb = b.3 - b.2
            return la != lb ? la > lb : a.0.queryID < b.0.queryID
        }
        var pool = Array(losing.prefix(max(0, queries) * 2))
        var rng = SeededRandom(seed: seed)
        if pool.count > 1 {
            for i in stride(from: pool.count - 1, to: 0, by: -1) { pool.swapAt(i, rng.next(below: i + 1)) }
        }
        let chosen = pool.prefix(max(0, queries)).sorted { a, b in
            let la = a.3 - a.2, lb = b.3 - b.2
            return la != lb ? la > lb : a.0.queryID < b.0.queryID
        }
        failures = chosen.map { q, query, value, ceiling in
            Failure(queryID: q.queryID, query: query.text, value: value, ceiling: ceiling,
                    pairs: Self.misranked(q, query: query, limit: pairs))
        }
    }

    /// Pairs where the more relevant memory ranks lower, worst first: label gap times rank gap.
    static func misranked(_ q: QueryReport, query: Query, limit: Int) -> [Pair] {
        let texts = Dictionary(query.candidates.map { ($0.id, $0.text) }, uniquingKeysWith: { a, _ in a })
        let ranked = q.candidates.enumerated().compactMap { i, c -> Memory? in
            guard let label = c.label, let text = texts[c.id] else { return nil }
            return Memory(text: text, label: label, score: c.score, rank: c.newRank ?? (i + 1))
        }
        var pairs: [(Pair, Int)] = []
        for a in ranked {
            for b in ranked where a.label > b.label && a.rank > b.rank {
                pairs.append((Pair(relevant: a, ranked: b), (a.label - b.label) * (a.rank - b.rank)))
            }
        }
        pairs.sort { x, y in
            if x.1 != y.1 { return x.1 > y.1 }
            if x.0.relevant.rank != y.0.relevant.rank { return x.0.relevant.rank < y.0.relevant.rank }
            return x.0.ranked.rank < y.0.ranked.rank
        }
        return pairs.prefix(max(0, limit)).map(\.0)
    }
}
