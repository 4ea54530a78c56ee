import RerankCore

/// Saves a tune's lineage in the store after every step.
public struct StoreTuneJournal: TuneJournal {
    public var store: RunStore
    public var tuneID: Int64

    public init(store: RunStore, tuneID: Int64) {
        self.store = store
        self.tuneID = tuneID
    }

    public func save(_ lineage: TuneLineage) async throws {
        try store.saveTune(id: tuneID, lineage: lineage)
    }
}
