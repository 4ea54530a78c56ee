/// Where the tuner saves its lineage after every step (the store, for `tune show` and resume).
public protocol TuneJournal: Sendable {
    func save(_ lineage: TuneLineage) async throws
}
