/// One evaluation's outcome.
public struct TuneEvaluation: Sendable {
    public var report: RunReport
    /// The stored run, when the scorer stores runs.
    public var runID: Int64?
    /// Calls made to the provider (cached replies excluded).
    public var callsMade: Int
    /// US dollars spent (0 when no price is known).
    public var cost: Double

    public init(report: RunReport, runID: Int64?, callsMade: Int, cost: Double) {
        self.report = report
        self.runID = runID
        self.callsMade = callsMade
        self.cost = cost
    }

    /// The primary metric per query, for the queries it is defined on.
    public func values(_ metric: MetricName) -> [String: Double] {
        Dictionary(report.queries.compactMap { q in q.reranked[metric].map { (q.queryID, $0) } }, uniquingKeysWith: { a, _ in a })
    }
}
