import RerankCore

/// The queries the Queries pane lists, in its order: the report's queries seen through the
/// order the state keeps (`WorkbenchState.refreshVisibleQueries`). Reading it copies nothing,
/// so a frame or a key costs the rows it touches, not the size of the file.
public struct VisibleQueries: RandomAccessCollection, Sendable {
    let all: [QueryReport]
    /// Indices into `all`; nil: every query in file order.
    let order: [Int]?

    public var startIndex: Int { 0 }
    public var endIndex: Int { order?.count ?? all.count }
    public subscript(position: Int) -> QueryReport { all[order?[position] ?? position] }
}
