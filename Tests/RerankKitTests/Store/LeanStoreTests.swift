import Foundation
import GRDB
import RerankKit
@testable import RerankStore
import RerankTestSupport
import Synchronization
import Testing

/// Issue 16, part 2: each reply stored once, bare replies as their text, runs that stream
/// their queries, and the commands that give space back.
@Suite struct LeanStoreTests {
    typealias Base = RunStoreTests

    func run(_ store: RunStore, _ server: FakeProviderServer, _ dataset: Dataset, windowPairs: Int = 20_000,
             retainQueries: Bool = true, resume: Int64? = nil, useCache: Bool = true) async throws -> (RecordedRunner.Outcome, RunReport) {
        let settings = Base.settings()
        let provider = Base.provider(server)
        let plan = try RunPlan(dataset: dataset, prompt: Base.prompt, settings: settings)
        let resolved = ResolvedRun(dataset: dataset, prompt: Base.prompt, settings: settings,
                                   provider: .endpoint(provider.endpoint, model: settings.model, local: nil), plan: plan)
        let runner = RerankRunner(provider: provider, settings: settings)
        return try await RecordedRunner(runner: runner, store: store, useCache: useCache, windowPairs: windowPairs)
            .run(resolved, resume: resume, retainQueries: retainQueries)
    }

    func count(_ store: RunStore, _ sql: String) throws -> Int {
        try store.pool.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    @Test func aCachedRerunRefersToTheCachedRepliesInsteadOfCopyingThem() async throws {
        let server = try Base.scorer()
        defer { server.stop() }
        let store = try RunStore(path: Base.storePath())
        let data = Fixtures.dataset(queries: 4, candidates: 5)
        let (first, report1) = try await run(store, server, data)
        #expect(try count(store, "SELECT COUNT(*) FROM reply") == 20)
        let (second, report2) = try await run(store, server, data)
        #expect(second.cachedNow == 20)
        // Each reuse is counted on its cache entry (by the writer, when the result is recorded).
        #expect(try store.cacheStats().hits == 20)
        // No new reply rows, no inline copies: both runs point at the same 20 replies.
        #expect(try count(store, "SELECT COUNT(*) FROM reply") == 20)
        // Both runs' results are packed (a pack per query and write batch), each by reference.
        #expect(try count(store, "SELECT COUNT(*) FROM result") == 0)
        #expect(try count(store, "SELECT SUM(pairs) FROM result_pack") == 40)
        #expect(try count(store, "SELECT SUM(refs) FROM result_pack") == 40)
        #expect(try count(store, "SELECT SUM(cached) FROM result_pack WHERE run_id = \(second.runID)") == 20)
        #expect(try count(store, "SELECT SUM(cached) FROM result_pack WHERE run_id = \(first.runID)") == 0)
        let referenced = try await store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT query_id, results, run_id FROM result_pack").flatMap { try RunStore.decodePack($0) }.compactMap(\.replyID)
        }
        #expect(referenced.count == 40 && Set(referenced).count == 20)
        #expect(try store.cachedResultKeys(runID: second.runID).count == 20)
        #expect(try store.cachedResultKeys(runID: second.runID, queryIDs: [data.queries[1].id]).count == 5)
        #expect(try store.cachedResultKeys(runID: first.runID).isEmpty)
        // And they read back as the replies they were.
        let back1 = try store.results(runID: first.runID).sorted { "\($0.key)" < "\($1.key)" }
        let back2 = try store.results(runID: second.runID).sorted { "\($0.key)" < "\($1.key)" }
        #expect(back1.map(\.reply?.text) == back2.map(\.reply?.text))
        #expect(back1.allSatisfy { $0.reply?.usage.promptTokens == 50 })
        #expect(report1.rerankedMean == report2.rerankedMean)
    }

    @Test func theOfflineBaselineKeepsOnlyTheNumberAndReadsBackTheSame() async throws {
        let store = try RunStore(path: Base.storePath())
        let data = Fixtures.dataset(queries: 3, candidates: 4)
        let settings = RunSettings(provider: "lexical", model: LexicalProvider.modelName)
        let plan = try RunPlan(dataset: data, prompt: Base.prompt, settings: settings)
        let resolved = ResolvedRun(dataset: data, prompt: Base.prompt, settings: settings, provider: .lexical, plan: plan)
        let recorded = RecordedRunner(runner: RerankRunner(provider: LexicalProvider(dataset: data), settings: settings), store: store)
        let (outcome, report) = try await recorded.run(resolved)
        #expect(try count(store, "SELECT COUNT(*) FROM reply") == 0)
        // No row per pair: the 12 results are packed by query (a query's pairs may be split
        // between two of the writer's batches, hence the range).
        #expect(try count(store, "SELECT COUNT(*) FROM result") == 0)
        #expect(try count(store, "SELECT SUM(pairs) FROM result_pack") == 12)
        #expect((3...12).contains(try count(store, "SELECT COUNT(*) FROM result_pack")))
        #expect(try store.completedCount(runID: outcome.runID) == 12)
        #expect(try store.run(id: outcome.runID)?.done == 12)
        let back = try store.results(runID: outcome.runID)
        #expect(back.count == 12 && Set(back.map(\.key)).count == 12)
        #expect(try store.results(runID: outcome.runID, queryIDs: [data.queries[1].id]).map(\.key).sorted { $0.candidateID < $1.candidateID }
                == outcome.outcome.results.filter { $0.queryID == data.queries[1].id }.map(\.key).sorted { $0.candidateID < $1.candidateID })
        let byKey = Dictionary(uniqueKeysWithValues: outcome.outcome.results.map { ($0.key, $0) })
        for r in back {
            let original = try #require(byKey[r.key]?.reply)
            #expect(r.reply == original)
        }
        let rebuilt = RunReportBuilder(dataset: data, prompt: Base.prompt, settings: settings).build(results: back)
        #expect(rebuilt.rerankedMean == report.rerankedMean)
        _ = try store.deleteRuns([outcome.runID])
        #expect(try count(store, "SELECT COUNT(*) FROM result_pack") == 0)
    }

    @Test func packedResultsReadBackExactlyAndDamageIsAnError() throws {
        let inline = PairResult(queryID: "q", candidateID: "m-1", sampleIndex: 0, reply: ChatReply(text: "0.25", latency: 0.1 + 0.2),
                                attempts: 1, latency: 0.1 + 0.2)
        let odd = PairResult(queryID: "q", candidateID: "mémoire ✓", sampleIndex: 300,
                             reply: ChatReply(text: "", usage: TokenUsage(promptTokens: 1 << 40, completionTokens: 7), latency: 1e-300),
                             attempts: 129, latency: 1e-300)
        let hit = PairResult(queryID: "q", candidateID: "m-3", sampleIndex: 2, reply: nil, attempts: 1, latency: 0)
        let live = PairResult(queryID: "q", candidateID: "m-4", sampleIndex: 0, reply: nil, attempts: 3, latency: 2.5)
        let entries = [ResultPack.Entry(result: inline, replyID: nil, cached: false),
                       ResultPack.Entry(result: odd, replyID: nil, cached: false),
                       ResultPack.Entry(result: hit, replyID: 1 << 33, cached: true),
                       ResultPack.Entry(result: live, replyID: 7, cached: false)]
        let bytes = ResultPack.encode(entries)
        let back = try ResultPack.decode(bytes, queryID: "q")
        #expect(back.count == 4)
        for (a, b) in zip(entries, back) {
            #expect(a.result.key == b.result.key)
            #expect(a.result.reply == b.result.reply)
            #expect(a.result.attempts == b.result.attempts && a.replyID == b.replyID && a.cached == b.cached)
            #expect(a.result.latency.bitPattern == b.result.latency.bitPattern)
        }
        // Cut short anywhere, or of another layout: an error, never a crash or a partial list.
        for cut in 1..<bytes.count { #expect(throws: ResultPack.Damaged.self) { _ = try ResultPack.decode(Array(bytes[..<cut]), queryID: "q") } }
        #expect(throws: ResultPack.Damaged.self) { _ = try ResultPack.decode([3] + bytes.dropFirst(), queryID: "q") }
        #expect(throws: ResultPack.Damaged.self) { _ = try ResultPack.decode(bytes + [0], queryID: "q") }
        #expect(try ResultPack.decode(ResultPack.encode([]), queryID: "q").isEmpty)
    }

    @Test func aPackOfTheFirstLayoutStillReadsBack() throws {
        // Version 1 (stores of v7): id "m", sample 1, text "0.5", tokens 2 and 3, attempts 1, latency 0.5.
        let v1: [UInt8] = [1, 1, 1, 0x6D, 1, 3, 0x30, 0x2E, 0x35, 2, 3, 1] + (0.5).bitPattern.littleEndianBytes
        let back = try ResultPack.decode(v1, queryID: "q")
        #expect(back.count == 1 && back[0].replyID == nil && !back[0].cached)
        #expect(back[0].result == PairResult(queryID: "q", candidateID: "m", sampleIndex: 1,
                                             reply: ChatReply(text: "0.5", finishReason: "stop", usage: TokenUsage(promptTokens: 2, completionTokens: 3), latency: 0.5),
                                             attempts: 1, latency: 0.5))
        for cut in 1..<v1.count { #expect(throws: ResultPack.Damaged.self) { _ = try ResultPack.decode(Array(v1[..<cut]), queryID: "q") } }
    }

    @Test func aResumeAddsRowsBesidePacksAndEachPairReadsBackOnce() throws {
        let store = try RunStore(path: Base.storePath())
        let data = Fixtures.dataset(queries: 2, candidates: 3)
        let settings = RunSettings(provider: "lexical", model: LexicalProvider.modelName)
        let id = try store.beginRun(prompt: Base.prompt, settings: settings, dataset: data, planned: 6)
        func call(_ q: Int, _ c: Int, failed: Bool = false) -> RunStore.RecordedCall {
            let query = data.queries[q]
            return RunStore.RecordedCall(result: PairResult(queryID: query.id, candidateID: query.candidates[c].id, sampleIndex: 0,
                                                            reply: failed ? nil : ChatReply(text: "0.\(q)\(c)"), error: failed ? "no reply" : nil,
                                                            errorKind: failed ? .connection : nil),
                                         requestHash: nil, parsed: nil, cached: false)
        }
        // A new run: bare replies are packed, a failure gets its row (a resume replaces it).
        try store.record(runID: id, calls: [call(0, 0), call(0, 1), call(0, 2, failed: true), call(1, 0)], provider: "lexical", model: "m", replacing: false)
        #expect(try count(store, "SELECT COUNT(*) FROM result") == 1)
        #expect(try store.completedCount(runID: id) == 3)
        // The resume: the failed pair again, and the pairs never done.
        try store.record(runID: id, calls: [call(0, 2), call(1, 1), call(1, 2)], provider: "lexical", model: "m", replacing: true)
        let back = try store.results(runID: id)
        #expect(back.count == 6 && Set(back.map(\.key)).count == 6 && back.allSatisfy { $0.reply != nil })
        #expect(try store.completedCount(runID: id) == 6)
        let run = try #require(try store.run(id: id))
        #expect(run.done == 6 && run.failed == 0)
    }

    /// A run holds its next window back while the writer is more than a window behind
    /// (`RecordedRunner.run`): `written(upTo:)` returns only once those calls are in the store.
    @Test func theRecorderSaysWhenTheCallsQueuedSoFarAreWritten() async throws {
        let store = try RunStore(path: Base.storePath())
        let data = Fixtures.dataset(queries: 40, candidates: 50)
        let settings = RunSettings(provider: "lexical", model: LexicalProvider.modelName)
        let id = try store.beginRun(prompt: Base.prompt, settings: settings, dataset: data, planned: 2_000)
        let recorder = RunRecorder(store: store, runID: id, settings: settings, replacing: false)
        await recorder.written(upTo: 0)
        for query in data.queries {
            recorder.record(query.candidates.map { c in
                RunStore.RecordedCall(result: PairResult(queryID: query.id, candidateID: c.id, sampleIndex: 0, reply: ChatReply(text: "0.5")),
                                      requestHash: nil, parsed: nil, cached: false)
            })
        }
        #expect(recorder.queuedCount == 2_000)
        await recorder.written(upTo: 2_000)
        #expect(try store.completedCount(runID: id) == 2_000)
        #expect(await recorder.finish() == nil)
    }

    @Test func aReplyWithLogprobsOrCutByTheLimitIsKeptWhole() {
        #expect(RunStore.isBare(ChatReply(text: "0.5")))
        #expect(!RunStore.isBare(ChatReply(text: "0.5", finishReason: "length")))
        #expect(!RunStore.isBare(ChatReply(text: "0.5", logprobs: [TokenLogprob(token: "0", logprob: -0.1)])))
        #expect(!RunStore.isBare(ChatReply(text: nil)))
    }

    @Test func windowsGiveTheSameReportAsOneWindowAndStreamTheQueriesInOrder() async throws {
        let server = try Base.scorer()
        defer { server.stop() }
        let data = Fixtures.dataset(queries: 9, candidates: 4)
        let (_, whole) = try await run(try RunStore(path: Base.storePath()), server, data)
        let store = try RunStore(path: Base.storePath())
        let settings = Base.settings()
        let provider = Base.provider(server)
        let plan = try RunPlan(dataset: data, prompt: Base.prompt, settings: settings)
        #expect(plan.windows(pairs: 7).map(\.count) == [2, 2, 2, 2, 1])
        let resolved = ResolvedRun(dataset: data, prompt: Base.prompt, settings: settings,
                                   provider: .endpoint(provider.endpoint, model: settings.model, local: nil), plan: plan)
        var seen: [String] = []
        let (outcome, streamed) = try await RecordedRunner(runner: RerankRunner(provider: provider, settings: settings), store: store,
                                                           windowPairs: 7)
            .run(resolved, retainQueries: false, onQueries: { seen += $0.map(\.queryID) })
        #expect(seen == data.queries.map(\.id))
        #expect(streamed.queries.isEmpty && outcome.outcome.results.isEmpty)
        #expect(streamed.streamed == whole.totals && whole.totals.queries == 9 && whole.totals.candidates == 36)
        #expect(streamed.rerankedMean == whole.rerankedMean && streamed.baselineMean == whole.baselineMean)
        #expect(streamed.ceilingMean == whole.ceilingMean && streamed.poolRecallMean == whole.poolRecallMean)
        #expect(streamed.counts == whole.counts)
        // Stored: the summary, and the results to rebuild the queries from.
        let stored = try #require(try store.run(id: outcome.runID)?.report)
        #expect(stored.streamed?.queries == 9 && stored.queries.isEmpty)
        let rebuilt = RunReportBuilder(dataset: data, prompt: Base.prompt, settings: settings).build(results: try store.results(runID: outcome.runID))
        #expect(ReportJSON.encode(rebuilt) == ReportJSON.encode(whole))
    }

    @Test func aWindowedRerunIsAnsweredByTheCacheWindowByWindowAndCountsEveryPair() async throws {
        let server = try Base.scorer()
        defer { server.stop() }
        let store = try RunStore(path: Base.storePath())
        let data = Fixtures.dataset(queries: 6, candidates: 5)
        // The first half was run before, on its own: the second run finds those in the cache.
        var half = data
        half.queries = Array(data.queries.prefix(3))
        _ = try await run(store, server, half)
        let events = EventLog()
        let settings = Base.settings()
        let provider = Base.provider(server)
        let plan = try RunPlan(dataset: data, prompt: Base.prompt, settings: settings)
        let resolved = ResolvedRun(dataset: data, prompt: Base.prompt, settings: settings,
                                   provider: .endpoint(provider.endpoint, model: settings.model, local: nil), plan: plan)
        let (outcome, report) = try await RecordedRunner(runner: RerankRunner(provider: provider, settings: settings), store: store, windowPairs: 5)
            .run(resolved, onEvent: { events.add($0) })
        #expect(outcome.cachedNow == 15 && outcome.calledNow == 15)
        #expect(server.requests.count == 30)
        #expect(report.counts.cached == 15 && report.counts.ok == 30)
        // One `restored` (the first window's hits), one `started`, one `finished`; done reaches total.
        let log = events.all
        #expect(log.filter { if case .started = $0 { return true }; return false }.count == 1)
        guard case let .finished(done, total, cancelled) = log.last else { Issue.record("no finished event"); return }
        #expect(done == total && !cancelled)
        let restored = log.compactMap { if case let .restored(r) = $0 { return r.count }; return nil }.reduce(0, +)
        #expect(restored + total == 30)
    }

    @Test func aRunThatStopsInAWindowAsksTheCacheNothingForTheWindowsAfter() async throws {
        // One server (its URL is part of every cache key) that scores, then refuses the key.
        final class Refusal: Sendable { let on = Mutex(false) }
        let refusal = Refusal()
        let server = try FakeProviderServer { r, _ in
            if refusal.on.withLock({ $0 }) { return .error(401, "Incorrect API key provided", for: r) }
            guard let pair = r.pair else { return .text("0.5", for: r) }
            return .text("Score: " + Fixtures.score(query: pair.query, document: pair.document).formatted(decimals: 3), for: r)
        }
        defer { server.stop() }
        let store = try RunStore(path: Base.storePath())
        let data = Fixtures.dataset(queries: 6, candidates: 3)
        _ = try await run(store, server, data)
        // Every pair is in the cache but the first query's (its text is new), and the server
        // now refuses the key: the first window's calls stop the run.
        var changed = data
        changed.queries[0].text += " again"
        refusal.on.withLock { $0 = true }
        let (outcome, report) = try await run(store, server, changed, windowPairs: 4)
        guard case .configuration = outcome.outcome.stopReason else {
            Issue.record("expected a configuration stop, got \(String(describing: outcome.outcome.stopReason))")
            return
        }
        // The first window (queries 1 and 2) had its second query's three pairs from the cache.
        // The next window is made ready while the first is reported, but only once the stop is
        // known: none of the later windows' twelve cached pairs is taken.
        #expect(outcome.cachedNow == 3 && outcome.calledNow <= 3)
        #expect(report.counts.cached == 3 && report.counts.ok == 3)
        #expect(report.counts.notRun == 18 - 3 - outcome.calledNow)
        #expect(try store.completedCount(runID: outcome.runID) == 3)
    }

    @Test func aResumeAcrossWindowsAsksOnlyForWhatFailed() async throws {
        let failing = try FakeProviderServer { r, _ in
            guard let pair = r.pair else { return .text("0.5", for: r) }
            if pair.query.hasSuffix(" 4") { return .error(400, "no", for: r) }
            return .text("Score: " + Fixtures.score(query: pair.query, document: pair.document).formatted(decimals: 3), for: r,
                         promptTokens: 50, completionTokens: 3)
        }
        defer { failing.stop() }
        let store = try RunStore(path: Base.storePath())
        let data = Fixtures.dataset(queries: 6, candidates: 3)
        let (first, _) = try await run(store, failing, data, windowPairs: 4)
        #expect(try store.completedCount(runID: first.runID) == 15)
        let good = try Base.scorer()
        defer { good.stop() }
        let (again, report) = try await run(store, good, data, windowPairs: 4, resume: first.runID, useCache: false)
        #expect(good.requests.count == 3 && again.resumed == 15)
        #expect(report.counts.ok == 18 && report.counts.failed == 0)
        #expect(try store.completedCount(runID: first.runID) == 18)
    }

    @Test func vacuumFoldsOldInlineCopiesAndGCDropsTheRepliesOfDeletedRuns() async throws {
        let server = try Base.scorer()
        defer { server.stop() }
        let store = try RunStore(path: Base.storePath())
        let data = Fixtures.dataset(queries: 3, candidates: 4)
        let (first, _) = try await run(store, server, data)
        let (second, _) = try await run(store, server, data)
        // A store written before v6 held a copy of the reply in every result row: the second
        // run's packed results become such rows.
        try await store.pool.write { db in
            let packs = try Row.fetchAll(db, sql: "SELECT query_id, results, run_id FROM result_pack WHERE run_id = ?", arguments: [second.runID])
            for entry in try packs.flatMap({ try RunStore.decodePack($0) }) {
                try db.execute(sql: """
                    INSERT INTO result (run_id, query_id, candidate_id, sample_index, request_hash, reply_json, recorded_at, cached)
                    SELECT ?, ?, ?, ?, (SELECT request_hash FROM cache WHERE cache.reply_id = reply.id), reply_json, '2026-01-01', 1
                    FROM reply WHERE id = ?
                    """, arguments: [second.runID, entry.result.queryID, entry.result.candidateID, entry.result.sampleIndex, entry.replyID])
            }
            try db.execute(sql: "DELETE FROM result_pack WHERE run_id = ?", arguments: [second.runID])
        }
        #expect(try count(store, "SELECT COUNT(*) FROM result WHERE reply_json IS NOT NULL") == 12)
        let vacuumed = try store.vacuum()
        #expect(vacuumed.folded == 12 && vacuumed.replies == 0)
        #expect(try count(store, "SELECT COUNT(*) FROM result WHERE reply_json IS NOT NULL") == 0)
        #expect(try store.results(runID: second.runID).allSatisfy { $0.reply != nil })
        // Deleting one run leaves the replies the other uses; deleting both lets gc drop them.
        #expect(try store.deleteRuns([first.runID]) == 1)
        #expect(try store.gcCache().cacheEntries == 0)
        #expect(try store.cacheStats().entries == 12)
        try store.deleteRuns([second.runID])
        let gc = try store.gcCache()
        #expect(gc.cacheEntries == 12 && gc.replies == 12)
        #expect(try count(store, "SELECT COUNT(*) FROM reply") == 0)
    }

    @Test func clearingTheCacheKeepsTheRepliesRunsUsed() async throws {
        let server = try Base.scorer()
        defer { server.stop() }
        let store = try RunStore(path: Base.storePath())
        let data = Fixtures.dataset(queries: 2, candidates: 3)
        let (first, _) = try await run(store, server, data)
        #expect(try store.clearCache() == 6)
        #expect(try store.cacheStats().entries == 0)
        #expect(try store.results(runID: first.runID).allSatisfy { $0.reply?.text?.hasPrefix("Score:") == true })
        let (second, _) = try await run(store, server, data)
        #expect(second.calledNow == 6)
    }

    @Test func aStoreFromBeforeV6KeepsItsCacheAndResults() throws {
        let path = Base.storePath()
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: "v5-tunes")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO run (started_at, status, prompt_name, prompt_text, prompt_hash, provider, model, settings_json,
                                     dataset_path, dataset_hash, planned, done)
                    VALUES ('2026-01-01 10:00:00.000', 'complete', 'old', 'text', 'h', 'vllm', 'm', '{}', 'd.jsonl', 'dh', 1, 1)
                    """)
                try db.execute(sql: """
                    INSERT INTO result (run_id, query_id, candidate_id, sample_index, request_hash, reply_json, reply_text, recorded_at, cached)
                    VALUES (1, 'q', 'c', 0, 'h1', '{"text":"0.7","finishReason":"stop","usage":{"promptTokens":5,"completionTokens":1},"latency":0.1}', '0.7', '2026-01-01 10:00:00.000', 0)
                    """)
                try db.execute(sql: """
                    INSERT INTO cache (request_hash, provider, model, reply_json, created_at, last_used_at, hits)
                    VALUES ('h1', 'vllm', 'm', '{"text":"0.7","finishReason":"stop","usage":{"promptTokens":5,"completionTokens":1},"latency":0.1}',
                            '2026-01-01 10:00:00.000', '2026-01-01 10:00:00.000', 2)
                    """)
            }
        }
        let store = try RunStore(path: path)
        #expect(try store.cachedReplies(["h1"])["h1"]?.reply.text == "0.7")
        #expect(try store.cacheStats().entries == 1)
        #expect(try store.results(runID: 1).first?.reply?.text == "0.7")
        #expect(try store.vacuum().folded == 1)
        #expect(try store.results(runID: 1).first?.reply?.usage.promptTokens == 5)
    }

    @Test func aStoreFromV8KeepsItsCacheAndItsReuseCount() async throws {
        let path = Base.storePath()
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: "v8-packed-references")
            try await queue.write { db in
                try db.execute(sql: """
                    INSERT INTO reply (id, reply_json) VALUES
                        (1, '{"text":"0.7","finishReason":"stop","usage":{"promptTokens":5,"completionTokens":1},"latency":0.1}'),
                        (2, '{"text":"0.2","finishReason":"stop","usage":{"promptTokens":5,"completionTokens":1},"latency":0.1}')
                    """)
                try db.execute(sql: """
                    INSERT INTO cache (request_hash, provider, model, reply_id, created_at, last_used_at, hits) VALUES
                        ('h1', 'vllm', 'm', 1, '2026-01-01 10:00:00.000', '2026-01-02 10:00:00.000', 3),
                        ('h2', 'vllm', 'm', 2, '2026-01-01 10:00:00.000', '2026-01-01 10:00:00.000', 4)
                    """)
            }
        }
        let store = try RunStore(path: path)
        let found = try store.cachedReplies(["h1", "h2", "h3"])
        #expect(found["h1"]?.reply.text == "0.7" && found["h1"]?.replyID == 1)
        #expect(found["h2"]?.reply.text == "0.2" && found["h2"]?.replyID == 2)
        #expect(found["h3"] == nil)
        let stats = try store.cacheStats()
        #expect(stats.entries == 2 && stats.hits == 7)
        let withoutRowID = try await store.pool.read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'cache'") ?? ""
        }
        #expect(withoutRowID.contains("WITHOUT ROWID"))

        // New answers add to the total once per write; clearing the cache starts it again.
        let server = try Base.scorer()
        defer { server.stop() }
        let data = Fixtures.dataset(queries: 2, candidates: 3)
        _ = try await run(store, server, data)
        #expect(try store.cacheStats().hits == 7)
        _ = try await run(store, server, data)
        #expect(try store.cacheStats().hits == 13)
        #expect(try store.clearCache() == 8)
        #expect(try store.cacheStats().hits == 0)
    }

    /// A store from before v10 keeps answering from the keys it has (the digest alone), and a
    /// run copies each entry it uses to its grouped key (`CacheKey`).
    @Test func aStoreFromV9AnswersByItsOldKeysAndCopiesThemToGroupedKeys() async throws {
        let server = try Base.scorer()
        defer { server.stop() }
        let path = Base.storePath()
        let data = Fixtures.dataset(queries: 3, candidates: 4)
        let keys: [String]
        do {
            let store = try RunStore(path: path)
            _ = try await run(store, server, data)
            keys = try await store.pool.read { db in try String.fetchAll(db, sql: "SELECT request_hash FROM cache ORDER BY request_hash") }
            #expect(keys.count == 12 && keys.allSatisfy(CacheKey.isGrouped))
            // What v9 wrote: the digest alone, and no v10 yet.
            try await store.pool.write { db in
                try db.execute(sql: "UPDATE cache SET request_hash = SUBSTR(request_hash, 9)")
                try db.execute(sql: "DROP TABLE cache_legacy")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v10-cache-key-groups'")
            }
        }
        let store = try RunStore(path: path)
        #expect(store.mayHoldLegacyKeys)
        #expect(try count(store, "SELECT entries FROM cache_legacy") == 12)
        let before = try store.cacheStats()
        #expect(before.entries == 12 && before.oldKeys == 12)
        // `run --batch` would submit none of them.
        #expect(try store.cachedHashes(keys) == Set(keys))
        let calls = server.requests.count
        let (second, _) = try await run(store, server, data)
        #expect(second.cachedNow == 12 && second.calledNow == 0 && server.requests.count == calls)
        // Each entry it used is copied to its grouped key; the old copies stay until `cache gc`.
        let copied = try await store.pool.read { db in
            try String.fetchAll(db, sql: "SELECT request_hash FROM cache WHERE LENGTH(request_hash) = 72 ORDER BY request_hash")
        }
        #expect(copied == keys)
        #expect(try count(store, "SELECT COUNT(*) FROM cache") == 24)
        // `cache stats` counts each reply once.
        let stats = try store.cacheStats()
        #expect(stats.hits == 12 && stats.entries == 12 && stats.oldKeys == 12 && stats.replyBytes == before.replyBytes)
        #expect(stats.byModel.map(\.entries) == [12])
        // Answered by the new keys now, with the old ones gone the same.
        try await store.pool.write { db in try db.execute(sql: "DELETE FROM cache WHERE LENGTH(request_hash) = 64") }
        let (third, _) = try await run(store, server, data)
        #expect(third.cachedNow == 12 && server.requests.count == calls)
        #expect(try count(store, "SELECT COUNT(*) FROM cache") == 12)

        // A new store has nothing to look up twice.
        let fresh = try RunStore(path: Base.storePath())
        #expect(!fresh.mayHoldLegacyKeys)
    }

    @Test func gcAndClearCountTheOldKeysThatAreLeft() async throws {
        let server = try Base.scorer()
        defer { server.stop() }
        let store = try RunStore(path: Base.storePath())
        let (first, _) = try await run(store, server, Fixtures.dataset(queries: 2, candidates: 3))
        // Two entries under old keys alone, one also under its new key (a run copied it).
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE cache SET request_hash = SUBSTR(request_hash, 9) WHERE request_hash IN (SELECT request_hash FROM cache ORDER BY request_hash LIMIT 2)")
            try db.execute(sql: """
                INSERT INTO cache (request_hash, provider, model, reply_id, created_at)
                SELECT '00000000' || request_hash, provider, model, reply_id, created_at FROM cache WHERE LENGTH(request_hash) = 64 LIMIT 1
                """)
            try db.execute(sql: "UPDATE cache_legacy SET entries = 2")
        }
        let reopened = try RunStore(path: store.path)
        #expect(reopened.mayHoldLegacyKeys)
        let gc = try reopened.gcCache()
        #expect(gc.oldKeys == 1 && gc.cacheEntries == 0)
        #expect(try count(reopened, "SELECT entries FROM cache_legacy") == 1)
        #expect(try count(reopened, "SELECT COUNT(*) FROM cache") == 6)
        #expect(reopened.mayHoldLegacyKeys)
        try reopened.deleteRuns([first.runID])
        _ = try reopened.gcCache()
        #expect(try count(reopened, "SELECT entries FROM cache_legacy") == 0)
        #expect(!reopened.mayHoldLegacyKeys)
        // And `cache clear` ends them all.
        try await reopened.pool.write { db in try db.execute(sql: "UPDATE cache_legacy SET entries = 3") }
        let third = try RunStore(path: store.path)
        #expect(third.mayHoldLegacyKeys)
        try third.clearCache()
        #expect(!third.mayHoldLegacyKeys)
        #expect(try count(third, "SELECT entries FROM cache_legacy") == 0)
    }
}

/// Events as they came, for checking their order.
final class EventLog: Sendable {
    private let events = Mutex<[RunEvent]>([])
    func add(_ e: RunEvent) { events.withLock { $0.append(e) } }
    var all: [RunEvent] { events.withLock { $0 } }
}

private extension UInt64 {
    var littleEndianBytes: [UInt8] { (0..<8).map { UInt8((self >> (8 * UInt64($0))) & 0xFF) } }
}
