import RerankCore

/// A dataset whose queries are on screen while its report of no results (every query's
/// first-stage metrics) is measured in the background: on a file of a million pairs that took
/// a second after the file was read, and the queries need none of it to be listed and read.
///
/// Meanwhile the Queries and Results panes list the queries from `builder` with no metric,
/// the Metrics pane says what is being measured, and what needs the numbers (a metric sort,
/// pin, compare, diff, calibration) waits for them. A run may start: its results are kept and
/// added to the report when it arrives (`RunReducer.rebuildReport`).
public struct MetricsMeasuring: Sendable {
    /// When the measuring started (the state's clock).
    public var startedAt: Double
    /// What the screen shows now: the shown queries, scored and cut as the settings say. The
    /// Queries and Results panes list them (`RunReportBuilder.unmeasuredReport`).
    public var builder: RunReportBuilder
    /// The last measuring asked of the shell (`Effect.measureUnrun`): its ticket, which its
    /// report comes back with (an older request's report is not taken), and the dataset's
    /// version (`WorkbenchState.datasetVersion`) then (a label edited since: measured again).
    var ticket = 0
    var requestedVersion: Int
    /// How a run that ended before the report arrived stopped, for that report to say.
    var ended: (stopReason: StopReason?, elapsed: Double)?

    init(startedAt: Double, builder: RunReportBuilder, requestedVersion: Int) {
        self.startedAt = startedAt
        self.builder = builder
        self.requestedVersion = requestedVersion
    }

    /// "measuring the first-stage metrics of 10000 queries (1000000 pairs): 1 s so far".
    public func describe(now: Double) -> String {
        let queries = builder.dataset.queries.count
        return "measuring the first-stage metrics of \(queries) quer\(queries == 1 ? "y" : "ies") (\(builder.dataset.candidateCount) pairs): \(Int(max(0, now - startedAt))) s so far"
    }
}
