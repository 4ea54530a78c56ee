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
    private var parts: [RunReportBuilder.QueryPart]
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
        self.parts = parts
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
        parts = other.parts
        values = other.values
        index = other.index
    }

    /// The same parts named by another builder: one of the same dataset that scores the same
    /// way (parser, scale, samples, failure policy, aggregate, top_k, ties, metrics) and differs
    /// only in what the report is labelled with (prompt, provider, model). A workbench run
    /// starts from the report of no results made when the file was opened, whatever prompt it
    /// runs, instead of measuring a million unrun pairs again.
    public func relabelled(_ builder: RunReportBuilder) -> LiveReport { LiveReport(builder: builder, of: self) }

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
        let template = RunReportAccumulator(builder: builder)
        for i in touched {
            parts[i] = builder.queryPart(builder.dataset.queries[i], results: results, cached: [])
            values[i] = template.values(parts[i])
        }
        return touched.sorted()
    }

    public func report(stopReason: StopReason?, elapsed: Double) -> RunReport {
        var accumulator = RunReportAccumulator(builder: builder)
        for (part, values) in zip(parts, values) { accumulator.add(part, values: values) }
        return accumulator.report(stopReason: stopReason, elapsed: elapsed)
    }
}
