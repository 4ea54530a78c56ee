import RerankCore
import Foundation

/// The tuner's scorer over the store: each evaluation is an ordinary recorded run (in
/// `history`, labelled with its tune), answered from the response cache where the same request
/// was made before, so a candidate scored on a minibatch pays only for new queries later, and a
/// resumed tune pays nothing for what it already did.
public struct StoreTuneScorer: TuneScorer {
    public var store: RunStore
    public var provider: any ChatProvider
    public var spec: ProviderSpec
    /// The whole dataset (both sides of the split).
    public var dataset: Dataset
    public var settings: RunSettings
    public var prices: PriceTable
    public var tuneID: Int64
    public var useCache: Bool
    /// Each scoring run's events (a progress bar).
    public var onRunEvent: @Sendable (RunEvent) -> Void

    public init(store: RunStore, provider: any ChatProvider, spec: ProviderSpec, dataset: Dataset, settings: RunSettings,
                prices: PriceTable = .bundled, tuneID: Int64, useCache: Bool = true, onRunEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) {
        self.store = store
        self.provider = provider
        self.spec = spec
        self.dataset = dataset
        self.settings = settings
        self.prices = prices
        self.tuneID = tuneID
        self.useCache = useCache
        self.onRunEvent = onRunEvent
    }

    /// The queries named, in the file's order, with the file's path and hash.
    func subset(_ ids: [String]) -> Dataset {
        let wanted = Set(ids)
        var copy = dataset
        copy.queries = dataset.queries.filter { wanted.contains($0.id) }
        return copy
    }

    func plan(_ prompt: ScoringPrompt, _ data: Dataset) throws -> RunPlan {
        try RunPlan(dataset: data, prompt: prompt, settings: settings)
    }

    public func callsNeeded(prompt: ScoringPrompt, queryIDs: [String]) async throws -> Int {
        let plan = try plan(prompt, subset(queryIDs))
        guard useCache else { return plan.count }
        let hashes = plan.tasks.map { RecordedRunner.requestHash(provider: provider, request: $0.request) }
        let cached = try store.cachedHashes(Array(Set(hashes.compactMap { $0 })))
        return hashes.filter { $0.map { !cached.contains($0) } ?? true }.count
    }

    public func evaluate(prompt: ScoringPrompt, queryIDs: [String], split: DatasetSplit, label: String) async throws -> TuneEvaluation {
        let data = subset(queryIDs)
        var runSettings = settings
        runSettings.split = split == .dev ? .dev : .test
        let resolved = ResolvedRun(dataset: data, prompt: prompt, settings: runSettings, provider: spec, plan: try plan(prompt, data))
        let runner = RerankRunner(provider: provider, settings: runSettings, prices: prices)
        let recorded = RecordedRunner(runner: runner, store: store, useCache: useCache)
        // The tune records its one look at the test split itself, after both confirmation runs.
        let (outcome, report) = try await recorded.run(resolved, label: "tune \(tuneID): \(label)", recordTestLook: false, onEvent: onRunEvent)
        if let error = outcome.storeError { throw error }
        return TuneEvaluation(report: report, runID: outcome.runID, callsMade: outcome.calledNow, cost: report.cost ?? 0)
    }

    public func recordTestLook(runID: Int64?) async throws {
        try store.recordTestLook(datasetHash: dataset.contentHash, kind: .tune, runID: runID, split: .test)
    }
}
