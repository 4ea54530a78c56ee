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
    private let index: [String: Int]

    /// The report of no results yet: every call not run.
    public init(builder: RunReportBuilder) {
        self.builder = builder
        var index: [String: Int] = [:]
        for (i, q) in builder.dataset.queries.enumerated() { index[q.id] = i }
        self.index = index
        parts = builder.dataset.queries.map { builder.queryPart($0, results: [:], cached: []) }
    }

    /// Adds results (new pairs, or pairs asked again) and rebuilds the queries they belong to.
    public mutating func add(_ batch: [PairResult]) {
        var touched = Set<Int>()
        for r in batch {
            guard let i = index[r.queryID] else { continue }
            results[r.key] = r
            touched.insert(i)
        }
        for i in touched {
            parts[i] = builder.queryPart(builder.dataset.queries[i], results: results, cached: [])
        }
    }

    public func report(stopReason: StopReason?, elapsed: Double) -> RunReport {
        var accumulator = RunReportAccumulator(builder: builder)
        for part in parts { accumulator.add(part) }
        return accumulator.report(stopReason: stopReason, elapsed: elapsed)
    }
}
