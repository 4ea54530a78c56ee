import RerankCore
import Foundation
import GRDB

/// One run as the store keeps it: what was run (prompt, provider, model, every setting but
/// secrets, dataset and its hash), how it went, and its report once finished.
public struct StoredRun: Sendable, Codable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "run"
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase
    /// GRDB's date text, written without a DateFormatter (`StoreDate`).
    public static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { StoreDate.encoding }

    public var id: Int64?
    public var startedAt: Date
    public var endedAt: Date?
    /// running (or killed while running), complete, stopped (cancelled, budget, configuration).
    public var status: String
    public var stopReason: String?
    public var label: String?
    public var promptName: String
    public var promptText: String
    public var promptHash: String
    public var promptPath: String?
    public var provider: String
    public var model: String
    public var baseUrl: String?
    public var settingsJson: String
    public var datasetPath: String
    public var datasetHash: String
    /// Calls planned (pairs x samples) and completed so far.
    public var planned: Int
    public var done: Int
    public var failed: Int
    /// Completed calls answered from the response cache.
    public var cached: Int
    public var promptTokens: Int
    public var completionTokens: Int
    /// US dollars the run spent (calls answered from the cache cost nothing), and what its
    /// replies would have cost without the cache; nil when the model has no price.
    public var cost: Double?
    public var costWithoutCache: Double?
    public var elapsed: Double
    public var primaryMetric: String?
    public var primaryValue: Double?
    public var baselineValue: Double?
    public var reportJson: String?

    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// How the run stands, in the words history uses: `incomplete` (running, or killed while
    /// running: resumable), `complete`, `cancelled` (stopped by the user: resumable), or `stopped`
    /// (at a cost limit or on a configuration error; `stopReason` says which).
    public var standing: String {
        switch status {
        case "running": return "incomplete"
        case "stopped" where stopReason == StopReason.cancelled.description: return "cancelled"
        default: return status
        }
    }

    /// The run's settings, decoded.
    public var settings: RunSettings? {
        try? StoreCoding.decoder.decode(RunSettings.self, from: Data(settingsJson.utf8))
    }

    /// The stored report (finished or stopped runs).
    public var report: RunReport? {
        guard let reportJson, var report = try? StoreCoding.decoder.decode(RunReport.self, from: Data(reportJson.utf8)) else { return nil }
        // A report stored before costs were split priced the cached replies too: its cost is
        // what the run would have cost, and what it spent is the store's (see migration v4).
        if report.costWithoutCache == nil, report.cost != nil {
            report.costWithoutCache = report.cost
            report.cost = cost
        }
        return report
    }

    /// The prompt as it was run.
    public var prompt: ScoringPrompt {
        ScoringPrompt(name: promptName, text: promptText, path: promptPath)
    }

    public var isComplete: Bool { status == "complete" }
}
