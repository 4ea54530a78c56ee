import Foundation
import GRDB
import RerankCore

extension RunStore {
    /// Every run on a dataset, for its prompt history: runs of the file at `datasetPath` (any
    /// version of it: editing labels changes its hash) and runs of any file with the content
    /// `datasetHash` (a copy elsewhere is the same data).
    public func promptRuns(datasetPath: String, datasetHash: String) throws(StoreError) -> [PromptRunRecord] {
        let wanted = Self.standardized(datasetPath)
        return try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, prompt_name, prompt_text, prompt_hash, started_at, status, primary_metric, primary_value,
                       dataset_path, dataset_hash, settings_json FROM run ORDER BY id
                """)
            return rows.compactMap { row -> PromptRunRecord? in
                let path: String = row["dataset_path"]
                let hash: String = row["dataset_hash"]
                guard hash == datasetHash || Self.standardized(path) == wanted else { return nil }
                let settings = try? StoreCoding.decoder.decode(RunSettings.self, from: Data((row["settings_json"] as String).utf8))
                return PromptRunRecord(runID: row["id"], promptName: row["prompt_name"], promptText: row["prompt_text"],
                                       promptHash: row["prompt_hash"], startedAt: row["started_at"], complete: (row["status"] as String) == "complete",
                                       primaryMetric: row["primary_metric"], primaryValue: row["primary_value"],
                                       datasetHash: hash, split: settings?.split)
            }
        }
    }

    /// A path as an absolute, tidied file path, so `Datasets/x.jsonl` and `./Datasets/x.jsonl` match.
    static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
