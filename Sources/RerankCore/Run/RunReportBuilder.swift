/// Builds a `RunReport` from replies alone: parsing, aggregation, ranking and metrics.
///
/// It needs no provider, so a different parser, tie policy, cutoff or top_k re-scores stored
/// replies without a single call.
public struct RunReportBuilder: Sendable {
    public var dataset: Dataset
    public var prompt: ScoringPrompt
    public var settings: RunSettings
    public var prices: PriceTable
    /// Decided by the settings' provider, so a stored report and the screen cannot disagree.
    public var providerIgnoresPrompt: Bool { ProviderCatalog.ignoresPrompt(settings.provider) }

    public init(dataset: Dataset, prompt: ScoringPrompt, settings: RunSettings, prices: PriceTable = .bundled) {
        self.dataset = dataset
        self.prompt = prompt
        self.settings = settings
        self.prices = prices
    }

    /// The report of `results`. `cached` names the calls the response cache answered: they count
    /// in `counts.cached` and cost nothing (`cost`), though `costWithoutCache` prices them.
    public func build(results: [PairResult], stopReason: StopReason? = nil, elapsed: Double = 0,
                      cached: Set<PairKey> = []) -> RunReport {
        var byKey: [PairKey: PairResult] = [:]
        for r in results { byKey[r.key] = r }
        var accumulator = RunReportAccumulator(builder: self)
        for query in dataset.queries { accumulator.add(query, results: byKey, cached: cached) }
        return accumulator.report(stopReason: stopReason, elapsed: elapsed)
    }

    /// One query's report with its calls' counts and the tokens of the calls the cache did not answer.
    public struct QueryPart: Sendable {
        public var report: QueryReport
        public var counts: RunCounts
        public var calledUsage: TokenUsage
    }

    /// A query's first-stage metrics and its pool's ceiling: no result changes them, so a live
    /// report hands back the ones it measured (`queryPart(_:results:cached:fixed:)`) instead of
    /// measuring them again for every batch that touches the query.
    public struct FixedMetrics: Sendable {
        public var baseline: QueryMetrics
        public var ceiling: QueryMetrics

        public init(baseline: QueryMetrics, ceiling: QueryMetrics) {
            self.baseline = baseline
            self.ceiling = ceiling
        }
    }

    /// One query's part of the report, from the results of its calls (looked up by key).
    /// `fixed`: the query's first-stage metrics and ceiling as measured before with this
    /// builder's settings and labels (the same numbers, not measured again).
    public func queryPart(_ query: Query, results byKey: [PairKey: PairResult], cached: Set<PairKey>,
                          fixed: FixedMetrics? = nil) -> QueryPart {
        queryPart(query, results: KeyedQueryResults(query: query, results: byKey, cached: cached), fixed: fixed)
    }

    /// One query's part of the report, its calls' results found by `results`.
    public func queryPart(_ query: Query, results: some QueryResults, fixed: FixedMetrics? = nil) -> QueryPart {
        var counts = RunCounts(), usage = TokenUsage()
        let report = queryReport(query, results: results, counts: &counts, calledUsage: &usage, fixed: fixed)
        return QueryPart(report: report, counts: counts, calledUsage: usage)
    }

    /// One query's report from the results of its calls, adding its calls to `counts` and the
    /// tokens of those not answered by the cache to `calledUsage`.
    func queryReport(_ query: Query, results: some QueryResults,
                     counts: inout RunCounts, calledUsage: inout TokenUsage, fixed: FixedMetrics? = nil) -> QueryReport {
        let parser = settings.parser.makeParser(scale: settings.scale)
        let samples = max(1, settings.samples)
        var outcomes: [CandidateOutcome] = []
        // Each candidate's score by sample index (nil: no score for that sample), for the
        // rankings the samples give one by one; and whether every call of the query was made.
        var bySample: [[Double?]] = []
        var everyCallMade = true
        outcomes.reserveCapacity(query.candidates.count)
        // Kept only for the sample stability of two or more samples (a row per pair was an
        // allocation a pair for nothing in a one-sample run).
        let keepRows = samples >= 2
        for (ci, candidate) in query.candidates.enumerated() {
            var row = keepRows ? [Double?](repeating: nil, count: samples) : []
            var values: [Double] = []
            var worst: ParseOutcome?
            var truncated = false
            var failed = false
            var error: String?
            for s in 0..<samples {
                counts.planned += 1
                guard let (r, isCached) = results.result(candidate: ci, sample: s) else {
                    counts.notRun += 1
                    everyCallMade = false
                    continue
                }
                if r.attempts > 1 { counts.retried += 1 }
                guard let reply = r.reply else {
                    counts.failed += 1
                    failed = true
                    error = r.error
                    if settings.failurePolicy == .mem0 {
                        values.append(ParsedScore.neutral)
                        if keepRows { row[s] = ParsedScore.neutral }
                    }
                    continue
                }
                counts.ok += 1
                counts.usage = counts.usage + reply.usage
                if isCached { counts.cached += 1 } else { calledUsage = calledUsage + reply.usage }
                let parsed = parser.parse(reply)
                switch parsed.outcome {
                case .fallback: counts.fallback += 1
                case .empty: counts.empty += 1
                case .clamped: counts.clamped += 1
                case .parsed: break
                }
                // The logprob parser reads the first answer token, so a reply cut by the
                // token limit (often max_tokens 1 on purpose) lost nothing it uses.
                if reply.wasTruncated, settings.parser != .logprob {
                    counts.truncated += 1
                    truncated = true
                }
                worst = Self.moreSevere(worst, parsed.outcome)
                values.append(parsed.value)
                if keepRows { row[s] = parsed.value }
            }
            if keepRows { bySample.append(row) }
            let score = Self.aggregate(values, settings.aggregate)
            let spread = values.count > 1 ? (values.max()! - values.min()!) : nil
            outcomes.append(CandidateOutcome(id: candidate.id, label: candidate.relevance, baselineRank: ci + 1, newRank: nil,
                                             score: score, spread: spread, sampleScores: values,
                                             firstStageScore: candidate.firstStageScore, outcome: worst,
                                             truncated: truncated, failed: failed, error: error))
        }
        var report = evaluate(query: query, outcomes: outcomes, fixed: fixed)
        // A query the run did not finish would count first-stage order as a sample's ranking.
        if samples >= 2, everyCallMade {
            report.sampleStability = sampleStability(query: query, scores: bySample)
        }
        return report
    }

    /// One query as its report of no results lists it, without the metrics (measuring them is
    /// what takes time on a large file): its candidates in the order, ranks and cut that report
    /// gives them, and its pool's counts. A front end lists a file's queries with this while the
    /// report is measured, and shows none of the metrics until it is.
    public func unmeasuredReport(_ query: Query) -> QueryReport {
        let cut = settings.topK.flatMap { $0 > 0 ? $0 : nil } ?? query.candidates.count
        // No score: `Ranker.order` keeps first-stage order, as `evaluate` ranks an unrun query.
        let candidates = query.candidates.enumerated().map { i, candidate in
            CandidateOutcome(id: candidate.id, label: candidate.relevance, baselineRank: i + 1, newRank: i < cut ? i + 1 : nil,
                             score: nil, spread: nil, sampleScores: [], firstStageScore: candidate.firstStageScore, outcome: nil,
                             truncated: false, failed: false, error: nil)
        }
        let threshold = settings.metrics.relevanceThreshold
        return QueryReport(queryID: query.id, query: query.text, baseline: QueryMetrics(values: [:]), reranked: QueryMetrics(values: [:]),
                           candidates: candidates, primaryBestTies: 0, primaryWorstTies: 0, judged: query.hasJudgments, ceiling: nil,
                           relevantInPool: query.candidates.filter { ($0.relevance ?? -1) >= threshold }.count,
                           relevantOutsidePool: query.relevantOutsidePool(threshold: threshold))
    }

    /// Ranks one query's scored candidates and computes both orders' metrics.
    func evaluate(query: Query, outcomes: [CandidateOutcome], fixed: FixedMetrics? = nil) -> QueryReport {
        let metricSettings = settings.metrics
        let judged = query.judgedLabels(metricSettings.judged)
        let cut = settings.topK.flatMap { $0 > 0 ? $0 : nil } ?? query.candidates.count
        // Baseline: first-stage order, cut the same way so both lists have the same length.
        let baselineLabels = query.candidates.prefix(cut).map(\.relevance)
        let n = query.candidates.count
        let firstStage: [Double] = query.candidates.allSatisfy({ $0.firstStageScore != nil })
            ? query.candidates.map { $0.firstStageScore! }
            : (0..<n).map { Double(n - $0) }
        let judgedIdx = query.candidates.indices.filter { query.candidates[$0].relevance != nil }
        let baseline = fixed?.baseline ?? QueryMetrics.compute(ranked: baselineLabels, judged: judged,
                                                               scores: judgedIdx.map { firstStage[$0] },
                                                               scoredLabels: judgedIdx.map { query.candidates[$0].relevance! },
                                                               settings: metricSettings)
        let scores = outcomes.map(\.score)
        let order = Ranker.order(ids: query.candidates.map(\.id), scores: scores, policy: settings.ties)
        var ranked = outcomes
        for (rank, index) in order.enumerated() {
            ranked[index].newRank = rank < cut ? rank + 1 : nil
        }
        let rerankedLabels = order.prefix(cut).map { query.candidates[$0].relevance }
        let agreeIdx = judgedIdx.filter { scores[$0] != nil }
        let reranked = QueryMetrics.compute(ranked: rerankedLabels, judged: judged,
                                            scores: agreeIdx.map { scores[$0]! },
                                            scoredLabels: agreeIdx.map { query.candidates[$0].relevance! },
                                            settings: metricSettings)
        let (best, worst) = tieBounds(query: query, scores: scores, cut: cut, judged: judged)
        let threshold = metricSettings.relevanceThreshold
        return QueryReport(queryID: query.id, query: query.text, baseline: baseline, reranked: reranked,
                           candidates: order.map { ranked[$0] }, primaryBestTies: best, primaryWorstTies: worst,
                           judged: query.hasJudgments, ceiling: fixed?.ceiling ?? ceiling(query: query, cut: cut, judged: judged),
                           relevantInPool: query.candidates.filter { ($0.relevance ?? -1) >= threshold }.count,
                           relevantOutsidePool: query.relevantOutsidePool(threshold: threshold))
    }

    /// The ranking each sample's scores give on their own, compared sample with sample: ranked,
    /// cut and measured exactly as the aggregate ranking is in `evaluate`.
    func sampleStability(query: Query, scores: [[Double?]]) -> QuerySampleStability {
        let judged = query.judgedLabels(settings.metrics.judged)
        let cut = settings.topK.flatMap { $0 > 0 ? $0 : nil } ?? query.candidates.count
        let ids = query.candidates.map(\.id)
        let judgedIdx = query.candidates.indices.filter { query.candidates[$0].relevance != nil }
        return QuerySampleStability.measure(scores: scores, samples: max(1, settings.samples)) { sample in
            let order = Ranker.order(ids: ids, scores: sample, policy: settings.ties)
            let agreeIdx = judgedIdx.filter { sample[$0] != nil }
            return QueryMetrics.compute(ranked: order.prefix(cut).map { query.candidates[$0].relevance }, judged: judged,
                                        scores: agreeIdx.map { sample[$0]! },
                                        scoredLabels: agreeIdx.map { query.candidates[$0].relevance! },
                                        settings: settings.metrics)
        }
    }

    /// The pool's ceiling: the ranking metrics of the candidates ordered by label, best first,
    /// cut to top_k. That one order maximises every ranking metric at once (relevance for the
    /// binary ones is "label at or above the threshold", so it puts every relevant candidate
    /// first, and the highest gains first for NDCG).
    func ceiling(query: Query, cut: Int, judged: [Int]) -> QueryMetrics {
        let ideal = query.candidates.map(\.relevance).sorted { ($0 ?? -1) > ($1 ?? -1) }
        let all = QueryMetrics.compute(ranked: Array(ideal.prefix(cut)), judged: judged, scores: [], scoredLabels: [], settings: settings.metrics)
        return QueryMetrics(values: all.values.filter { !$0.key.isAgreement })
    }

    /// NDCG at the primary cutoff when tied scores are ordered best-first and worst-first by label.
    ///
    /// Both orders put the candidates by score, best first (a failed pair's nil as -inf), and
    /// differ only inside a run of equal scores: there the best labels go first or the worst
    /// (unjudged as 0), in first-stage order among equal labels. So the candidates are sorted by
    /// score once and each tie run's labels are put in order twice, not the whole list sorted
    /// twice with labels in the comparison (a seventh of a cached re-run's report).
    func tieBounds(query: Query, scores: [Double?], cut: Int, judged: [Int]) -> (Double, Double) {
        let k: Int? = {
            if case let .ndcgAt(k) = settings.metrics.primaryMetric { return k }
            return nil
        }()
        let keys = scores.map { $0 ?? -.infinity }
        let byScore = keys.indices.sorted { a, b in keys[a] != keys[b] ? keys[a] > keys[b] : a < b }
        var best: [Int?] = [], worst: [Int?] = []
        best.reserveCapacity(byScore.count)
        worst.reserveCapacity(byScore.count)
        var start = 0
        while start < byScore.count, start < cut {
            var end = start + 1
            while end < byScore.count, keys[byScore[end]] == keys[byScore[start]] { end += 1 }
            if end - start == 1 {
                let label = query.candidates[byScore[start]].relevance
                best.append(label)
                worst.append(label)
            } else {
                let run = byScore[start..<end].map { query.candidates[$0].relevance }
                best += RankingMetrics.stableByLabel(run, descending: true)
                worst += RankingMetrics.stableByLabel(run, descending: false)
            }
            start = end
        }
        let ideal = RankingMetrics.ideal(judged), gain = settings.metrics.gain
        return (RankingMetrics.ndcg(Array(best.prefix(cut)), ideal: ideal, k: k, gain: gain),
                RankingMetrics.ndcg(Array(worst.prefix(cut)), ideal: ideal, k: k, gain: gain))
    }

    static func moreSevere(_ a: ParseOutcome?, _ b: ParseOutcome) -> ParseOutcome {
        func rank(_ o: ParseOutcome) -> Int {
            switch o {
            case .parsed: return 0
            case .clamped: return 1
            case .fallback: return 2
            case .empty: return 3
            }
        }
        guard let a else { return b }
        return rank(a) >= rank(b) ? a : b
    }

    static func aggregate(_ values: [Double], _ how: SampleAggregate) -> Double? {
        guard !values.isEmpty else { return nil }
        switch how {
        case .mean:
            return values.reduce(0, +) / Double(values.count)
        case .median:
            let s = values.sorted()
            let m = s.count / 2
            return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
        }
    }
}
