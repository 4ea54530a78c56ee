import Foundation
import GRDB
import RerankKit
@testable import RerankStore
import RerankTestSupport
import Testing

/// Looks at a dataset's test split are counted in the store, per dataset content hash.
@Suite struct TestLookTests {
    static func dataset(hash: String, split: DatasetSplit? = .test) -> Dataset {
        Dataset(path: "d.jsonl", queries: [Query(id: "q", text: "x", candidates: [Candidate(id: "c", text: "t", relevance: 1)], split: split)],
                contentHash: hash)
    }

    static func settings(_ split: SplitSelection?) -> RunSettings {
        var s = RunSettings()
        s.split = split
        return s
    }

    @Test func runsOnTestOrAllCountAndDevDoesNot() throws {
        let store = try RunStore(path: (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("s.sqlite"))
        let prompt = BuiltinPrompts.mem0SystemPrompt
        _ = try store.beginRun(prompt: prompt, settings: Self.settings(.dev), dataset: Self.dataset(hash: "h1"), planned: 1)
        #expect(try store.testLookCount(datasetHash: "h1") == 0)
        _ = try store.beginRun(prompt: prompt, settings: Self.settings(nil), dataset: Self.dataset(hash: "h1", split: nil), planned: 1)
        #expect(try store.testLookCount(datasetHash: "h1") == 0, "a file without a split has no test split to look at")
        _ = try store.beginRun(prompt: prompt, settings: Self.settings(.test), dataset: Self.dataset(hash: "h1"), planned: 1)
        #expect(try store.testLookCount(datasetHash: "h1") == 1)
        _ = try store.beginRun(prompt: prompt, settings: Self.settings(.all), dataset: Self.dataset(hash: "h1"), planned: 1)
        try store.recordTestLook(datasetHash: "h1", kind: .compare)
        _ = try store.beginRun(prompt: prompt, settings: Self.settings(.test), dataset: Self.dataset(hash: "h2"), planned: 1)
        #expect(try store.testLookCount(datasetHash: "h1") == 3)
        #expect(try store.testLookCounts() == ["h1": 3, "h2": 1])
        // A reopened store still knows.
        let again = try RunStore(path: store.path)
        #expect(try again.testLookCount(datasetHash: "h1") == 3)
    }

    /// A label save writes a new version of the file (a new hash) with the same test queries:
    /// the looks go with it, and saving back to an earlier version counts none twice.
    @Test func looksCarryToTheSavedVersionOnce() throws {
        let store = try RunStore(path: (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("s.sqlite"))
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        try store.recordTestLook(datasetHash: "A", kind: .run, date: t0)
        try store.recordTestLook(datasetHash: "A", kind: .compare, date: t0.addingTimeInterval(60))
        try store.recordTestLook(datasetHash: "other", kind: .run, date: t0)
        try store.carryTestLooks(from: "A", to: "B")
        #expect(try store.testLookCount(datasetHash: "B") == 2)
        try store.recordTestLook(datasetHash: "B", kind: .run, date: t0.addingTimeInterval(120))
        try store.carryTestLooks(from: "B", to: "A")
        #expect(try store.testLookCount(datasetHash: "A") == 3, "A's own two looks are not copied back onto it")
        try store.carryTestLooks(from: "A", to: "A")
        #expect(try store.testLookCount(datasetHash: "A") == 3)
        #expect(try store.testLookCount(datasetHash: "other") == 1)
    }

    @Test func theWarningStartsAtTheSecondLook() {
        #expect(TestLook.warning(count: 0) == nil)
        #expect(TestLook.warning(count: 1) == nil)
        #expect(TestLook.warning(count: 2) == "test split looked at 2 times: its numbers are no longer a clean estimate")
    }

    /// A store written before test looks existed gains the table and keeps its runs.
    @Test func migratesAVersion2StoreWithItsHistory() throws {
        let path = (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("old.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: "v2-response-cache")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO run (started_at, status, prompt_name, prompt_text, prompt_hash, provider, model, settings_json,
                                     dataset_path, dataset_hash, planned, done)
                    VALUES ('2026-01-01 10:00:00.000', 'complete', 'old prompt', 'text', 'h', 'openai', 'gpt-4o-mini', '{}', 'd.jsonl', 'dh', 10, 10)
                    """)
            }
        }
        let store = try RunStore(path: path)
        #expect(try store.run(id: 1)?.promptName == "old prompt")
        #expect(try store.testLookCount(datasetHash: "dh") == 0)
        let applied = try store.pool.read { db in try StoreSchema.migrator.appliedIdentifiers(db) }
        #expect(applied.contains("v3-test-looks"))
        try store.recordTestLook(datasetHash: "dh", kind: .run, runID: 1)
        #expect(try store.testLookCount(datasetHash: "dh") == 1)
    }
}
