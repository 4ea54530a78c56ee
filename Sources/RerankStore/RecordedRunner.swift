import RerankCore
import Foundation

/// A run that goes through the store: answered from the response cache where the same request
/// was made before, every new call recorded as it completes, resumable after a kill.
public struct RecordedRunner: Sendable {
    public var runner: RerankRunner
    public var store: RunStore
    /// Reuse cached replies (turning the cache off stops this; replies are still recorded).
    public var useCache: Bool

    public init(runner: RerankRunner, store: RunStore, useCache: Bool = true) {
        self.runner = runner
        self.store = store
        self.useCache = useCache
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

    /// The cache key of one call: the provider's full wire request plus the sample index, so
    /// repeated samples of the same pair are cached independently. Nil when not cacheable.
    public static func requestHash(provider: any ChatProvider, request: ChatRequest) -> String? {
        guard let identity = provider.requestIdentity(request) else { return nil }
        return Digest.sha256("\(provider.name)\n\(identity)\nsample=\(request.sampleIndex)")
    }

    /// Runs `resolved` as run `resume` (finishing it) or as a new run, and stores its report.
    /// The runner's provider makes the calls; `resolved` says what they are.
    public func run(_ resolved: ResolvedRun, resume: Int64? = nil, label: String? = nil, recordTestLook: Bool = true,
                    onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) async throws(StoreError) -> (Outcome, RunReport) {
        let settings = resolved.settings
        let plan = resolved.plan, dataset = resolved.dataset, prompt = resolved.prompt
        let builder = resolved.builder(prices: runner.prices)
        let runID: Int64
        if let resume { runID = resume } else {
            runID = try store.beginRun(prompt: prompt, settings: settings, dataset: dataset, planned: plan.count, label: label,
                                         recordTestLook: recordTestLook)
        }
        // A resume keeps what succeeded and asks again for pairs that failed (a refused key or a
        // server that was down is usually why the run stopped).
        var results = resume != nil ? try store.results(runID: runID).filter { $0.reply != nil } : []
        let resumed = results.count
        var skip = Set(results.map(\.key))
        // The calls the cache answered, before a resume and now: they cost this run nothing.
        var cachedKeys = resume != nil ? try store.cachedResultKeys(runID: runID) : []

        let recorder = RunRecorder(store: store, runID: runID, settings: settings)
        var hashes: [PairKey: String] = [:]
        for task in plan.tasks {
            let key = RerankRunner.key(task, dataset)
            if !skip.contains(key), let h = Self.requestHash(provider: runner.provider, request: task.request) { hashes[key] = h }
        }
        var cachedNow = 0
        if useCache, !hashes.isEmpty {
            let replies = try store.cachedReplies(Array(Set(hashes.values)))
            for (key, hash) in hashes.sorted(by: { ($0.key.queryID, $0.key.candidateID, $0.key.sampleIndex) < ($1.key.queryID, $1.key.candidateID, $1.key.sampleIndex) }) {
                // The reply keeps the latency of the call that made it; this run spent none.
                guard let reply = replies[hash] else { continue }
                let result = PairResult(queryID: key.queryID, candidateID: key.candidateID, sampleIndex: key.sampleIndex,
                                        reply: reply, attempts: 1, latency: 0)
                recorder.record(result, requestHash: hash, cached: true)
                results.append(result)
                skip.insert(key)
                cachedKeys.insert(key)
                cachedNow += 1
            }
        }
        let hashesByKey = hashes
        if !results.isEmpty { onEvent(.restored(results)) }
        let outcome = await runner.run(plan, dataset: dataset, skip: skip) { event in
            if case let .pairFinished(result, _, _) = event {
                recorder.record(result, requestHash: hashesByKey[result.key], cached: false)
            }
            onEvent(event)
        }
        let storeError = await recorder.finish()
        let calledNow = outcome.results.count
        results += outcome.results
        let all = RunOutcome(results: results, stopReason: outcome.stopReason, elapsed: outcome.elapsed)
        let report = builder.build(results: results, stopReason: outcome.stopReason, elapsed: outcome.elapsed, cached: cachedKeys)
        var finishError: StoreError?
        do throws(StoreError) { try store.finishRun(id: runID, report: report, cached: report.counts.cached) } catch { finishError = error }
        return (Outcome(runID: runID, outcome: all, cachedNow: cachedNow, resumed: resumed, calledNow: calledNow,
                        storeError: storeError ?? finishError), report)
    }
}
