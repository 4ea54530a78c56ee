import Foundation
import Synchronization

/// A report kept up to date as results arrive, for a front end that shows it live (the
/// workbench redraws it every frame of a run).
///
/// Rebuilding the whole report for each batch cost time in proportion to the run: on a large
/// file a key pressed during a run waited for it. This keeps each query's part and rebuilds
/// only the queries a batch touched; the report is then summed from the parts in dataset order,
/// the same sums `RunReportBuilder.build` makes, so the numbers are the same to the bit.
public struct LiveReport: Sendable {
    public let builder: RunReportBuilder
    private var results: [PairKey: PairResult] = [:]
    /// Each query's part, its pieces kept apart: the reports in one array that every report
    /// shares (a frame made a new array of every query's report, and freed the last one), and
    /// the counts and tokens the sums take.
    private var queries: [QueryReport]
    private var counts: [RunCounts]
    private var usage: [TokenUsage]
    /// Each part's metrics as the means take them: summed every frame without a lookup by name.
    private var values: [RunReportAccumulator.PartValues]
    private let index: [String: Int]

    /// The report of no results yet: every call not run.
    public init(builder: RunReportBuilder) {
        self.builder = builder
        var index: [String: Int] = [:]
        for (i, q) in builder.dataset.queries.enumerated() { index[q.id] = i }
        self.index = index
        let parts = Self.unrunParts(builder)
        let template = RunReportAccumulator(builder: builder)
        queries = parts.map(\.report)
        counts = parts.map(\.counts)
        usage = parts.map(\.calledUsage)
        values = parts.map { template.values($0) }
    }

    /// Every query's part with no result, the queries shared out over the cores: measuring a
    /// million unrun pairs stood between opening a large file and its first full screen.
    static func unrunParts(_ builder: RunReportBuilder) -> [RunReportBuilder.QueryPart] {
        let queries = builder.dataset.queries
        return Parallel.map(count: queries.count, minimumPerPart: 256) { builder.queryPart(queries[$0], results: [:], cached: []) }
    }

    private init(builder: RunReportBuilder, of other: LiveReport) {
        self.builder = builder
        results = other.results
        queries = other.queries
        counts = other.counts
        usage = other.usage
        values = other.values
        index = other.index
    }

    /// The same parts named by another builder: one of the same dataset that scores the same
    /// way (parser, scale, samples, failure policy, aggregate, top_k, ties, metrics) and differs
    /// only in what the report is labelled with (prompt, provider, model). A workbench run
    /// starts from the report of no results made when the file was opened, whatever prompt it
    /// runs, instead of measuring a million unrun pairs again.
    public func relabelled(_ builder: RunReportBuilder) -> LiveReport { LiveReport(builder: builder, of: self) }

    /// Makes room for `count` results, so that adding a run's results never grows the table
    /// (a rehash of a large run's table held up the frame that added to it).
    public mutating func reserveCapacity(_ count: Int) { results.reserveCapacity(count) }

    /// The positions of the queries `batch` belongs to (what `add` returns), in order.
    public func positions(of batch: [PairResult]) -> [Int] {
        Set(batch.compactMap { index[$0.queryID] }).sorted()
    }

    /// Adds results (new pairs, or pairs asked again) and rebuilds the queries they belong to;
    /// returns their positions in the dataset (and the report), in order.
    @discardableResult
    public mutating func add(_ batch: [PairResult]) -> [Int] {
        var touched = Set<Int>()
        for r in batch {
            guard let i = index[r.queryID] else { continue }
            results[r.key] = r
            touched.insert(i)
        }
        let positions = touched.sorted()
        // The touched queries (about fifty a frame at the lexical baseline's rate) measured on
        // every core: each reads only the results and the dataset.
        // Their first-stage metrics and ceilings are those measured before (no result changes
        // them): only what the results change is measured again.
        let fixed = positions.map { i in queries[i].ceiling.map { RunReportBuilder.FixedMetrics(baseline: queries[i].baseline, ceiling: $0) } }
        let builder = builder, results = results
        let parts = Parallel.map(count: positions.count, minimumPerPart: 8) { k in
            builder.queryPart(builder.dataset.queries[positions[k]], results: results, cached: [], fixed: fixed[k])
        }
        let template = RunReportAccumulator(builder: builder)
        for (i, part) in zip(positions, parts) {
            queries[i] = part.report
            counts[i] = part.counts
            usage[i] = part.calledUsage
            values[i] = template.values(part)
        }
        return positions
    }

    public func report(stopReason: StopReason?, elapsed: Double) -> RunReport {
        // The sums in dataset order, as `RunReportBuilder.build` makes them; the queries' reports
        // are handed over as the array they are kept in.
        var accumulator = RunReportAccumulator(builder: builder, retainQueries: false)
        for i in queries.indices { accumulator.add(report: queries[i], counts: counts[i], calledUsage: usage[i], values: values[i]) }
        var report = accumulator.report(stopReason: stopReason, elapsed: elapsed)
        report.queries = queries
        report.streamed = nil
        return report
    }
}
