import Foundation

/// One stored run of a prompt, as the prompt history needs it (the store fills these).
public struct PromptRunRecord: Sendable, Equatable {
    public var runID: Int64
    public var promptName: String
    public var promptText: String
    public var promptHash: String
    public var startedAt: Date
    public var complete: Bool
    /// The run's primary metric (`ndcg@10`) and its reranked value, once finished.
    public var primaryMetric: String?
    public var primaryValue: Double?
    public var datasetHash: String
    public var split: SplitSelection?

    public init(runID: Int64, promptName: String, promptText: String, promptHash: String, startedAt: Date, complete: Bool,
                primaryMetric: String?, primaryValue: Double?, datasetHash: String, split: SplitSelection?) {
        self.runID = runID
        self.promptName = promptName
        self.promptText = promptText
        self.promptHash = promptHash
        self.startedAt = startedAt
        self.complete = complete
        self.primaryMetric = primaryMetric
        self.primaryValue = primaryValue
        self.datasetHash = datasetHash
        self.split = split
    }
}

/// A prompt text that was run on a dataset: how often, when last, and its best number.
public struct PromptVersion: Sendable, Equatable {
    /// SHA-256 of the text: the version's identity.
    public var hash: String
    /// The name of its latest run's prompt.
    public var name: String
    public var text: String
    public var runs: Int
    public var lastRun: Date
    /// The best primary metric over its complete runs on the split asked for, the run that got
    /// it, and the dataset version (content hash) that run used: labels change the numbers.
    public var best: Double?
    public var bestRunID: Int64?
    public var bestDatasetHash: String?
    /// Every dataset version its runs used.
    public var datasetHashes: Set<String>

    public init(hash: String, name: String, text: String, runs: Int, lastRun: Date, best: Double? = nil, bestRunID: Int64? = nil,
                bestDatasetHash: String? = nil, datasetHashes: Set<String> = []) {
        self.hash = hash
        self.name = name
        self.text = text
        self.runs = runs
        self.lastRun = lastRun
        self.best = best
        self.bestRunID = bestRunID
        self.bestDatasetHash = bestDatasetHash
        self.datasetHashes = datasetHashes
    }
}

/// Every prompt version run on a dataset, newest first, from its stored runs.
public enum PromptHistory {
    /// `metric`: the primary metric's name as the store keeps it (`ndcg@10`); only runs scored
    /// with it, complete, and on `split` (nil: any) count for the best value.
    public static func versions(_ records: [PromptRunRecord], metric: String, split: SplitSelection?) -> [PromptVersion] {
        var byHash: [String: PromptVersion] = [:]
        for r in records.sorted(by: { ($0.startedAt, $0.runID) < ($1.startedAt, $1.runID) }) {
            var v = byHash[r.promptHash] ?? PromptVersion(hash: r.promptHash, name: r.promptName, text: r.promptText, runs: 0, lastRun: r.startedAt)
            v.runs += 1
            v.lastRun = r.startedAt
            v.name = r.promptName
            v.datasetHashes.insert(r.datasetHash)
            if r.complete, r.primaryMetric == metric, split == nil || r.split == split, let value = r.primaryValue, value > (v.best ?? -.infinity) {
                v.best = value
                v.bestRunID = r.runID
                v.bestDatasetHash = r.datasetHash
            }
            byHash[r.promptHash] = v
        }
        return byHash.values.sorted { ($0.lastRun, $0.hash) > ($1.lastRun, $1.hash) }
    }
}
