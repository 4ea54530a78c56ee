import Foundation
import GRDB
import RerankKit
@testable import RerankStore
import RerankTestSupport
import Synchronization
import Testing

/// The run store on real SQLite files: migrations, refusal of foreign and damaged files, the
/// response cache, resume, recordings.
@Suite struct RunStoreTests {
    static let prompt = BuiltinPrompts.mem0SystemPrompt

    static func storePath() -> String {
        (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("store.sqlite")
    }

    static func settings(parser: ScoreParserKind = .mem0, samples: Int = 1, concurrency: Int = 4) -> RunSettings {
        RunSettings(provider: "vllm", model: "test-model", parser: parser, samples: samples, concurrency: concurrency,
                    retry: RetryPolicy(maxRetries: 1, baseDelay: 0.01, maxDelay: 0.02), timeout: 5)
    }

    /// `hold`, when given, keeps replies to requests from that index on waiting until `released` holds.
    static func scorer(delay: Double = 0, holdFrom hold: Int? = nil, released: (@Sendable () -> Bool)? = nil) throws -> FakeProviderServer {
        try FakeProviderServer { r, index in
            guard let pair = r.pair else { return .text("0.5", for: r) }
            let held = hold.map { index >= $0 && !(released?() ?? false) } ?? false
            return .text("Score: " + Fixtures.score(query: pair.query, document: pair.document).formatted(decimals: 3), for: r,
                         promptTokens: 50, completionTokens: 3, delay: held ? 120 : delay)
        }
    }

    static func provider(_ server: FakeProviderServer) -> OpenAIChatProvider {
        OpenAIChatProvider(endpoint: ProviderEndpoint(preset: ProviderPreset.named("vllm")!, baseURL: server.baseURL + "/v1"))
    }

    func recordedRun(_ store: RunStore, _ server: FakeProviderServer, _ dataset: Dataset, _ settings: RunSettings,
                     useCache: Bool = true, resume: Int64? = nil) async throws -> (RecordedRunner.Outcome, RunReport) {
        let plan = try RunPlan(dataset: dataset, prompt: Self.prompt, settings: settings)
        let runner = RerankRunner(provider: Self.provider(server), settings: settings)
        let resolved = ResolvedRun(dataset: dataset, prompt: Self.prompt, settings: settings,
                                   provider: .endpoint(Self.provider(server).endpoint, model: settings.model, local: nil), plan: plan)
        return try await RecordedRunner(runner: runner, store: store, useCache: useCache).run(resolved, resume: resume)
    }

    // MARK: Cache

    @Test func rerunningAnUnchangedRunMakesNoRequests() async throws {
        let server = try Self.scorer()
        defer { server.stop() }
        let store = try RunStore(path: Self.storePath())
        let data = Fixtures.dataset(queries: 4, candidates: 5)
        let (first, report1) = try await recordedRun(store, server, data, Self.settings())
        #expect(first.calledNow == 20 && first.cachedNow == 0)
        #expect(server.requests.count == 20)
        let (second, report2) = try await recordedRun(store, server, data, Self.settings())
        #expect(server.requests.count == 20, "a rerun must not call the server")
        #expect(second.calledNow == 0 && second.cachedNow == 20)
        #expect(report2.counts.cached == 20)
        #expect(report2.rerankedMean == report1.rerankedMean)
        #expect(second.runID != first.runID)
        let stats = try store.cacheStats()
        #expect(stats.entries == 20 && stats.hits == 20)
        #expect(stats.byModel.first?.model == "test-model")
    }

    @Test func changingOnlyTheParserOrTopKReScoresFromStoredReplies() async throws {
        let server = try Self.scorer()
        defer { server.stop() }
        let store = try RunStore(path: Self.storePath())
        let data = Fixtures.dataset(queries: 3, candidates: 4)
        _ = try await recordedRun(store, server, data, Self.settings())
        var other = Self.settings(parser: .lastNumber)
        other.topK = 2
        other.ties = .trec
        let (again, report) = try await recordedRun(store, server, data, other)
        #expect(server.requests.count == 12)
        #expect(again.cachedNow == 12)
        #expect(report.counts.ok == 12 && report.counts.fallback == 0)
    }

    @Test func samplesAreCachedIndependently() async throws {
        let server = try Self.scorer()
        defer { server.stop() }
        let store = try RunStore(path: Self.storePath())
        let data = Fixtures.dataset(queries: 2, candidates: 3)
        _ = try await recordedRun(store, server, data, Self.settings(samples: 1))
        let (two, _) = try await recordedRun(store, server, data, Self.settings(samples: 2))
        #expect(two.cachedNow == 6 && two.calledNow == 6)
        #expect(server.requests.count == 12)
        #expect(Set(server.requests.map(\.body)).count == 6, "sample 1 repeats sample 0's request on the wire")
    }

    @Test func noCacheCallsAgainButStillRecords() async throws {
        let server = try Self.scorer()
        defer { server.stop() }
        let store = try RunStore(path: Self.storePath())
        let data = Fixtures.dataset(queries: 2, candidates: 3)
        _ = try await recordedRun(store, server, data, Self.settings())
        let (again, _) = try await recordedRun(store, server, data, Self.settings(), useCache: false)
        #expect(again.calledNow == 6 && again.cachedNow == 0)
        #expect(server.requests.count == 12)
        #expect(try store.runCount() == 2)
    }

    @Test func aDifferentBaseURLOrPromptIsADifferentRequest() {
        let a = OpenAIChatProvider(endpoint: ProviderEndpoint(preset: ProviderPreset.named("vllm")!, baseURL: "http://a/v1"))
        let b = OpenAIChatProvider(endpoint: ProviderEndpoint(preset: ProviderPreset.named("vllm")!, baseURL: "http://b/v1"))
        let request = ChatRequest(model: "m", messages: [.system("p"), .user("q")])
        var other = request
        other.messages = [.system("p2"), .user("q")]
        var sample1 = request
        sample1.sampleIndex = 1
        var warmer = request
        warmer.temperature = 0.7
        let hashes = [a, b].map { RecordedRunner.requestHash(provider: $0, request: request) }
            + [other, sample1, warmer].map { RecordedRunner.requestHash(provider: a, request: $0) }
        #expect(Set(hashes.compactMap { $0 }).count == 5)
        #expect(RecordedRunner.requestHash(provider: LexicalProvider(dataset: Fixtures.dataset(queries: 1, candidates: 1)), request: request) == nil)
    }

    /// The cache key is hashed from bytes (`appendRequestIdentity`): its digest must stay the
    /// hash of "NAME\nIDENTITY\nsample=N" that every store so far was keyed by, for every
    /// provider, after the group of its provider, model and query (`CacheKey`).
    @Test func theRequestHashIsTheHashOfTheIdentityText() throws {
        let providers: [any ChatProvider] = [
            OpenAIChatProvider(endpoint: ProviderEndpoint(preset: ProviderPreset.named("vllm")!, baseURL: "http://a/v1")),
            OpenAIChatProvider(endpoint: ProviderEndpoint(preset: ProviderPreset.named("vllm")!, baseURL: "http://a/v1", route: .completions)),
            AnthropicProvider(endpoint: ProviderEndpoint(preset: ProviderPreset.named("anthropic")!, baseURL: "http://a")),
            OllamaProvider(endpoint: ProviderEndpoint(preset: ProviderPreset.named("ollama")!, baseURL: "http://a")),
        ]
        var request = ChatRequest(model: "m", messages: [.system("p \"quoted\"\n\u{1}é"), .user("q")])
        request.sampleIndex = 2
        for provider in providers {
            let identity = provider.requestIdentity(request)
            #expect(identity != nil)
            let key = try #require(RecordedRunner.requestHash(provider: provider, request: request))
            #expect(CacheKey.digest(of: key) == identity.map { Digest.sha256("\(provider.name)\n\($0)\nsample=2") })
            let group = CacheKey.group(provider: provider.name, model: "m", query: request.query)
            #expect(key.prefix(8) == String(format: "%08x", group))
            // The shared-prefix hasher makes the same key.
            var hasher = SharedPrefixHasher()
            for _ in 0..<3 { #expect(RecordedRunner.requestHash(provider: provider, request: request, hasher: &hasher) == key) }
        }
    }

    // MARK: Nothing lost

    @Test func aCancelledRunResumesWithNothingScoredTwice() async throws {
        // Replies past the 14th wait until the cancel, so the run cannot finish first on a busy machine.
        let released = Mutex(false)
        let server = try Self.scorer(delay: 0.01, holdFrom: 14, released: { released.withLock { $0 } })
        defer { server.stop() }
        let path = Self.storePath()
        let store = try RunStore(path: path)
        let data = Fixtures.dataset(queries: 6, candidates: 8)
        var settings = Self.settings(concurrency: 2)
        // A held reply must wait for the cancel, not time out and be asked again first (the
        // full suite loads the machine enough for this loop to miss 5 s).
        settings.timeout = 120
        let plan = try RunPlan(dataset: data, prompt: Self.prompt, settings: settings)
        let resolved = ResolvedRun(dataset: data, prompt: Self.prompt, settings: settings,
                                   provider: .endpoint(Self.provider(server).endpoint, model: settings.model, local: nil), plan: plan)
        let recorded = RecordedRunner(runner: RerankRunner(provider: Self.provider(server), settings: settings), store: store)
        let seen = Mutex(0)
        let task = Task {
            try await recorded.run(resolved) { event in
                if case .pairFinished = event { seen.withLock { $0 += 1 } }
            }
        }
        while seen.withLock({ $0 }) < 10 { try await Task.sleep(nanoseconds: 5_000_000) }
        task.cancel()
        let (stopped, partial) = try await task.value
        released.withLock { $0 = true }
        #expect(partial.stopReason == .cancelled)
        let done = stopped.calledNow
        #expect(done >= 10 && done < 48)
        #expect(try store.run(id: stopped.runID)?.status == "stopped")
        // A fresh process would open the file anew.
        let reopened = try RunStore(path: path)
        #expect(try reopened.results(runID: stopped.runID).count == done)
        let (finished, report) = try await recordedRun(reopened, server, data, settings, useCache: false, resume: stopped.runID)
        #expect(finished.runID == stopped.runID)
        #expect(finished.resumed == done && finished.calledNow == 48 - done)
        #expect(report.complete && report.counts.ok == 48)
        let bodies = server.requests.map(\.body)
        #expect(Set(bodies).count == 48, "each pair asked for once")
        #expect(bodies.count <= 48 + 2, "at most the calls in flight at the cancel were repeated")
        #expect(try reopened.run(id: stopped.runID)?.status == "complete")
    }

    @Test func aBatchOfCallsKeepsTheRunsCountsAndReplacesARetriedFailure() throws {
        let store = try RunStore(path: Self.storePath())
        let data = Fixtures.dataset(queries: 1, candidates: 3)
        let settings = Self.settings()
        let id = try store.beginRun(prompt: Self.prompt, settings: settings, dataset: data, planned: 3)
        let q = data.queries[0]
        func ok(_ i: Int, _ text: String) -> PairResult {
            PairResult(queryID: q.id, candidateID: q.candidates[i].id, sampleIndex: 0,
                       reply: ChatReply(text: text, finishReason: "stop", usage: TokenUsage(promptTokens: 40, completionTokens: 2)),
                       attempts: 1, latency: 0.1)
        }
        let failed = PairResult(queryID: q.id, candidateID: q.candidates[2].id, sampleIndex: 0, reply: nil,
                                error: "HTTP 500", errorKind: "http", attempts: 2, latency: 0.2)
        let parser = ScoreParserKind.mem0.makeParser(scale: .unit)
        try store.record(runID: id, calls: [
            .init(result: ok(0, "0.9"), requestHash: "h0", parsed: parser.parse(ok(0, "0.9").reply!), cached: false),
            .init(result: ok(1, "0.2"), requestHash: "h1", parsed: parser.parse(ok(1, "0.2").reply!), cached: true),
            .init(result: failed, requestHash: "h2", parsed: nil, cached: false),
        ], provider: "vllm", model: "test-model")
        var run = try #require(try store.run(id: id))
        #expect(run.done == 3 && run.failed == 1 && run.cached == 1 && run.promptTokens == 80)
        // Only the new successful call enters the cache (not the cache hit, not the failure).
        #expect(try store.cachedReplies(["h0", "h1", "h2"]).keys.sorted() == ["h0"])

        // The resume's answer for the failed pair replaces it: counted once, no longer failed.
        try store.record(runID: id, calls: [.init(result: ok(2, "0.4"), requestHash: "h2", parsed: parser.parse(ok(2, "0.4").reply!), cached: false)],
                         provider: "vllm", model: "test-model")
        run = try #require(try store.run(id: id))
        #expect(run.done == 3 && run.failed == 0 && run.cached == 1 && run.promptTokens == 120)
        let results = try store.results(runID: id)
        #expect(results.count == 3)
        #expect(results.first { $0.candidateID == q.candidates[2].id }?.reply?.text == "0.4")
        #expect(try store.cachedReplies(["h2"])["h2"]?.reply.text == "0.4")
    }

    // MARK: Schema and damaged files

    @Test func migratesAStoreWrittenByTheFirstSchema() throws {
        let path = Self.storePath()
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: "v1-runs-and-results")
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO run (started_at, status, prompt_name, prompt_text, prompt_hash, provider, model, settings_json,
                                     dataset_path, dataset_hash, planned, done)
                    VALUES ('2026-01-01 10:00:00.000', 'complete', 'old prompt', 'text', 'h', 'openai', 'gpt-4o-mini', '{}', 'd.jsonl', 'dh', 10, 10)
                    """)
                try db.execute(sql: "INSERT INTO result (run_id, query_id, candidate_id, sample_index, reply_text, recorded_at) VALUES (1, 'q', 'c', 0, '0.9', '2026-01-01 10:00:00.000')")
            }
        }
        let store = try RunStore(path: path)
        let old = try #require(try store.run(id: 1))
        #expect(old.promptName == "old prompt" && old.cached == 0 && old.label == nil)
        #expect(try store.results(runID: 1).count == 1)
        #expect(try store.cacheStats().entries == 0)
        let applied = try store.pool.read { db in try StoreSchema.migrator.appliedIdentifiers(db) }
        #expect(applied.contains("v2-response-cache"))
    }

    @Test func refusesAFileThatIsNotADatabaseAndLeavesItAlone() throws {
        let path = Self.storePath()
        let junk = Data("name,score\nx,1\n".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: junk)
        #expect {
            _ = try RunStore(path: path)
        } throws: { error in
            "\(error)".contains("not an SQLite database") && "\(error)".contains(path)
        }
        #expect(FileManager.default.contents(atPath: path) == junk)
    }

    @Test func refusesAForeignSQLiteDatabase() throws {
        let path = Self.storePath()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)") }
        #expect {
            _ = try RunStore(path: path)
        } throws: { error in
            "\(error)".contains("not a RerankBench store") && "\(error)".contains("users")
        }
    }

    @Test func refusesADamagedStore() throws {
        let path = Self.storePath()
        do {
            let store = try RunStore(path: path)
            for i in 0..<200 {
                _ = try store.beginRun(prompt: ScoringPrompt(name: "p\(i)", text: String(repeating: "x", count: 500)),
                                       settings: Self.settings(), dataset: Fixtures.dataset(queries: 1, candidates: 1), planned: 1)
            }
        }
        // Checkpoint the WAL into the main file, then overwrite pages past the header.
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        try handle.seek(toOffset: 4096 * 2)
        handle.write(Data(repeating: 0xA5, count: 4096 * 6))
        try handle.close()
        #expect {
            _ = try RunStore(path: path)
        } throws: { error in
            "\(error)".contains("damaged") && "\(error)".contains(path)
        }
    }

    @Test func refusesAStoreFromANewerVersion() throws {
        let path = Self.storePath()
        _ = try RunStore(path: path)
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')") }
        try queue.close()
        #expect {
            _ = try RunStore(path: path)
        } throws: { error in
            "\(error)".contains("newer RerankBench")
        }
    }

    @Test func runReferences() throws {
        let store = try RunStore(path: Self.storePath())
        let data = Fixtures.dataset(queries: 1, candidates: 1)
        for _ in 0..<3 { _ = try store.beginRun(prompt: Self.prompt, settings: Self.settings(), dataset: data, planned: 1) }
        #expect(try store.resolve("last") == 3)
        #expect(try store.resolve("last~2") == 1)
        #expect(try store.resolve("#2") == 2)
        #expect(throws: StoreError.self) { try store.resolve("9") }
        #expect(throws: StoreError.self) { try store.resolve("last~5") }
        #expect(throws: StoreError.self) { try store.resolve("yesterday") }
    }

    // MARK: Recordings

    @Test func aRecordingReplaysTheSameReport() async throws {
        let server = try Self.scorer()
        defer { server.stop() }
        let store = try RunStore(path: Self.storePath())
        let data = Fixtures.dataset(queries: 3, candidates: 4)
        let settings = Self.settings(samples: 2)
        let (outcome, original) = try await recordedRun(store, server, data, settings)
        let plan = try RunPlan(dataset: data, prompt: Self.prompt, settings: settings)
        let text = Recording.write(results: outcome.outcome.results, plan: plan, dataset: data, prompt: Self.prompt,
                                   settings: settings, runID: outcome.runID)
        let file = Fixtures.write(text, name: "rec.jsonl")
        let replay = try ReplayProvider(path: file)
        #expect(replay.callCount == 24 && replay.header.model == "test-model")
        var replaySettings = settings
        replaySettings.provider = "replay"
        let replayed = await RerankRunner(provider: replay, settings: replaySettings).run(plan, dataset: data)
        let report = RunReportBuilder(dataset: data, prompt: Self.prompt, settings: replaySettings).build(results: replayed.results)
        #expect(report.rerankedMean == original.rerankedMean)
        #expect(report.counts.ok == 24)
        #expect(server.requests.count == 24)
        // Another prompt is not in the recording: the run stops instead of inventing scores.
        let otherPlan = try RunPlan(dataset: data, prompt: ScoringPrompt(name: "other", text: "Rate it."), settings: replaySettings)
        let other = await RerankRunner(provider: replay, settings: replaySettings).run(otherPlan, dataset: data)
        guard case .configuration = other.stopReason else {
            Issue.record("expected a configuration stop, got \(String(describing: other.stopReason))")
            return
        }
    }

    @Test func aBrokenRecordingNamesTheLine() {
        let file = Fixtures.write("{\"rerankbench_recording\": 1, \"provider\": \"openai\", \"model\": \"m\", \"prompt_name\": \"p\", \"prompt_sha256\": \"h\", \"dataset_path\": \"d\", \"dataset_sha256\": \"h\", \"calls\": 1}\n{\"key\": \"k\"}\n", name: "rec.jsonl")
        #expect {
            _ = try ReplayProvider(path: file)
        } throws: { error in
            "\(error)".contains("rec.jsonl:2") && "\(error)".contains("query_id")
        }
    }
}
