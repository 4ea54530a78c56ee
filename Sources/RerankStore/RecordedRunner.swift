import RerankCore
import Foundation

/// A window of a run made ready before its calls (`RecordedRunner.prepare`), then given its
/// calls' results.
///
/// Its results are kept by task position, as its report reads them (`PositionalResults`):
/// cache hits go in by their task's index; results known by key (a resume's, new calls')
/// through a table from key to position, made only when there are some.
private struct PreparedWindow: Sendable {
    let samples: Int
    let tasks: [PairTask]
    /// Where each query's slots begin.
    let starts: [Int]
    /// What a resume keeps (the pairs that succeeded before), and their keys.
    let resumed: [PairResult]
    let skip: Set<PairKey>
    var slots: [PairResult?]
    var slotCached: [Bool]
    private var slotOfKey: [PairKey: Int] = [:]
    /// Each task's pair and cache key, in task order (nil: settled before a resume, or not cacheable).
    var identities: [(key: PairKey, hash: String)?] = []
    /// What the cache answered, a share's calls at a time as the shares made them (to record,
    /// without copying each into one array; none when it was not asked), and which tasks.
    var calls: [[RunStore.RecordedCall]] = []
    var hitCount: Int { calls.reduce(0) { $0 + $1.count } }
    var answered: [Bool]

    init(window: Range<Int>, dataset: Dataset, samples: Int, tasks: [PairTask], resumed: [PairResult], skip: Set<PairKey>) {
        self.samples = samples
        self.tasks = tasks
        self.resumed = resumed
        self.skip = skip
        let (starts, slotCount) = RunPlan.offsets(of: window, in: dataset, samples: samples)
        self.starts = starts
        // A task's index is its slot: the plan lists a window's calls query by query,
        // candidate by candidate, sample by sample.
        assert(slotCount == tasks.count, "the plan's tasks are not the window's slots")
        slots = [PairResult?](repeating: nil, count: slotCount)
        slotCached = [Bool](repeating: false, count: slotCount)
        answered = [Bool](repeating: false, count: slotCount)
    }

    /// Puts results known by key in their tasks' slots.
    mutating func place(_ found: [PairResult], cached: Set<PairKey>, dataset: Dataset) {
        guard !found.isEmpty else { return }
        if slotOfKey.isEmpty {
            slotOfKey.reserveCapacity(tasks.count)
            for i in tasks.indices { slotOfKey[RerankRunner.key(tasks[i], dataset)] = i }
        }
        for r in found {
            guard let i = slotOfKey[r.key] else { continue }
            slots[i] = r
            slotCached[i] = cached.contains(r.key)
        }
    }
}

/// What one share of a window's identities and cache lookups found (`RecordedRunner.prepare`).
private struct WindowShare: Sendable {
    /// Each task's pair and cache key, in task order (nil: settled before a resume, or not cacheable).
    var identities: [(key: PairKey, hash: String)?]
    /// The cache's answers, to record, and their tasks' indices in the window.
    var calls: [RunStore.RecordedCall] = []
    var hitIndices: [Int] = []
}

/// A run that goes through the store: answered from the response cache where the same request
/// was made before, every new call recorded as it completes, resumable after a kill.
public struct RecordedRunner: Sendable {
    public var runner: RerankRunner
    public var store: RunStore
    /// Reuse cached replies (turning the cache off stops this; replies are still recorded).
    public var useCache: Bool
    /// About how many calls a window holds (see `run`). 10,000: two windows in memory at once
    /// stayed near what one window of 20,000 took, at the same speed on 31,000 pairs.
    public var windowPairs: Int

    public init(runner: RerankRunner, store: RunStore, useCache: Bool = true, windowPairs: Int = 10_000) {
        self.runner = runner
        self.store = store
        self.useCache = useCache
        self.windowPairs = windowPairs
    }

    /// What a recorded run produced.
    public struct Outcome: Sendable {
        public var runID: Int64
        /// Every completed call of the run, including those done before a resume and cache hits.
        public var outcome: RunOutcome
        /// Calls answered from the cache in this invocation.
        public var cachedNow: Int
        /// Calls already done before the run was resumed.
        public var resumed: Int
        /// Calls made to the provider in this invocation.
        public var calledNow: Int
        /// Set when results could not be saved (the run itself went on).
        public var storeError: StoreError?
    }

    /// The cache key of one call (`CacheKey`): its group, then the hash of the provider's full
    /// wire request plus the sample index, so repeated samples of the same pair are cached
    /// independently. Nil when not cacheable.
    public static func requestHash(provider: any ChatProvider, request: ChatRequest) -> String? {
        identityBytes(provider: provider, request: request).map {
            Digest.sha256(bytes: $0, prefix: cacheGroup(provider: provider, request: request))
        }
    }

    static func cacheGroup(provider: any ChatProvider, request: ChatRequest) -> UInt32 {
        CacheKey.group(provider: provider.name, model: request.model, query: request.query)
    }

    /// The same key, hashing only what this request does not share with the hasher's earlier
    /// ones (a run's requests differ only in their query and memory).
    public static func requestHash(provider: any ChatProvider, request: ChatRequest, hasher: inout SharedPrefixHasher) -> String? {
        var bytes: [UInt8] = []
        return requestHash(provider: provider, request: request, hasher: &hasher, scratch: &bytes)
    }

    /// The same, the identity written into `scratch` (emptied first, its room kept): a window's
    /// share makes thousands of keys in one buffer instead of growing a new one for each.
    static func requestHash(provider: any ChatProvider, request: ChatRequest, hasher: inout SharedPrefixHasher,
                            scratch: inout [UInt8]) -> String? {
        scratch.removeAll(keepingCapacity: true)
        guard appendIdentity(provider: provider, request: request, to: &scratch) else { return nil }
        return hasher.sha256(scratch, prefix: cacheGroup(provider: provider, request: request))
    }

    /// "NAME\nIDENTITY\nsample=N" as bytes: the key is the hash of that text.
    private static func identityBytes(provider: any ChatProvider, request: ChatRequest) -> [UInt8]? {
        var bytes: [UInt8] = []
        return appendIdentity(provider: provider, request: request, to: &bytes) ? bytes : nil
    }

    private static func appendIdentity(provider: any ChatProvider, request: ChatRequest, to bytes: inout [UInt8]) -> Bool {
        bytes.append(contentsOf: provider.name.utf8)
        bytes.append(UInt8(ascii: "\n"))
        guard provider.appendRequestIdentity(request, to: &bytes) else { return false }
        bytes.append(contentsOf: "\nsample=".utf8)
        bytes.append(contentsOf: String(request.sampleIndex).utf8)
        return true
    }

    /// Runs `resolved` as run `resume` (finishing it) or as a new run, and stores its report.
    /// The runner's provider makes the calls; `resolved` says what they are.
    ///
    /// The queries go by windows of about `windowPairs` calls: each window is looked up in the
    /// cache, called, recorded and reported, and its requests and results are let go, so a run
    /// of a million pairs holds two windows at a time (issue 16): the next one is made ready
    /// while the last is reported. `onQueries` gets each window's
    /// query reports in dataset order as the window finishes (made on every core). With
    /// `retainQueries` false the returned report has its means and counts but no queries, and the
    /// outcome no results: a front end that needs them reads them back from the store.
    public func run(_ resolved: ResolvedRun, resume: Int64? = nil, label: String? = nil, recordTestLook: Bool = true,
                    retainQueries: Bool = true,
                    onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in },
                    onQueries: ([QueryReport]) -> Void = { _ in }) async throws(StoreError) -> (Outcome, RunReport) {
        let settings = resolved.settings
        let plan = resolved.plan, dataset = resolved.dataset, prompt = resolved.prompt
        let windows = plan.windows(pairs: max(1, windowPairs))
        let lookUpFirst = useCache, samples = max(1, settings.samples)
        var upcoming: Task<Result<PreparedWindow, StoreError>, Never>?
        let runID: Int64
        if let resume { runID = resume } else {
            // A new run's first window is made ready (reads only; a run id is read only by a
            // resume) while the run's row is written: both were a fixed cost of every run.
            if let first = windows.first {
                let runner = self
                upcoming = Task.detached {
                    Result { () throws(StoreError) in
                        try runner.prepare(first, plan: plan, samples: samples, resume: nil, runID: 0, lookUp: lookUpFirst)
                    }
                }
            }
            do throws(StoreError) {
                runID = try store.beginRun(prompt: prompt, settings: settings, dataset: dataset, planned: plan.count, label: label,
                                           recordTestLook: recordTestLook)
            } catch {
                _ = await upcoming?.value
                throw error
            }
        }
        let recorder = RunRecorder(store: store, runID: runID, settings: settings, replacing: resume != nil)
        var accumulator = RunReportAccumulator(builder: resolved.builder(prices: runner.prices), retainQueries: retainQueries)
        var retained: [PairResult] = []
        var cachedNow = 0, resumed = 0, calledNow = 0
        var stopReason: StopReason?
        var elapsed = 0.0
        // Progress counts every pair this invocation settles: calls, and cache hits after the
        // first window (the first window's are `restored` before `started`, as a one-window
        // run always did).
        let doneBefore = resume != nil ? try store.completedCount(runID: runID) : 0
        var total = 0, done = 0
        // The recorder's count of queued calls after each window, for holding a window back
        // while the writer is more than one window behind.
        var queuedAfter: [Int] = []
        for (w, window) in windows.enumerated() {
            var prepared: PreparedWindow
            if let upcoming {
                prepared = try await upcoming.value.get()
            } else {
                prepared = try prepare(window, plan: plan, samples: samples, resume: resume, runID: runID, lookUp: lookUpFirst)
            }
            upcoming = nil
            if w >= 2 { await recorder.written(upTo: queuedAfter[w - 2]) }
            // A resume keeps what succeeded and asks again for pairs that failed (a refused key
            // or a server that was down is usually why the run stopped).
            var results = prepared.resumed
            resumed += results.count
            for calls in prepared.calls { recorder.record(calls) }
            let hitCount = prepared.hitCount
            cachedNow += hitCount
            if w == 0 {
                total = plan.count - doneBefore - hitCount
                let restored = results + prepared.calls.joined().map(\.result)
                if !restored.isEmpty { onEvent(.restored(restored)) }
                onEvent(.started(total: total))
            } else {
                for calls in prepared.calls {
                    for call in calls {
                        done += 1
                        onEvent(.pairFinished(call.result, done: done, total: total))
                    }
                }
            }
            // The hits' results are kept only for a caller that takes the run's results back.
            if retainQueries { for calls in prepared.calls { results += calls.lazy.map(\.result) } }
            if stopReason == nil {
                // The cache keys of the calls still to make, for recording their replies.
                var hashesByKey: [PairKey: String] = [:]
                for (i, identity) in prepared.identities.enumerated() where !prepared.answered[i] {
                    if let (key, hash) = identity { hashesByKey[key] = hash }
                }
                let before = done, total = total, hashesToRecord = hashesByKey
                let tasks = prepared.tasks, skip = prepared.skip, answered = prepared.answered
                let pending = hitCount == 0 && skip.isEmpty ? tasks : tasks.indices.compactMap { i -> PairTask? in
                    answered[i] || (!skip.isEmpty && skip.contains(RerankRunner.key(tasks[i], dataset))) ? nil : tasks[i]
                }
                let outcome = await runner.run(pending, dataset: dataset) { event in
                    switch event {
                    case let .pairFinished(result, doneInWindow, _):
                        recorder.record(result, requestHash: hashesToRecord[result.key], cached: false)
                        onEvent(.pairFinished(result, done: before + doneInWindow, total: total))
                    case .retrying: onEvent(event)
                    case .restored, .started, .finished: break
                    }
                }
                done += outcome.results.count
                calledNow += outcome.results.count
                elapsed += outcome.elapsed
                stopReason = outcome.stopReason
                results += outcome.results
                prepared.place(outcome.results, cached: [], dataset: dataset)
            }
            // The next window is made ready (rendered, hashed, looked up: reads only) while this
            // one is reported and written, each using the cores the other leaves idle. Started
            // only now: whether it may use the cache depends on how this window's calls ended.
            if w + 1 < windows.count {
                let next = windows[w + 1], lookUp = useCache && stopReason == nil, runner = self
                upcoming = Task.detached {
                    Result { () throws(StoreError) in try runner.prepare(next, plan: plan, samples: samples, resume: resume, runID: runID, lookUp: lookUp) }
                }
            }
            let builder = accumulator.builder
            let found = PositionalResults(results: prepared.slots, cached: prepared.slotCached, starts: prepared.starts,
                                          samples: prepared.samples)
            let parts = Parallel.map(count: window.count, minimumPerPart: 16) { i in
                builder.queryPart(dataset.queries[window.lowerBound + i], results: found.query(i))
            }
            for part in parts { accumulator.add(part) }
            onQueries(parts.map(\.report))
            if retainQueries { retained += results }
            queuedAfter.append(recorder.queuedCount)
        }
        onEvent(.finished(done: done, total: total, cancelled: stopReason != nil))
        let storeError = await recorder.finish()
        let report = accumulator.report(stopReason: stopReason, elapsed: elapsed)
        var finishError: StoreError?
        do throws(StoreError) { try store.finishRun(id: runID, report: report, cached: report.counts.cached) } catch { finishError = error }
        let all = RunOutcome(results: retained, stopReason: stopReason, elapsed: elapsed)
        return (Outcome(runID: runID, outcome: all, cachedNow: cachedNow, resumed: resumed, calledNow: calledNow,
                        storeError: storeError ?? finishError), report)
    }

    /// Everything about a window that comes before its calls: its tasks, what a resume keeps,
    /// each request's cache key, and (with `lookUp`) the cache's answers. Reads only, so the
    /// next window can be made ready while the last is reported.
    fileprivate func prepare(_ window: Range<Int>, plan: RunPlan, samples: Int, resume: Int64?, runID: Int64,
                             lookUp: Bool) throws(StoreError) -> PreparedWindow {
        let dataset = plan.dataset
        let ids = dataset.queries[window].map(\.id)
        let results = resume != nil ? try store.results(runID: runID, queryIDs: ids).filter { $0.reply != nil } : []
        let skip = Set(results.map(\.key))
        // The calls the cache answered before a resume: they cost this run nothing.
        let cachedBefore = resume != nil ? try store.cachedResultKeys(runID: runID, queryIDs: ids) : []
        let tasks = plan.tasks(queries: window)
        var prepared = PreparedWindow(window: window, dataset: dataset, samples: samples, tasks: tasks,
                                      resumed: results, skip: skip)
        prepared.place(results, cached: cachedBefore, dataset: dataset)
        // Each request's identity, on every core: hashing the wire requests is most of a
        // cached re-run's own work. A pair done before a resume is not hashed; a key is made
        // only for a cacheable call (the baseline's million keys were made for nothing).
        // Each share is hashed and looked up in its own read, in one pass: no core waits for
        // the other's hashing before its lookups begin (0.01 s of 0.34 on 31,000).
        let provider = runner.provider, settled = skip, store = store, legacy = store.mayHoldLegacyKeys
        // A few shares per core, so a core slowed by another process does not hold the
        // window up (`Parallel.map`). Each share also makes its hits' results and records.
        let shareCount = tasks.count >= 4_000 ? ProcessInfo.processInfo.activeProcessorCount * Parallel.partsPerCore : 1
        let shares = Parallel.map(count: shareCount) { part -> Result<WindowShare, StoreError> in
            var hasher = SharedPrefixHasher()
            var scratch: [UInt8] = []
            let range = (tasks.count * part / shareCount)..<(tasks.count * (part + 1) / shareCount)
            let identities = range.map { i -> (key: PairKey, hash: String)? in
                let key = settled.isEmpty ? nil : RerankRunner.key(tasks[i], dataset)
                if let key, settled.contains(key) { return nil }
                guard let h = Self.requestHash(provider: provider, request: tasks[i].request, hasher: &hasher, scratch: &scratch) else {
                    return nil
                }
                return (key ?? RerankRunner.key(tasks[i], dataset), h)
            }
            var share = WindowShare(identities: identities)
            guard lookUp, identities.contains(where: { $0 != nil }) else { return .success(share) }
            let replies: [RunStore.CachedReply?]
            do throws(StoreError) {
                let hashes = identities.map { $0?.hash }
                replies = try store.read { db in try RunStore.cachedReplies(db, hashes[...], legacy: legacy) }
            } catch { return .failure(error) }
            for (k, identity) in identities.enumerated() {
                // The reply keeps the latency of the call that made it; this run spent none.
                guard let (key, hash) = identity, let cached = replies[k] else { continue }
                let result = PairResult(queryID: key.queryID, candidateID: key.candidateID, sampleIndex: key.sampleIndex,
                                        reply: cached.reply, attempts: 1, latency: 0)
                share.calls.append(RunStore.RecordedCall(result: result, requestHash: hash, parsed: nil, cached: true,
                                                         cachedFrom: cached.replyID, fromLegacyKey: cached.fromLegacyKey))
                share.hitIndices.append(range.lowerBound + k)
            }
            return .success(share)
        }
        prepared.identities.reserveCapacity(tasks.count)
        // The window's hits, by task index: a re-run answered wholly from the cache builds no
        // table keyed by pair for them (hashing the pairs' ids was a tenth of its time).
        prepared.calls.reserveCapacity(shares.count)
        for share in shares {
            let share = try share.get()
            prepared.identities += share.identities
            prepared.calls.append(share.calls)
            for (call, i) in zip(share.calls, share.hitIndices) {
                prepared.answered[i] = true
                prepared.slots[i] = call.result
                prepared.slotCached[i] = true
            }
        }
        return prepared
    }
}
