import RerankCore
import Foundation

/// One tune as the store keeps it: what was asked, and its lineage so far.
public struct StoredTune: Sendable {
    public var id: Int64
    public var startedAt: Date
    public var updatedAt: Date
    /// running (or killed while running), stopped, finished.
    public var status: String
    public var datasetPath: String
    public var datasetHash: String
    public var setup: TuneSetup
    public var lineage: TuneLineage
}
