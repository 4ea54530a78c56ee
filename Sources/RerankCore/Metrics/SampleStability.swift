/// How stable a run's ranking is between its repeated samples (`--samples k`, k ≥ 2), over its
/// queries: what the report shows next to the samples, and what a comparison weighs a difference
/// against before calling it "better".
public struct SampleStability: Sendable, Hashable {
    /// Samples per pair in the run.
    public var samples: Int
    /// The metric whose spread is measured.
    public var metric: MetricName
    /// The mean over queries of each query's mean Kendall tau-b between samples (1: every sample
    /// orders the candidates alike); nil when no query has a defined tau.
    public var meanTau: Double?
    /// Queries with a defined tau.
    public var tauQueries: Int
    /// The mean over queries of the per-query standard deviation of `metric` across samples
    /// (each sample's scores ranked on their own). This is the run's sample-to-sample noise.
    public var meanStandardDeviation: Double?
    /// The largest per-query standard deviation, and the mean per-query max − min.
    public var maxStandardDeviation: Double?
    public var meanRange: Double?
    /// Queries whose spread was measured.
    public var queries: Int

    public init(samples: Int, metric: MetricName, meanTau: Double?, tauQueries: Int, meanStandardDeviation: Double?,
                maxStandardDeviation: Double?, meanRange: Double?, queries: Int) {
        self.samples = samples
        self.metric = metric
        self.meanTau = meanTau
        self.tauQueries = tauQueries
        self.meanStandardDeviation = meanStandardDeviation
        self.maxStandardDeviation = maxStandardDeviation
        self.meanRange = meanRange
        self.queries = queries
    }

    /// The stability of `report` on `metric`, over the queries named (all when nil); nil for a
    /// run of one sample, or one stored before per-sample rankings were kept.
    public static func of(_ report: RunReport, metric: MetricName, queryIDs: Set<String>? = nil) -> SampleStability? {
        guard report.settings.samples >= 2 else { return nil }
        let measured = report.queries.compactMap { q -> QuerySampleStability? in
            guard queryIDs?.contains(q.queryID) ?? true else { return nil }
            return q.sampleStability
        }
        guard !measured.isEmpty else { return nil }
        let taus = measured.compactMap(\.meanTau)
        let sds = measured.compactMap { $0.standardDeviation(metric) }
        let ranges = measured.compactMap { $0.range(metric).map { $0.max - $0.min } }
        return SampleStability(samples: report.settings.samples, metric: metric, meanTau: mean(taus), tauQueries: taus.count,
                               meanStandardDeviation: mean(sds), maxStandardDeviation: sds.max(), meanRange: mean(ranges),
                               queries: sds.count)
    }

    /// The sample-to-sample noise of `metric` that two runs' difference must exceed: the larger
    /// of the runs' `meanStandardDeviation` over the compared queries. Nil when neither run has
    /// two or more samples (then there is no such noise to weigh).
    public static func noise(_ a: RunReport, _ b: RunReport, metric: MetricName, queryIDs: [String]) -> Double? {
        let ids = Set(queryIDs)
        let both = [a, b].compactMap { of($0, metric: metric, queryIDs: ids)?.meanStandardDeviation }
        return both.max()
    }

    static func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }

    /// "mean Kendall tau-b between samples 0.912 (24 queries); NDCG@10 of each sample's ranking:
    /// mean sd 0.0210 (largest 0.0800), mean max-min 0.0350".
    public var summary: String {
        let tau = meanTau.map { "mean Kendall tau-b between samples \($0.formatted(decimals: 3)) (\(tauQueries) quer\(tauQueries == 1 ? "y" : "ies"))" }
            ?? "Kendall tau between samples n/a (no query has two samples with differing scores)"
        guard let sd = meanStandardDeviation else { return "\(tau); \(metric.heading) of each sample's ranking n/a" }
        return "\(tau); \(metric.heading) of each sample's ranking: mean sd \(sd.formatted(decimals: 4))"
            + (maxStandardDeviation.map { " (largest \($0.formatted(decimals: 4)))" } ?? "")
            + (meanRange.map { ", mean max-min \($0.formatted(decimals: 4))" } ?? "")
    }
}
