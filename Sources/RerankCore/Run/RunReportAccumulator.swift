/// A run's report built a query at a time: counts, tokens and the means as running sums.
///
/// `RunReportBuilder.build` feeds it every query at once; a large run feeds it a window of
/// queries at a time and lets each window's results go (issue 16). Both give the same report.
public struct RunReportAccumulator: Sendable {
    public let builder: RunReportBuilder
    /// Keep every query's report in the final report (false: only the means and counts; the
    /// per-query reports went to their writer as they were made).
    public let retainQueries: Bool
    var counts = RunCounts()
    var calledUsage = TokenUsage()
    var baseline: MetricMeans.Running
    var reranked: MetricMeans.Running
    var ceiling: MetricMeans.Running
    var poolRecallSum = 0.0
    var poolRecallCount = 0
    var queries: [QueryReport] = []
    var candidates = 0
    var nothingToRerank = 0
    /// Queries added so far.
    public private(set) var queryCount = 0

    public init(builder: RunReportBuilder, retainQueries: Bool = true) {
        self.builder = builder
        self.retainQueries = retainQueries
        let names = builder.settings.metrics.metricNames
        baseline = MetricMeans.Running(names: names)
        reranked = MetricMeans.Running(names: names)
        ceiling = MetricMeans.Running(names: builder.settings.metrics.rankingMetricNames)
    }

    /// Adds the next query in dataset order (its calls' results looked up by key) and returns its report.
    @discardableResult
    public mutating func add(_ query: Query, results: [PairKey: PairResult], cached: Set<PairKey>) -> QueryReport {
        let report = builder.queryReport(query, results: results, cached: cached, counts: &counts, calledUsage: &calledUsage)
        baseline.add(report.baseline)
        reranked.add(report.reranked)
        ceiling.add(report.ceiling ?? QueryMetrics())
        if let r = report.poolRecall {
            poolRecallSum += r
            poolRecallCount += 1
        }
        queryCount += 1
        candidates += report.candidates.count
        if report.nothingToRerank { nothingToRerank += 1 }
        if retainQueries { queries.append(report) }
        return report
    }

    /// The report of every query added.
    public func report(stopReason: StopReason?, elapsed: Double) -> RunReport {
        let settings = builder.settings
        let price = builder.prices.price(provider: settings.provider, model: settings.model)
        var report = RunReport(settings: settings, promptName: builder.prompt.name, promptHash: builder.prompt.textHash,
                         datasetPath: builder.dataset.path, datasetHash: builder.dataset.contentHash,
                         providerIgnoresPrompt: builder.providerIgnoresPrompt, queries: queries,
                         baselineMean: baseline.mean, rerankedMean: reranked.mean,
                         counts: counts, stopReason: stopReason, elapsed: elapsed,
                         cost: price?.cost(calledUsage), costWithoutCache: price?.cost(counts.usage),
                         ceilingMean: ceiling.mean,
                         poolRecallMean: poolRecallCount > 0 ? poolRecallSum / Double(poolRecallCount) : nil)
        if !retainQueries { report.streamed = .init(queries: queryCount, candidates: candidates, nothingToRerank: nothingToRerank) }
        return report
    }
}
