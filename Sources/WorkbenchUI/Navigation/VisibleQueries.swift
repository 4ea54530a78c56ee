import RerankCore

/// The queries the Queries pane lists, in its order: the report's queries seen through the
/// order the state keeps (`WorkbenchState.refreshVisibleQueries`). Reading it copies nothing,
/// so a frame or a key costs the rows it touches, not the size of the file.
///
/// While the report is measured (`MetricsMeasuring`) it lists the shown queries with no metric,
/// each made when read (`RunReportBuilder.unmeasuredReport`): a frame makes the rows it draws.
public struct VisibleQueries: RandomAccessCollection, Sendable {
    let all: [QueryReport]
    /// The queries listed before their metrics are measured (nil: the report's `all`).
    let unmeasured: RunReportBuilder?
    /// Indices into `all` (or the unmeasured queries); nil: every query in file order.
    let order: [Int]?

    init(all: [QueryReport], order: [Int]?) {
        self.all = all
        unmeasured = nil
        self.order = order
    }

    init(unmeasured: RunReportBuilder, order: [Int]?) {
        all = []
        self.unmeasured = unmeasured
        self.order = order
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { order?.count ?? unmeasured?.dataset.queries.count ?? all.count }
    public subscript(position: Int) -> QueryReport {
        let i = order?[position] ?? position
        if let unmeasured { return unmeasured.unmeasuredReport(unmeasured.dataset.queries[i]) }
        return all[i]
    }
}
