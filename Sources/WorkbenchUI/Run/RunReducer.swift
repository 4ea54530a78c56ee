import RerankCore

/// A run's life on screen: starting it from the editor's prompt and the settings, its progress
/// and live metrics, how it ended, and where it was stored.
enum RunReducer {
    /// Starts a run on `split` (nil: the working split, dev on a file with a held-out split).
    /// Only "confirm on test" passes `.test`, after its own question.
    static func start(_ state: inout WorkbenchState, split requested: SplitSelection? = nil) -> [Effect] {
        guard !state.isRunning else {
            state.setStatus("a run is already going; Esc cancels it")
            return []
        }
        guard DatasetReducer.ready(&state) else { return [] }
        guard let path = state.datasetPath, state.dataset != nil else {
            state.setStatus("open a dataset first (o)", error: true)
            return []
        }
        // One thing at a time on the provider: a tune's calls and a run's would share its limits.
        guard state.tune?.running != true else {
            state.setStatus("a tune is running; t shows it, s there stops it")
            return []
        }
        guard !state.probe.isRunning else {
            state.setStatus("a probe is running; A shows it, Esc stops it")
            return []
        }
        // A run is stored with the dataset file's hash: its numbers must come from the labels
        // in that file.
        if state.labels.isDirty {
            state.setStatus("\(LabelReducer.unsavedCount(state)) unsaved: save them (S) first, so the run is stored with the labels it was scored on", error: true)
            return []
        }
        if let problem = state.promptProblems.first(where: { $0.severity == .error }) {
            state.focus = .prompt
            state.setStatus("prompt: \(problem)", error: true, about: .promptError)
            return []
        }
        let split = requested ?? state.workingSplit
        if let estimate = paidRunToConfirm(state, split: split) {
            state.modals.append(.confirm(.paidRun(estimate)))
            return []
        }
        var settings = state.settings
        // The run names its split in the store, so that `history` and test-look counting see it.
        settings.split = split
        state.beforeRun = ShownRun(results: state.results, report: state.report, prompt: state.runPrompt, settings: state.runSettings)
        state.results = []
        state.runPrompt = state.currentPrompt
        state.runSettings = settings
        state.promptsTried[split ?? .all, default: []].insert(state.currentPrompt.textHash)
        state.run = RunProgress(done: 0, total: (state.shownDataset?.candidateCount ?? 0) * settings.samples, startedAt: state.now)
        // As the live report's table: no copy of every result so far as the array doubles.
        state.results.reserveCapacity(state.run?.total ?? 0)
        rebuildReport(&state)
        return [.startRun(dataset: path, settings: settings, prompt: state.currentPrompt), .saveSession]
    }

    /// The estimate to show before the session's first run on a paid API with this provider
    /// and model (asked once each); nil when the provider is free or the user already said yes.
    /// Calls answered from the response cache cost nothing, so the estimate is an upper bound.
    static func paidRunToConfirm(_ state: WorkbenchState, split: SplitSelection?) -> PaidRunEstimate? {
        guard let full = state.dataset else { return nil }
        let dataset = split.map { full.selecting($0) } ?? full
        return paidEstimate(state, split: split) { try? RunPlan(dataset: dataset, prompt: state.currentPrompt, settings: state.settings) }
    }

    /// The question before the session's first calls to a paid API with this provider and
    /// model, for the calls of `plan` (a run's or a probe's); nil when free or already accepted.
    static func paidEstimate(_ state: WorkbenchState, split: SplitSelection?, plan makePlan: () -> RunPlan?) -> PaidRunEstimate? {
        let s = state.settings
        let prices = PriceTable.bundled
        guard !prices.freeProviders.contains(s.provider), s.provider != ProviderCatalog.replayName,
              !state.paidRunsConfirmed.contains(PaidRunEstimate.key(provider: s.provider, model: s.model)),
              let plan = makePlan() else { return nil }
        let cost = CostEstimate(plan: plan, settings: s, prices: prices)
        return PaidRunEstimate(provider: s.provider, model: s.model, calls: cost.calls,
                               likelyCost: cost.likelyCost, maxCost: cost.maxCost, split: split)
    }

    static func cancel(_ state: inout WorkbenchState) -> [Effect] {
        guard state.isRunning else { return [] }
        state.setStatus("cancelling; completed scores are kept")
        return [.cancelRun]
    }

    /// Recomputes the report from the stored replies: live during a run, and after any change of
    /// parser, ties, top_k or cutoffs (no calls needed). It covers the shown run's split and is
    /// labelled with the run's own prompt and settings (`reportSettings`), not the editor's.
    static func rebuildReport(_ state: inout WorkbenchState, stopReason: StopReason? = nil, elapsed: Double? = nil) {
        guard let builder = state.reportBuilder else { return }
        if state.measuring != nil {
            // The report of no results is being measured in the background: measuring it here
            // too would hold the screen for as long. The queries stay listed from what is shown
            // now; results wait in `state.results` and join the report when it arrives.
            state.measuring?.builder = builder
            if let elapsed { state.measuring?.ended = (stopReason, elapsed) }
            state.live = nil
            if state.report != nil { state.report = nil }
            return
        }
        let previous = state.report
        var live: LiveReport
        if let unrun = state.unrun, scoresAlike(unrun.builder, builder) {
            live = unrun.relabelled(builder)
        } else {
            live = LiveReport(builder: builder)
            state.unrun = live
        }
        // Room for every result of the run at once: the table grown by doubling rehashed up to
        // a million results in the middle of a run, and a key waited for it.
        if let run = state.run { live.reserveCapacity(run.total) }
        live.add(state.results)
        state.report = live.report(stopReason: stopReason ?? previous?.stopReason, elapsed: elapsed ?? previous?.elapsed ?? 0)
        // Kept while a run goes, for `progressed` to add each batch to.
        state.live = state.isRunning ? live : nil
    }

    /// Whether reports of the two builders have the same parts: the same queries (the dataset
    /// itself is the state's, or `unrun` was dropped with it) measured the same way.
    static func scoresAlike(_ a: RunReportBuilder, _ b: RunReportBuilder) -> Bool {
        let x = a.settings, y = b.settings
        return a.dataset.path == b.dataset.path && a.dataset.queries.count == b.dataset.queries.count && x.split == y.split
            && x.parser == y.parser && x.scale == y.scale && x.samples == y.samples && x.failurePolicy == y.failurePolicy
            && x.aggregate == y.aggregate && x.topK == y.topK && x.ties == y.ties && x.metrics == y.metrics
    }

    static func started(_ state: inout WorkbenchState, total: Int, now: Double) -> [Effect] {
        state.run = RunProgress(done: 0, total: total, startedAt: now)
        state.now = now
        state.setStatus("running \(total) calls on \(state.settings.provider) \(state.settings.model)")
        return []
    }

    static func progressed(_ state: inout WorkbenchState, _ batch: [PairResult], retries: Int, lastError: String?) -> [Effect] {
        state.results.append(contentsOf: batch)
        if var run = state.run {
            run.done += batch.count
            run.failures += batch.filter(\.failed).count
            run.retries = retries
            run.tokens += batch.compactMap { $0.reply?.usage.total }.reduce(0, +)
            if let lastError { run.lastError = lastError }
            state.run = run
        }
        if state.live != nil {
            // The histogram takes out the touched queries' old scores and counts their new ones.
            let touched = state.live!.positions(of: batch)
            var scores = state.scoresByLabel
            if let old = state.report { for i in touched where old.queries.indices.contains(i) { scores.add(old.queries[i], sign: -1) } }
            let (stopReason, elapsed) = (state.report?.stopReason, state.report?.elapsed ?? 0)
            state.releaseReportQueries()
            // In place: a local copy would copy every result received so far, every frame.
            state.live!.add(batch)
            let report = state.live!.report(stopReason: stopReason, elapsed: elapsed)
            for i in touched { scores.add(report.queries[i]) }
            state.setReport(report, scoresByLabel: scores)
        } else {
            rebuildReport(&state)
        }
        return []
    }

    static func finished(_ state: inout WorkbenchState, stopReason: StopReason?, elapsed: Double) -> [Effect] {
        let failures = state.run?.failures ?? 0
        state.run = nil
        state.beforeRun = nil
        if let live = state.live {
            // It holds every result of the run already: rebuilding from them all would redo a
            // large run's every pair in the frame that ends it.
            // Its queries are those of the last batch's report: the histogram counted them.
            state.setReport(live.report(stopReason: stopReason, elapsed: elapsed), scoresByLabel: state.scoresByLabel)
            state.live = nil
            // Its table of every result is freed off the UI thread (a million releases).
            BackgroundRelease.drop(live)
        } else {
            rebuildReport(&state, stopReason: stopReason, elapsed: elapsed)
        }
        if case let .configuration(message) = stopReason {
            state.modals.append(.message(title: "Run stopped: configuration error", body: message))
            state.setStatus("run stopped: \(message)", error: true)
        } else if let stopReason {
            state.setStatus("\(stopReason); completed scores are kept", error: stopReason != .cancelled)
        } else {
            sayDone(&state, elapsed: elapsed, failures: failures)
        }
        return []
    }

    /// "done in 12.0 s: NDCG@10 0.8123 (+0.0412 vs first stage)"; while the first-stage metrics
    /// are measured the numbers wait for them (`DatasetReducer.measured` says it again then).
    static func sayDone(_ state: inout WorkbenchState, elapsed: Double, failures: Int) {
        let failed = failures > 0 ? ", \(failures) failed calls" : ""
        if let report = state.report {
            let m = state.settings.metrics.primaryMetric
            let d = report.deltaMean[m].map { $0.signed(decimals: 4) } ?? "n/a"
            let on = state.shownSplit.map { " on the \($0.description)" } ?? ""
            state.setStatus("done in \(elapsed.formatted(decimals: 1)) s\(on): \(m.heading) \(report.rerankedMean[m].map { $0.formatted(decimals: 4) } ?? "n/a") (\(d) vs first stage)\(failed)", error: failures > 0)
        } else if state.metricsPending {
            state.setStatus("done in \(elapsed.formatted(decimals: 1)) s; its numbers show once the first-stage metrics are measured\(failed)", error: failures > 0)
        }
    }

    /// The run is in the store; the status line says where, after how it ended.
    static func stored(_ state: inout WorkbenchState, runID: Int64, cached: Int, store: String) -> [Effect] {
        state.lastStoredRun = runID
        let where_ = "run \(runID) in \(store)" + (cached > 0 ? ", \(cached) from the cache" : "")
        state.status = state.status.isEmpty ? where_ : state.status + " · " + where_
        // A run of the test split is a look the store just counted: the warning must follow it.
        var recount: [Effect] = []
        if TestLook.includesTest(state.runSettings?.split), let hash = state.dataset?.contentHash {
            recount.append(.countTestLooks(datasetHash: hash))
        }
        return recount + QuitReducer.runStored(&state)
    }

    static func failedToStart(_ state: inout WorkbenchState, _ message: String) -> [Effect] {
        state.run = nil
        state.live = nil
        // Nothing ran: the screen keeps the last good run instead of going blank.
        if let before = state.beforeRun {
            state.results = before.results
            state.report = before.report
            state.runPrompt = before.prompt
            state.runSettings = before.settings
        }
        state.beforeRun = nil
        state.quitWhenStopped = false
        state.modals.append(.message(title: "Cannot start the run", body: message))
        state.setStatus(message, error: true)
        return []
    }
}
