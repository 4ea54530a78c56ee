/// The metric values of one ranked list; an absent key means undefined for this query.
public struct QueryMetrics: Sendable, Hashable, Codable {
    public var values: [MetricName: Double]

    public init(values: [MetricName: Double] = [:]) {
        self.values = values
    }

    public subscript(_ name: MetricName) -> Double? { values[name] }

    public init(from decoder: any Decoder) throws {
        let raw = try [String: Double].init(from: decoder)
        var values: [MetricName: Double] = [:]
        for (k, v) in raw {
            if let name = MetricName(k) { values[name] = v }
        }
        self.values = values
    }

    public func encode(to encoder: any Encoder) throws {
        var raw: [String: Double] = [:]
        for (k, v) in values { raw[k.description] = v }
        try raw.encode(to: encoder)
    }

    /// Computes every metric in `settings` for one query.
    /// - Parameters:
    ///   - ranked: labels of the evaluated list in rank order (after any top_k cut), nil = unjudged.
    ///   - judged: every judged label of the query (defines IDCG and R).
    ///   - scores: scores of the judged candidates, paired with `scoredLabels`, for agreement.
    public static func compute(ranked: [Int?], judged: [Int], scores: [Double], scoredLabels: [Int], settings: MetricSettings) -> QueryMetrics {
        var v: [MetricName: Double] = [:]
        let t = settings.relevanceThreshold
        // The ideal list and R once for every metric: three computes a query, a million pairs.
        let ideal = RankingMetrics.ideal(judged)
        let r = RankingMetrics.relevantCount(judged: judged, threshold: t)
        for k in settings.cutoffs {
            v[.ndcgAt(k)] = RankingMetrics.ndcg(ranked, ideal: ideal, k: k, gain: settings.gain)
            v[.precisionAt(k)] = RankingMetrics.precision(ranked, k: k, threshold: t)
            v[.recallAt(k)] = RankingMetrics.recall(ranked, relevant: r, k: k, threshold: t)
        }
        v[.ndcg] = RankingMetrics.ndcg(ranked, ideal: ideal, k: nil, gain: settings.gain)
        v[.map] = RankingMetrics.averagePrecision(ranked, relevant: r, threshold: t)
        v[.mrr] = RankingMetrics.reciprocalRank(ranked, threshold: t)
        let labels = scoredLabels.map(Double.init)
        v[.kendallTau] = ScoreAgreement.kendallTauB(scores, labels)
        v[.spearman] = ScoreAgreement.spearman(scores, labels)
        v[.pearson] = ScoreAgreement.pearson(scores, labels)
        return QueryMetrics(values: v)
    }
}

extension MetricName: Codable {
    public init(from decoder: any Decoder) throws {
        let s = try String(from: decoder)
        guard let name = MetricName(s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown metric \(s)"))
        }
        self = name
    }

    public func encode(to encoder: any Encoder) throws {
        try description.encode(to: encoder)
    }
}

/// Means of per-query metrics: plain arithmetic means over all queries for ranking metrics,
/// and over the queries where they are defined for agreement metrics.
public enum MetricMeans {
    public static func mean(_ perQuery: [QueryMetrics], names: [MetricName]) -> QueryMetrics {
        var running = Running(names: names)
        for q in perQuery { running.add(q) }
        return running.mean
    }

    /// The same means kept as running sums, a query at a time, for a run that does not hold
    /// its queries (issue 16). Sums in query order, as `mean` does, so both give the same bits.
    public struct Running: Sendable {
        let names: [MetricName]
        /// Each name's sum: the first position of its name, so a name listed twice adds twice
        /// to one sum, as sums kept by name would.
        let slots: [Int]
        var sums: [Double]
        var defined: [Int]
        public private(set) var queries = 0

        public init(names: [MetricName]) {
            self.names = names
            slots = names.indices.map { i in names.firstIndex(of: names[i])! }
            sums = Array(repeating: 0, count: names.count)
            defined = Array(repeating: 0, count: names.count)
        }

        /// A query's metrics in this mean's order of names, as `add(values:)` takes them. The
        /// workbench's live report takes them out once per query and sums them every frame: a
        /// lookup by name per metric and query made a frame of a large run slow (issue 16).
        public func values(_ q: QueryMetrics) -> [Double?] { names.map { q[$0] } }

        public mutating func add(_ q: QueryMetrics) { add(values: values(q)) }

        /// Adds a query's metrics given in the order of `values(_:)`.
        public mutating func add(values: [Double?]) {
            queries += 1
            for (i, v) in values.enumerated() {
                guard let v else { continue }
                sums[slots[i]] += v
                defined[slots[i]] += 1
            }
        }

        public var mean: QueryMetrics {
            var v: [MetricName: Double] = [:]
            for (i, name) in names.enumerated() {
                let n = defined[slots[i]]
                if name.isAgreement {
                    if n > 0 { v[name] = sums[slots[i]] / Double(n) }
                } else if queries > 0 {
                    v[name] = sums[slots[i]] / Double(queries)
                }
            }
            return QueryMetrics(values: v)
        }
    }
}
