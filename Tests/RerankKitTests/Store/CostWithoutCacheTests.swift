import Foundation
import GRDB
import RerankKit
@testable import RerankStore
import RerankTestSupport
import Testing

/// A run's cost is what it spent; what it would have cost without the cache is kept beside it,
/// for new runs and for runs stored before the two were told apart.
@Suite struct CostWithoutCacheTests {
    @Test func aStoreFromBeforeCarriesItsCostsForward() throws {
        let path = (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("store.sqlite")
        let queue = try DatabaseQueue(path: path)
        try StoreSchema.migrator.migrate(queue, upTo: "v3-test-looks")
        // Three runs of 10 calls priced $0.5 in all: none, all and half answered from the cache.
        let report = PoolReportFixture.report()
        var old = report
        old.costWithoutCache = nil
        old.cost = 0.5
        let json = StoreCoding.string(old)
        try queue.write { db in
            for cached in [0, 10, 5] {
                try db.execute(sql: """
                    INSERT INTO run (started_at, status, prompt_name, prompt_text, prompt_hash, provider, model, settings_json,
                        dataset_path, dataset_hash, planned, done, cached, cost, report_json)
                    VALUES (?, 'complete', 'p', 'text', 'h', 'openai', 'gpt-test', ?, 'd.jsonl', 'dh', 10, 10, ?, 0.5, ?)
                    """, arguments: [Date(), StoreCoding.string(report.settings), cached, json])
            }
        }
        try queue.close()
        let store = try RunStore(path: path)
        let runs = try store.runs().sorted { $0.id! < $1.id! }
        #expect(runs.map(\.costWithoutCache) == [0.5, 0.5, 0.5])
        #expect(runs.map(\.cost) == [0.5, 0, nil])
        // Their stored reports say the same.
        #expect(runs.map { $0.report?.cost } == [0.5, 0, nil])
        #expect(runs.map { $0.report?.costWithoutCache } == [0.5, 0.5, 0.5])
    }

    @Test func aRunAnsweredFromTheCacheIsStoredAsCostingNothing() throws {
        let store = try RunStore(path: (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("store.sqlite"))
        let builder = RunReportBuilder(dataset: PoolReportFixture.dataset, prompt: BuiltinPrompts.mem0SystemPrompt,
                                       settings: PoolReportFixture.settings(), prices: PoolReportFixture.prices)
        let results = PoolReportFixture.results
        let report = builder.build(results: results, cached: Set(results.map(\.key)))
        let id = try store.beginRun(prompt: BuiltinPrompts.mem0SystemPrompt, settings: report.settings, dataset: PoolReportFixture.dataset, planned: 5)
        try store.finishRun(id: id, report: report, cached: report.counts.cached)
        let run = try #require(try store.run(id: id))
        #expect(run.cost == 0 && run.costWithoutCache == report.costWithoutCache && (run.costWithoutCache ?? 0) > 0)
        #expect(run.report?.cost == 0 && run.report?.costWithoutCache == report.costWithoutCache)
    }
}
