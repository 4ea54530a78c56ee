import Foundation
import RerankKit
import Testing

@Suite struct PromptHistoryTests {
    func record(_ id: Int64, _ text: String, name: String = "p", at minute: Double, value: Double?, complete: Bool = true,
                metric: String = "ndcg@10", data: String = "d1", split: SplitSelection? = nil) -> PromptRunRecord {
        PromptRunRecord(runID: id, promptName: name, promptText: text, promptHash: Digest.sha256(text), startedAt: Date(timeIntervalSince1970: minute * 60),
                        complete: complete, primaryMetric: metric, primaryValue: value, datasetHash: data, split: split)
    }

    @Test func groupsByTextWithBestCountAndLastRun() {
        let records = [
            record(1, "A", name: "first", at: 1, value: 0.5, data: "old"),
            record(2, "B", at: 2, value: 0.7),
            record(3, "A", name: "renamed", at: 3, value: 0.6, data: "new"),
            record(4, "A", at: 4, value: 0.9, complete: false),
            record(5, "B", at: 5, value: 0.95, metric: "ndcg"),
        ]
        let v = PromptHistory.versions(records, metric: "ndcg@10", split: nil)
        #expect(v.map(\.text) == ["B", "A"])
        #expect(v[0].runs == 2 && v[0].best == 0.7 && v[0].bestRunID == 2)
        // A's best is its complete run 3 (0.6), not the cancelled 0.9; named as last run.
        #expect(v[1].runs == 3 && v[1].best == 0.6 && v[1].bestDatasetHash == "new" && v[1].name == "p")
        #expect(v[1].datasetHashes == ["old", "new", "d1"])
        #expect(v[1].lastRun == Date(timeIntervalSince1970: 240))
    }

    @Test func theBestComesFromTheSplitAsked() {
        let records = [record(1, "A", at: 1, value: 0.9, split: .test), record(2, "A", at: 2, value: 0.4, split: .dev)]
        #expect(PromptHistory.versions(records, metric: "ndcg@10", split: .dev)[0].best == 0.4)
        #expect(PromptHistory.versions(records, metric: "ndcg@10", split: nil)[0].best == 0.9)
    }
}
