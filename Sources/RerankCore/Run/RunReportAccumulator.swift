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
    var totals = RunReport.QueryTotals()
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
        let part = builder.queryPart(query, results: results, cached: cached)
        add(part)
        return part.report
    }

    /// A query part's metrics in the order the means take them, taken out once (`LiveReport`
    /// keeps them beside its parts and adds them every frame).
    public struct PartValues: Sendable {
        var baseline: [Double?]
        var reranked: [Double?]
        var ceiling: [Double?]
    }

    public func values(_ part: RunReportBuilder.QueryPart) -> PartValues {
        PartValues(baseline: baseline.values(part.report.baseline), reranked: reranked.values(part.report.reranked),
                   ceiling: ceiling.values(part.report.ceiling ?? QueryMetrics()))
    }

    /// Adds the next query's report, made before (`LiveReport` keeps them).
    public mutating func add(_ part: RunReportBuilder.QueryPart) { add(part, values: values(part)) }

    /// Adds the next query's report with its metrics as `values(_:)` took them out.
    public mutating func add(_ part: RunReportBuilder.QueryPart, values: PartValues) {
        add(report: part.report, counts: part.counts, calledUsage: part.calledUsage, values: values)
    }

    /// Adds the next query from a part's pieces kept apart (`LiveReport`).
    mutating func add(report: QueryReport, counts: RunCounts, calledUsage: TokenUsage, values: PartValues) {
        self.counts.add(counts)
        self.calledUsage = self.calledUsage + calledUsage
        baseline.add(values: values.baseline)
        reranked.add(values: values.reranked)
        ceiling.add(values: values.ceiling)
        if let r = report.poolRecall {
            poolRecallSum += r
            poolRecallCount += 1
        }
        queryCount += 1
        totals.add(report)
        if retainQueries { queries.append(report) }
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
        if !retainQueries { report.streamed = totals }
        return report
    }
}
