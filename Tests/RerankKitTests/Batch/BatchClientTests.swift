import Foundation
import RerankKit
import RerankTestSupport
import Synchronization
import Testing

/// Runs through the providers' batch APIs, end to end against the loopback batch server:
/// submit, poll, collect into the store, finish through the recorded path.
@Suite struct BatchClientTests {
    static let key = "sk-batch-SECRET-0123456789abcdef"
    static let prompt = BuiltinPrompts.mem0SystemPrompt

    static func answer(_ r: RecordedRequest) -> String? {
        guard let pair = r.pair else { return "0.5" }
        return "Score: " + Fixtures.score(query: pair.query, document: pair.document).formatted(decimals: 3)
    }

    static func server(failing: @escaping @Sendable (String, Int) -> String? = { _, _ in nil }, pollsBeforeEnd: Int = 1,
                       expireAfter: Int? = nil, answeredBeforeCancel: Int = 0) throws -> FakeBatchServer {
        try FakeBatchServer(.init(answer: answer, failing: failing, pollsBeforeEnd: pollsBeforeEnd, expireAfter: expireAfter,
                                  answeredBeforeCancel: answeredBeforeCancel, key: key))
    }

    static func storePath() -> String {
        (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("store.sqlite")
    }

    /// One provider's run of `dataset` against `server`: what the front ends resolve.
    struct Setup {
        var resolved: ResolvedRun
        var live: any ChatProvider
        var endpoint: ProviderEndpoint

        init(_ provider: String, _ server: FakeBatchServer, dataset: Dataset, samples: Int = 1) throws {
            let preset = ProviderPreset.named(provider)!
            let base = provider == "openai" ? server.baseURL + "/v1" : server.baseURL
            endpoint = ProviderEndpoint(preset: preset, baseURL: base, apiKey: BatchClientTests.key, keySource: "test",
                                        azureDeployment: provider == "azure_openai" ? "batch-deployment" : nil,
                                        azureAPIVersion: provider == "azure_openai" ? "2024-10-21" : nil)
            live = ProviderFactory.make(endpoint: endpoint)
            let model = provider == "anthropic" ? "claude-haiku-4-5" : "gpt-4o-mini"
            let settings = RunSettings(provider: provider, model: model, samples: samples, concurrency: 4,
                                       retry: RetryPolicy(maxRetries: 0), timeout: 10, baseURL: base)
            let plan = try RunPlan(dataset: dataset, prompt: BatchClientTests.prompt, settings: settings)
            resolved = ResolvedRun(dataset: dataset, prompt: BatchClientTests.prompt, settings: settings,
                                   provider: .endpoint(endpoint, model: model, local: nil), plan: plan)
        }

        func client(_ store: RunStore, limits: BatchLimits? = nil) -> BatchClient {
            BatchClient(store: store, api: BatchAPIFactory.make(endpoint: endpoint, limits: limits)!)
        }

        /// Begins a run and submits its misses.
        func submit(_ store: RunStore, limits: BatchLimits? = nil, resume: Int64? = nil) async throws -> (Int64, [StoredBatch]) {
            let runID = try resume ?? store.beginRun(prompt: resolved.prompt, settings: resolved.settings, dataset: resolved.dataset, planned: resolved.plan.count)
            let misses = try BatchClient.misses(plan: resolved.plan, dataset: resolved.dataset, live: live, store: store, runID: resume, useCache: true)
            return (runID, try await client(store, limits: limits).submit(misses, runID: runID, model: resolved.settings.model))
        }

        /// Waits for the run's batches and finishes it from them, at the batch price.
        func finish(_ store: RunStore, runID: Int64, limits: BatchLimits? = nil) async throws -> (RecordedRunner.Outcome, RunReport) {
            try await client(store, limits: limits).waitForRun(runID, interval: 0.01, onUpdate: { _ in }, onRetry: { _, _ in })
            let provider = try BatchClient.finishingProvider(live: live, store: store, runID: runID)
            let runner = RerankRunner(provider: provider, settings: resolved.settings, prices: PriceTable.bundled.forBatch(provider: resolved.settings.provider))
            let result = try await RecordedRunner(runner: runner, store: store).run(resolved, resume: runID)
            try store.markBatchesApplied(runID: runID)
            return result
        }

        /// The same run made live (on `store`).
        func liveRun(_ store: RunStore, resume: Int64? = nil) async throws -> (RecordedRunner.Outcome, RunReport) {
            try await RecordedRunner(runner: RerankRunner(provider: live, settings: resolved.settings), store: store).run(resolved, resume: resume)
        }
    }

    static func ranks(_ report: RunReport) -> [[String: Int?]] {
        report.queries.map { q in Dictionary(uniqueKeysWithValues: q.candidates.map { ($0.id, $0.newRank) }) }
    }

    @Test(arguments: ["openai", "azure_openai", "anthropic"])
    func aBatchRunReportsWhatALiveRunReports(provider: String) async throws {
        let server = try Self.server(pollsBeforeEnd: 2)
        defer { server.stop() }
        let dataset = Fixtures.dataset(queries: 3, candidates: 4)
        let setup = try Setup(provider, server, dataset: dataset)
        let store = try RunStore(path: Self.storePath())
        let (runID, batches) = try await setup.submit(store)
        #expect(batches.count == 1 && batches[0].requests == 12)
        let (outcome, report) = try await setup.finish(store, runID: runID)
        #expect(outcome.calledNow == 12 && outcome.cachedNow == 0)
        #expect(report.counts.failed == 0 && report.complete)
        let row = try #require(try store.batches(runID: runID).first)
        #expect(row.isCollected && row.appliedAt != nil && row.succeeded == 12)

        // Each line's body is the live call's body (Azure names its deployment there instead).
        let first = setup.resolved.plan.tasks[0].request
        // The custom_id is the cache key's digest (`CacheKey`): 64 characters, as Anthropic allows.
        let hash = CacheKey.digest(of: try #require(RecordedRunner.requestHash(provider: setup.live, request: first)))
        #expect(server.batches.allSatisfy { $0.customIDs.allSatisfy { $0.utf8.count == 64 } })
        let sent = try #require(server.batches.first.flatMap { b in b.customIDs.firstIndex(of: hash).map { b.bodies[$0] } })
        var expected: JSONValue
        switch setup.live {
        case let p as OpenAIChatProvider: expected = p.body(first)
        case let p as AnthropicProvider: expected = p.body(first)
        default: Issue.record("unexpected provider"); return
        }
        if provider == "azure_openai", case let .object(fields) = expected {
            expected = .object(fields.map { $0.0 == "model" ? ("model", .string("batch-deployment")) : $0 })
        }
        #expect(sent == expected)

        // The same scores live, on another store, give the same report.
        let liveStore = try RunStore(path: Self.storePath())
        let (_, liveReport) = try await setup.liveRun(liveStore)
        #expect(Self.ranks(report) == Self.ranks(liveReport))
        #expect(report.rerankedMean == liveReport.rerankedMean)
        // At half the price.
        let live = try #require(liveReport.cost), batch = try #require(report.cost)
        #expect(abs(batch - live / 2) < 1e-12)

        // The replies went into the cache under the live requests' hashes: a live re-run calls nothing.
        let before = server.requests.count
        let (again, _) = try await setup.liveRun(store)
        #expect(again.cachedNow == 12 && again.calledNow == 0 && server.requests.count == before)
        // The key reached the server and never the store.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store.path)) + ((try? Data(contentsOf: URL(fileURLWithPath: store.path + "-wal"))) ?? Data())
        #expect(bytes.range(of: Data(Self.key.utf8)) == nil)
    }

    @Test func requestsAreChunkedToTheLimitsOnCountAndBytes() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let setup = try Setup("openai", server, dataset: Fixtures.dataset(queries: 3, candidates: 4))
        let store = try RunStore(path: Self.storePath())
        let (_, byCount) = try await setup.submit(store, limits: BatchLimits(maxRequests: 5, maxBytes: 1 << 20))
        #expect(byCount.map(\.requests) == [5, 5, 2])
        #expect(server.batches.map(\.customIDs.count) == [5, 5, 2])

        let api = BatchAPIFactory.make(endpoint: setup.endpoint)!
        let hash = CacheKey.digest(of: RecordedRunner.requestHash(provider: setup.live, request: setup.resolved.plan.tasks[0].request)!)
        let line = api.encode(BatchRequest(customID: hash, request: setup.resolved.plan.tasks[0].request)).count + 1
        let other = try RunStore(path: Self.storePath())
        let (_, byBytes) = try await setup.submit(other, limits: BatchLimits(maxRequests: 100, maxBytes: line * 3 + 2))
        #expect(byBytes.count == 4 && byBytes.allSatisfy { $0.requests == 3 })
        // Every file uploaded stays within its limit.
        let uploads = server.requests.filter { $0.path.hasSuffix("/files") }.suffix(4)
        #expect(uploads.allSatisfy { $0.body.split(separator: "\n").filter { $0.hasPrefix("{\"custom_id\"") }.count <= 3 })
    }

    @Test func theChunkerKeepsOrderAndRefusesARequestLargerThanABatch() throws {
        let limits = BatchLimits(maxRequests: 3, maxBytes: 100)
        #expect(try BatchChunker.chunks(sizes: [10, 10, 10, 10], limits: limits) == [0..<3, 3..<4])
        #expect(try BatchChunker.chunks(sizes: [60, 30, 20, 90], limits: limits) == [0..<2, 2..<3, 3..<4])
        #expect(try BatchChunker.chunks(sizes: [40, 40], limits: limits, overhead: 30) == [0..<1, 1..<2])
        #expect(try BatchChunker.chunks(sizes: [], limits: limits) == [])
        #expect(throws: BatchTooLarge(index: 1, bytes: 101, limit: 100)) { try BatchChunker.chunks(sizes: [1, 101], limits: limits) }
    }

    @Test(arguments: ["openai", "anthropic"])
    func failedRequestsBecomeFailedPairsThatAResumeAsksAgain(provider: String) async throws {
        let server = try Self.server(failing: { _, i in i == 1 || i == 6 ? "this request is malformed" : nil })
        defer { server.stop() }
        let setup = try Setup(provider, server, dataset: Fixtures.dataset(queries: 3, candidates: 4))
        let store = try RunStore(path: Self.storePath())
        let (runID, _) = try await setup.submit(store)
        let (_, report) = try await setup.finish(store, runID: runID)
        #expect(report.counts.failed == 2)
        let failed = try store.results(runID: runID).filter { $0.reply == nil }
        #expect(failed.count == 2 && failed.allSatisfy { $0.error?.contains("this request is malformed") == true })
        #expect(try store.batches(runID: runID)[0].failed == 2)

        // A live resume asks for exactly those two.
        let before = server.requests.count
        let (resumed, again) = try await setup.liveRun(store, resume: runID)
        #expect(resumed.calledNow == 2 && server.requests.count == before + 2)
        #expect(again.counts.failed == 0)
    }

    @Test(arguments: ["openai", "anthropic"])
    func anExpiredBatchLeavesItsUnansweredPairsToAResumeInBatch(provider: String) async throws {
        let server = try Self.server(expireAfter: 5)
        defer { server.stop() }
        let setup = try Setup(provider, server, dataset: Fixtures.dataset(queries: 3, candidates: 4))
        let store = try RunStore(path: Self.storePath())
        let (runID, _) = try await setup.submit(store)
        let (_, report) = try await setup.finish(store, runID: runID)
        #expect(report.counts.failed == 7)
        #expect(try store.batches(runID: runID)[0].providerStatus == (provider == "openai" ? "expired" : "ended"))
        let errors = try store.results(runID: runID).compactMap(\.error)
        #expect(errors.count == 7 && errors.allSatisfy { $0.contains("expired") })

        // A resume in batch submits only those seven.
        let (_, again) = try await setup.submit(store, resume: runID)
        #expect(again.map(\.requests) == [7])
        #expect(server.batches.last?.customIDs.count == 7)
    }

    @Test(arguments: ["openai", "anthropic"])
    func aCancelledBatchKeepsWhatItAnswered(provider: String) async throws {
        let server = try Self.server(pollsBeforeEnd: 1000, answeredBeforeCancel: 3)
        defer { server.stop() }
        let setup = try Setup(provider, server, dataset: Fixtures.dataset(queries: 2, candidates: 4))
        let store = try RunStore(path: Self.storePath())
        let (runID, batches) = try await setup.submit(store)
        let client = setup.client(store)
        let polled = try await client.poll(batches[0])
        #expect(!polled.batchPhase.hasEnded)
        let cancelled = try await client.cancel(polled)
        #expect(cancelled.batchPhase == .cancelling)
        #expect(server.requests.last?.path.hasSuffix("/\(batches[0].remoteId)/cancel") == true)
        let (_, report) = try await setup.finish(store, runID: runID)
        #expect(try store.batches(runID: runID)[0].batchPhase == .cancelled)
        #expect(report.counts.failed == 5 && report.counts.planned == 8)
    }

    @Test func anotherProcessCollectsWhatOneSubmitted() async throws {
        let server = try Self.server(pollsBeforeEnd: 3)
        defer { server.stop() }
        let setup = try Setup("azure_openai", server, dataset: Fixtures.dataset(queries: 2, candidates: 3))
        let path = Self.storePath()
        var runID: Int64 = 0
        do {
            let store = try RunStore(path: path)
            (runID, _) = try await setup.submit(store)
        }
        // A new store handle, with only what the store kept (and a key from the environment).
        let store = try RunStore(path: path)
        let row = try #require(try store.batches().first)
        #expect(row.runId == runID && row.provider == "azure_openai" && row.azureDeployment == "batch-deployment" && !row.isCollected)
        let endpoint = try #require(row.endpoint(apiKey: Self.key, keySource: "AZURE_OPENAI_API_KEY"))
        let client = BatchClient(store: store, api: try #require(BatchAPIFactory.make(endpoint: endpoint)))
        try await client.waitForRun(runID, interval: 0.01, onUpdate: { _ in }, onRetry: { _, _ in })
        #expect(try store.batch(row.remoteId).isCollected)
        let (outcome, report) = try await setup.finish(store, runID: runID)
        #expect(outcome.calledNow == 6 && report.complete && report.counts.failed == 0)
        // Azure's paths, version and key header.
        let azure = server.requests.filter { $0.path.hasPrefix("/openai/") }
        #expect(!azure.isEmpty && azure.allSatisfy { $0.uri.contains("api-version=2024-10-21") && $0.header("api-key") == Self.key })
    }

    @Test func onlyCacheMissesAreSubmitted() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let dataset = Fixtures.dataset(queries: 3, candidates: 4)
        let store = try RunStore(path: Self.storePath())
        // One query scored live first: its four replies are cached.
        let first = Dataset(path: dataset.path, queries: [dataset.queries[0]])
        _ = try await Setup("openai", server, dataset: first).liveRun(store)
        let setup = try Setup("openai", server, dataset: dataset, samples: 2)
        let (runID, batches) = try await setup.submit(store)
        // 12 pairs x 2 samples, less the 4 cached sample-0 replies.
        #expect(batches.map(\.requests) == [20])
        let (outcome, report) = try await setup.finish(store, runID: runID)
        #expect(outcome.cachedNow == 4 && outcome.calledNow == 20 && report.complete)
    }
}
