import RerankCore
import Foundation
import GRDB

/// One provider batch as the store keeps it (table `batch_job`): enough to poll, cancel and
/// collect it after a restart or on another machine, and never a key.
public struct StoredBatch: Sendable, Hashable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "batch_job"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var id: Int64?
    public var runId: Int64
    /// The provider's name (`openai`, `azure_openai`, `anthropic`).
    public var provider: String
    public var baseUrl: String
    public var model: String
    public var azureDeployment: String?
    public var azureApiVersion: String?
    public var remoteId: String
    public var inputFileId: String?
    public var outputFileId: String?
    public var errorFileId: String?
    var phase: String
    public var providerStatus: String
    /// Requests submitted, and those the provider reports answered and failed.
    public var requests: Int
    public var succeeded: Int
    public var failed: Int
    public var message: String?
    public var submittedAt: Date
    public var updatedAt: Date
    public var collectedAt: Date?
    public var appliedAt: Date?

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    public init(runID: Int64, endpoint: ProviderEndpoint, model: String, requests: Int, status: BatchStatus, date: Date) {
        id = nil
        runId = runID
        provider = endpoint.preset.name
        baseUrl = endpoint.baseURL
        self.model = model
        azureDeployment = endpoint.preset.wire == .azureOpenAI ? endpoint.azureDeployment : nil
        azureApiVersion = endpoint.preset.wire == .azureOpenAI ? endpoint.azureAPIVersion : nil
        remoteId = status.remoteID
        phase = status.phase.rawValue
        providerStatus = status.providerStatus
        self.requests = requests
        succeeded = 0
        failed = 0
        submittedAt = date
        updatedAt = date
        update(with: status, date: date)
    }

    /// The phase in the shared vocabulary (a word a newer version stored reads as in progress).
    public var batchPhase: BatchPhase { BatchPhase(rawValue: phase) ?? .inProgress }

    /// True once the results are in the store (the provider need not be asked again).
    public var isCollected: Bool { collectedAt != nil }

    mutating func update(with status: BatchStatus, date: Date) {
        phase = status.phase.rawValue
        providerStatus = status.providerStatus
        if status.counts.total > 0 || status.counts.succeeded > 0 || status.counts.failed > 0 {
            succeeded = status.counts.succeeded
            failed = status.counts.failed
        }
        inputFileId = status.inputFileID ?? inputFileId
        outputFileId = status.outputFileID ?? outputFileId
        errorFileId = status.errorFileID ?? errorFileId
        message = status.message ?? message
        updatedAt = date
    }

    /// The status as last seen, for the batch API (file ids included).
    public var lastStatus: BatchStatus {
        BatchStatus(remoteID: remoteId, phase: batchPhase, providerStatus: providerStatus,
                    counts: BatchCounts(total: requests, succeeded: succeeded, failed: failed),
                    inputFileID: inputFileId, outputFileID: outputFileId, errorFileID: errorFileId, message: message)
    }

    /// The endpoint to reach the batch's provider with `apiKey` (never stored).
    public func endpoint(apiKey: String?, keySource: String?) -> ProviderEndpoint? {
        guard let preset = ProviderPreset.named(provider) else { return nil }
        return ProviderEndpoint(preset: preset, baseURL: baseUrl, apiKey: apiKey, keySource: keySource,
                                azureDeployment: azureDeployment, azureAPIVersion: azureApiVersion)
    }
}
