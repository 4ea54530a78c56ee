/// Where a query's report finds the results of its calls.
public protocol QueryResults {
    /// The result of the call for the query's candidate at position `candidate` and sample
    /// `sample`, and whether the response cache answered it; nil when that call was not made.
    func result(candidate: Int, sample: Int) -> (result: PairResult, cached: Bool)?
}

/// A query's results in a table keyed by pair, as most front ends hold them.
public struct KeyedQueryResults: QueryResults {
    public var query: Query
    public var results: [PairKey: PairResult]
    /// The pairs the response cache answered.
    public var cached: Set<PairKey>

    public init(query: Query, results: [PairKey: PairResult], cached: Set<PairKey>) {
        self.query = query
        self.results = results
        self.cached = cached
    }

    public func result(candidate: Int, sample: Int) -> (result: PairResult, cached: Bool)? {
        let key = PairKey(queryID: query.id, candidateID: query.candidates[candidate].id, sampleIndex: sample)
        guard let r = results[key] else { return nil }
        return (r, !cached.isEmpty && cached.contains(key))
    }
}

/// The results of a window of queries by position: the call for query `q` of the window,
/// candidate `c` and sample `s` sits at `starts[q] + c * samples + s`, the order a plan's
/// tasks come in. A cached re-run fills it by task index and looks nothing up by key (hashing
/// pairs' ids into tables was a tenth of its time).
public struct PositionalResults: Sendable {
    public let results: [PairResult?]
    public let cached: [Bool]
    /// Where each query of the window begins.
    public let starts: [Int]
    public let samples: Int

    public init(results: [PairResult?], cached: [Bool], starts: [Int], samples: Int) {
        self.results = results
        self.cached = cached
        self.starts = starts
        self.samples = samples
    }

    /// The results of the window's query at position `q`.
    public func query(_ q: Int) -> OneQuery {
        OneQuery(of: self, start: starts[q])
    }

    public struct OneQuery: QueryResults {
        let of: PositionalResults
        let start: Int

        init(of: PositionalResults, start: Int) {
            self.of = of
            self.start = start
        }

        public func result(candidate: Int, sample: Int) -> (result: PairResult, cached: Bool)? {
            let slot = start + candidate * of.samples + sample
            guard let r = of.results[slot] else { return nil }
            return (r, of.cached[slot])
        }
    }
}
