import RerankCore

/// The loaded dataset's queries by id: the Results pane and the detail and diff views show one
/// query's memory texts, and finding the query by a walk of a large file every frame added up.
public struct DatasetIndex: Sendable {
    private let positions: [String: Int]
    private let queries: [Query]

    init(_ dataset: Dataset?) {
        let queries = dataset?.queries ?? []
        self.queries = queries
        // The first of a repeated id, as the walk found it.
        positions = Dictionary(queries.indices.map { (queries[$0].id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func query(_ id: String) -> Query? { positions[id].map { queries[$0] } }

    /// One query's memory texts by memory id (the first of a repeated id).
    public func texts(_ queryID: String) -> [String: String] {
        Dictionary(query(queryID)?.candidates.map { ($0.id, $0.text) } ?? [], uniquingKeysWith: { a, _ in a })
    }
}
