import Foundation

/// Runs a run's calls through a provider's batch API, with the store as the memory: finds what
/// the run still needs (cache misses only), submits it in batches within the API's limits,
/// polls, collects the results into the store, and hands the run a provider that answers from
/// them. Every step is recorded as it happens, so another process (or machine) with the same
/// store can take over at any point: `rerank-eval batches`, `run --resume`.
public struct BatchClient: Sendable {
    public let store: RunStore
    public let api: any BatchAPI

    public init(store: RunStore, api: any BatchAPI) {
        self.store = store
        self.api = api
    }

    /// What run `runID` (nil: a new run) still needs from the provider: the plan's requests with
    /// no successful result in the run, and (with `useCache`) none in the response cache; one
    /// request per cache hash (the same text twice is asked once).
    public static func misses(plan: RunPlan, dataset: Dataset, live: any ChatProvider, store: RunStore, runID: Int64?,
                              useCache: Bool) throws(StoreError) -> [BatchRequest] {
        var requests: [BatchRequest] = []
        // Each request's cache key; its custom_id is the key's digest (`CacheKey`: Anthropic
        // allows 64 characters, and so a batch sent before migration v10 still maps back).
        var keys: [String] = []
        var seen: Set<String> = []
        // By windows of queries, as a run goes: the plan renders its requests a window at a time.
        for window in plan.windows(pairs: 20_000) {
            var done: Set<PairKey> = []
            if let runID {
                done = Set(try store.results(runID: runID, queryIDs: dataset.queries[window].map(\.id)).filter { $0.reply != nil }.map(\.key))
            }
            for task in plan.tasks(queries: window) {
                if !done.isEmpty, done.contains(RerankRunner.key(task, dataset)) { continue }
                guard let hash = RecordedRunner.requestHash(provider: live, request: task.request), seen.insert(hash).inserted else { continue }
                requests.append(BatchRequest(customID: CacheKey.digest(of: hash), request: task.request))
                keys.append(hash)
            }
        }
        guard useCache else { return requests }
        let cached = try store.cachedHashes(keys)
        return zip(requests, keys).filter { !cached.contains($0.1) }.map(\.0)
    }

    /// Why requests could not be submitted.
    public struct SubmitError: Error, Sendable, CustomStringConvertible {
        public var description: String
        /// Batches created before the failure (recorded in the store).
        public var submitted: [StoredBatch]
    }

    /// Submits `requests` for run `runID` in as many batches as the API's limits need, each
    /// recorded in the store as soon as the provider has created it.
    public func submit(_ requests: [BatchRequest], runID: Int64, model: String) async throws(SubmitError) -> [StoredBatch] {
        let encoded = requests.map { api.encode($0) }
        let ranges: [Range<Int>]
        do {
            ranges = try BatchChunker.chunks(sizes: encoded.map { $0.count + 1 }, limits: api.limits, overhead: api.overhead)
        } catch {
            throw SubmitError(description: "one request is \(error.bytes) bytes, more than a whole batch may hold (\(error.limit) bytes); shorten the prompt or the memory, or make these calls live", submitted: [])
        }
        var submitted: [StoredBatch] = []
        for range in ranges {
            do {
                let status = try await api.submit(Array(encoded[range]))
                let row = StoredBatch(runID: runID, endpoint: api.endpoint, model: model, requests: range.count, status: status, date: Date())
                submitted.append(try store.insertBatch(row))
            } catch {
                let done = submitted.isEmpty ? "" : " (\(submitted.count) of \(ranges.count) batches were submitted before it and are kept)"
                throw SubmitError(description: "submitting a batch of \(range.count) requests failed: \(error)\(done)", submitted: submitted)
            }
        }
        return submitted
    }

    /// Asks the provider about `batch` and records the answer.
    public func poll(_ batch: StoredBatch) async throws -> StoredBatch {
        guard !batch.isCollected, let id = batch.id else { return batch }
        return try store.updateBatch(id: id, status: try await api.status(batch.remoteId))
    }

    /// Polls `batch`, and collects it if it has ended.
    public func refresh(_ batch: StoredBatch) async throws -> StoredBatch {
        let row = try await poll(batch)
        return row.batchPhase.hasEnded ? try await collect(row) : row
    }

    /// Reads an ended batch's results into the store.
    public func collect(_ batch: StoredBatch) async throws -> StoredBatch {
        guard !batch.isCollected, let id = batch.id else { return batch }
        let status = batch.lastStatus
        let items = try await api.results(status)
        return try store.saveBatchResults(id: id, items: items, status: status)
    }

    /// Asks the provider to cancel `batch` and records its answer.
    public func cancel(_ batch: StoredBatch) async throws -> StoredBatch {
        guard let id = batch.id else { return batch }
        let status = try await api.cancel(batch.remoteId)
        return try store.updateBatch(id: id, status: status)
    }

    /// Polls every uncollected batch of run `runID` each `interval` seconds until all are
    /// collected. A poll that fails in a way worth retrying (a 5xx, a dropped connection) is
    /// reported and tried again at the next interval. Throws `CancellationError` when cancelled.
    public func waitForRun(_ runID: Int64, interval: Double, clock: any RunClock = SystemRunClock(),
                           onUpdate: @Sendable (StoredBatch) -> Void, onRetry: @Sendable (StoredBatch, ProviderError) -> Void) async throws {
        while true {
            let open = try store.batches(runID: runID).filter { !$0.isCollected }
            if open.isEmpty { return }
            for batch in open {
                try Task.checkCancellation()
                do {
                    onUpdate(try await refresh(batch))
                } catch let error as ProviderError where error.isRetryable {
                    onRetry(batch, error)
                } catch let error as ProviderError where error == .cancelled {
                    throw CancellationError()
                }
            }
            if try store.batches(runID: runID).allSatisfy(\.isCollected) { return }
            try await clock.sleep(seconds: interval)
        }
    }

    /// The provider that finishes run `runID` from its collected batches.
    public static func finishingProvider(live: any ChatProvider, store: RunStore, runID: Int64) throws(StoreError) -> BatchReplyProvider {
        BatchReplyProvider(live: live, outcomes: try store.batchOutcomes(runID: runID), runID: runID)
    }
}
