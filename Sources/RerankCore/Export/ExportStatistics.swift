/// The statistics that travel with an exported prompt card or report, so that a number read
/// later, away from the tool, says how far it can be trusted: which queries it came from (the
/// split), how often the held-out test split had been evaluated before, the multiple-comparison
/// correction of the comparison behind it, the smallest difference its queries can detect, and,
/// with repeated samples, how stable its ranking was between calls.
public struct ExportStatistics: Sendable {
    /// The side of the dataset's split the run evaluated; nil for a file without a split.
    public var split: SplitSelection?
    /// The store's count of evaluations of this dataset's test split, when the run covers test
    /// queries and the caller knows it (nil otherwise).
    public var testLooks: Int?
    /// The comparison whose correction and detectable effect are stated; nil when the run has no
    /// query with the metric on both sides.
    public var comparison: PairedComparison?
    /// What `comparison` compares, in words ("reranked vs first-stage order").
    public var comparedWhat: String
    /// With two or more samples per pair: the stability of the ranking between samples.
    public var stability: SampleStability?
    /// Queries the run evaluated.
    public var queries: Int

    /// What `comparedWhat` says when no other comparison is given.
    public static let firstStageWords = "reranked vs first-stage order"

    /// The statistics of `report` on its primary metric. Without a `comparison`, the one every
    /// run makes on its own is used: its reranked order against its first-stage order, over the
    /// queries where both have the metric (one comparison, so no correction applies).
    public init(report: RunReport, testLooks: Int? = nil, comparison: PairedComparison? = nil, comparedWhat: String? = nil) {
        let metric = report.settings.metrics.primaryMetric
        split = report.settings.split
        // A look count means something only for a report that shows test numbers.
        self.testLooks = TestLook.includesTest(split) ? testLooks : nil
        self.comparison = comparison ?? Self.firstStageComparison(report, metric: metric)
        self.comparedWhat = comparison == nil ? Self.firstStageWords : (comparedWhat ?? "the compared runs")
        stability = SampleStability.of(report, metric: metric)
        queries = report.queries.count
    }

    /// The run's reranked order against its first-stage order on `metric`, paired by query.
    public static func firstStageComparison(_ report: RunReport, metric: MetricName) -> PairedComparison? {
        let paired = report.queries.compactMap { q in q.baseline[metric].flatMap { b in q.reranked[metric].map { (q.queryID, b, $0) } } }
        guard !paired.isEmpty else { return nil }
        return PairedComparison(metric: metric, queryIDs: paired.map(\.0), a: paired.map(\.1), b: paired.map(\.2))
    }

    /// "dev split, 36 queries evaluated", or that the file has none.
    public var splitText: String {
        guard let split else { return "none: the dataset has no dev/test split; \(queries) queries evaluated" }
        return "\(split.description), \(queries) queries evaluated"
    }

    /// The look count with what it means; nil when the run shows no test numbers.
    public var testLooksText: String? {
        guard TestLook.includesTest(split) else { return nil }
        guard let testLooks else { return "not counted: this export was made without the run store's count of test looks" }
        return TestLook.warning(count: testLooks) ?? "\(testLooks) (the first look at the test split: a clean estimate)"
    }

    /// "Holm over 4 comparisons (reranked vs first-stage order)", or "none: one comparison (...)".
    public var correctionText: String {
        guard let c = comparison else { return "none: no comparison (no query has the metric in both orders)" }
        guard c.isCorrected else { return "none: one comparison (\(comparedWhat)); its p-value is raw" }
        return "\(c.correction.displayName) over \(c.familySize) comparisons (\(comparedWhat)); adjusted \(c.pDescription)"
    }

    /// "0.0421 on NDCG@10 at 80% power, alpha 0.05, with 36 queries (...)", or why there is none.
    public var detectableText: String {
        guard let c = comparison else { return "n/a: no comparison" }
        let conditions = "at \(Int((c.power * 100).rounded()))% power, alpha \(c.alpha.formatted(decimals: 3)), with \(c.deltas.count) queries"
        guard let mde = c.minimumDetectableEffect else {
            return "n/a \(conditions): needs at least 2 queries whose differences are not all equal (\(comparedWhat))"
        }
        return "\(mde.formatted(decimals: 4)) on \(c.metric.heading) \(conditions) (paired t approximation over the per-query differences, \(comparedWhat))"
    }

    /// The sample stability in words; nil for a run of one sample.
    public var stabilityText: String? {
        stability.map { "\($0.samples) samples per pair: \($0.summary)" }
    }
}
