import RerankCore

/// A probe as every front end runs one (`rerank-eval probe`, the workbench's Probes view): the
/// run's queries with the probe's memories added, run through the store like any run (so the
/// injected pairs are cached and the run is in `history`, labelled with the probe), and its
/// report built from the stored run. The user's dataset, and its file, are never written.
public struct RecordedProbe: Sendable {
    /// The run on the probed copy of the queries: the same prompt, settings and provider.
    public var run: ResolvedRun
    public var probe: ProbedDataset

    /// The probe of `resolved` (a run resolved on the user's dataset); fails when the prompt
    /// cannot be rendered for the probed queries.
    public init(_ resolved: ResolvedRun, settings: ProbeSettings) throws(RecipeError) {
        (run, probe) = try resolved.probed(settings)
    }

    /// What a probe produced: the stored run, its report and the probe's report.
    public struct Result: Sendable {
        public var stored: RecordedRunner.Outcome
        public var runReport: RunReport
        public var report: ProbeReport
    }

    /// Runs the probe with `provider` and stores it. `onEvent` sees the run's events (cached
    /// pairs as `.restored`, then `.started` and each pair), as a plain run's caller does.
    public func run(provider: any ChatProvider, prices: PriceTable, store: RunStore, useCache: Bool = true,
                    onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) async throws(StoreError) -> Result {
        let runner = RerankRunner(provider: provider, settings: run.settings, prices: prices)
        let recorded = RecordedRunner(runner: runner, store: store, useCache: useCache)
        // The probed copy has a content hash of its own; a look at the test split is a look at
        // the user's file, recorded under its hash below.
        let (stored, report) = try await recorded.run(run, label: probe.settings.summary, recordTestLook: false, onEvent: onEvent)
        if TestLook.includesTest(run.settings.split), let split = run.settings.split {
            try? store.recordTestLook(datasetHash: probe.original.contentHash, kind: .run, runID: stored.runID, split: split)
        }
        return Result(stored: stored, runReport: report, report: ProbeReport.build(run: report, probe: probe, runID: stored.runID))
    }
}
