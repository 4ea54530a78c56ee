import RerankCore

/// The Tune view: `rerank-eval tune` in the workbench. `t` asks first (what the tune will take
/// at most), then the tune runs in the background on the dev split while the view shows its
/// rounds, candidates, dev scores and budget live; the selected candidate's critique and its
/// diff against its parent; `l` loads it into the editor; the one test-split confirmation is
/// shown as a compare is. The tuner, the stored lineage and the winner's files are the
/// command's own (PromptTuner, StoreTuneScorer, TuneWinner).
public enum TuneReducer {
    public enum Intent: Sendable, Hashable {
        /// Selection down (negative: up) in the lineage.
        case move(Int)
        /// The selected candidate's critique and diff, down (negative: up).
        case scroll(Int)
        /// Load the selected candidate's prompt into the editor.
        case load
        /// Stop the tune in flight (everything so far is stored; `rerank-eval tune --resume` continues).
        case stop
        /// Start a new tune from the editor's prompt (when none is going).
        case startNew
        case close
    }

    /// `t`: the view of this session's tune, or the question before a first one.
    static func open(_ state: inout WorkbenchState) -> [Effect] {
        if let tune = state.tune {
            let best = tune.treeOrder.firstIndex { $0.candidate.number == tune.lineage.best } ?? 0
            state.modals.append(.tune(selection: best, scroll: 0))
            return []
        }
        return ask(&state)
    }

    /// The question before a tune, or a status line saying what is missing.
    static func ask(_ state: inout WorkbenchState) -> [Effect] {
        guard DatasetReducer.ready(&state) else { return [] }
        guard let dataset = state.dataset else {
            state.setStatus("open a dataset first (o)", error: true)
            return []
        }
        guard dataset.hasSplits, dataset.queries.contains(where: { $0.split == .dev }), dataset.queries.contains(where: { $0.split == .test }) else {
            state.setStatus("tune searches on a dev split and confirms on a test split; \(dataset.path) has none: make one with rerank-eval split \(dataset.path) --test 0.3 --seed 1 -o SPLIT.jsonl and open it", error: true)
            return []
        }
        guard !state.providerIsBaseline, state.settings.provider != ProviderCatalog.replayName else {
            state.setStatus("tune needs an LLM to score and to propose: \(state.settings.provider) ignores the prompt. Choose a provider in Settings (2), e.g. local", error: true)
            return []
        }
        guard !state.isRunning, !state.probe.isRunning else {
            state.setStatus("a run or a probe is going; tune after it ends (Esc cancels it)")
            return []
        }
        if let problem = state.promptProblems.first(where: { $0.severity == .error }) {
            state.focus = .prompt
            state.setStatus("prompt: \(problem)", error: true, about: .promptError)
            return []
        }
        state.modals.append(.confirm(.startTune(estimate(state, dataset: dataset))))
        return []
    }

    /// The search settings of a tune started here: the command's defaults, the run's cost limit.
    static func tuneSettings(_ state: WorkbenchState) -> TuneSettings {
        var s = TuneSettings()
        s.maxCost = state.settings.maxCost
        return s
    }

    static func estimate(_ state: WorkbenchState, dataset: Dataset) -> TuneStartEstimate {
        let settings = tuneSettings(state)
        var run = state.settings
        run.split = .dev
        let prices = PriceTable.bundled
        // Dollars per scorer call from the run's own estimate on dev; a proposer call as
        // rerank-eval tune prices it.
        var scorerCallCost: Double?
        if let plan = try? RunPlan(dataset: dataset.selecting(.dev), prompt: state.currentPrompt, settings: run) {
            let c = CostEstimate(plan: plan, settings: run, prices: prices)
            scorerCallCost = c.likelyCost.map { c.calls > 0 ? $0 / Double(c.calls) : 0 }
        }
        let proposerCallCost = TuneEstimate.proposerCallCost(prices.price(provider: run.provider, model: run.model), settings: settings)
            ?? (prices.freeProviders.contains(run.provider) ? 0 : nil)
        let e = TuneEstimate(settings: settings, runSettings: run, dataset: dataset, scorerCallCost: scorerCallCost, proposerCallCost: proposerCallCost)
        let cost = e.cost.map { e.uncappedCalls > 0 ? $0 * Double(e.calls) / Double(e.uncappedCalls) : 0 }
        return TuneStartEstimate(provider: run.provider, model: run.model, devQueries: dataset.queries.filter { $0.split == .dev }.count,
                                 testQueries: dataset.queries.filter { $0.split == .test }.count, rounds: e.rounds,
                                 candidates: settings.candidates, calls: e.calls, roundCalls: e.roundCalls, maxCalls: e.maxCalls, cost: cost)
    }

    /// The user said yes: the tune starts from the editor's prompt with the settings pane's run.
    static func start(_ state: inout WorkbenchState, _ estimate: TuneStartEstimate) -> [Effect] {
        guard let path = state.datasetPath, !state.isRunning, state.tune?.running != true else { return [] }
        var run = state.settings
        run.split = .dev
        let settings = tuneSettings(state)
        let prompt = state.currentPrompt
        state.tune = TuneProgress(tuneID: nil, lineage: TuneLineage(start: prompt), settings: settings,
                                  scorer: "\(run.provider) \(run.model)", proposer: "\(run.provider) \(run.model)",
                                  running: true, activity: "starting", callBound: estimate.calls)
        state.modals.append(.tune(selection: 0, scroll: 0))
        state.setStatus("tuning \(prompt.name) on the dev split with \(run.provider) \(run.model); t shows it")
        return [.startTune(dataset: path, settings: run, prompt: prompt, tune: settings), .saveSession]
    }

    static func reduce(_ state: inout WorkbenchState, _ intent: Intent) -> [Effect] {
        guard case let .tune(selection, scroll) = state.modals.last, let tune = state.tune else { return [] }
        let order = tune.treeOrder
        switch intent {
        case let .move(delta):
            state.replaceTopModal(.tune(selection: ListSelection.moved(selection, by: delta, count: order.count), scroll: 0))
        case let .scroll(lines):
            state.replaceTopModal(.tune(selection: selection, scroll: max(0, scroll + lines)))
        case .load:
            guard selection < order.count else { return [] }
            let c = order[selection].candidate
            guard c.text != state.editor.text else {
                state.setStatus("candidate \(c.number) is the editor's text already")
                return []
            }
            // One undoable step: Ctrl-Z in the editor brings the previous text back.
            state.editor.replaceAll(c.text)
            state.prompt.extraFrontMatter["derived_from"] = tune.tuneID.map { "tune \($0) candidate \(c.number)" } ?? "tune candidate \(c.number)"
            state.closeTopModal()
            state.focus = .prompt
            state.setStatus("candidate \(c.number) loaded into the editor (Ctrl-Z undoes it); r runs it on dev")
            return [.saveSession]
        case .stop:
            guard tune.running else {
                state.setStatus("the tune is not running")
                return []
            }
            state.tune?.activity = "stopping after the step in flight"
            return [.stopTune]
        case .startNew:
            guard !tune.running else {
                state.setStatus("a tune is running; s stops it first")
                return []
            }
            state.closeTopModal()
            return ask(&state)
        case .close:
            state.closeTopModal()
        }
        return []
    }

    // MARK: Events from the tuner

    static func started(_ state: inout WorkbenchState, tuneID: Int64) -> [Effect] {
        state.tune?.tuneID = tuneID
        return []
    }

    static func progress(_ state: inout WorkbenchState, _ events: [TuneEvent]) -> [Effect] {
        guard state.tune != nil else { return [] }
        for event in events {
            switch event {
            case let .roundStarted(round, parent):
                state.tune?.activity = "round \(round): proposing edits of candidate \(parent)"
            case let .evaluating(candidate, queries, split, calls):
                state.tune?.activity = "scoring candidate \(candidate) on \(queries) \(split.rawValue) quer\(queries == 1 ? "y" : "ies") (\(calls) calls)"
            case let .candidate(c):
                state.tune?.lineage.update(c)
            case let .spent(calls, cost):
                state.tune?.lineage.calls = calls
                state.tune?.lineage.cost = cost
            case let .confirmed(confirmation):
                state.tune?.lineage.confirmation = confirmation
                state.tune?.activity = "confirmed on the test split"
            case let .ended(lineage):
                state.tune?.lineage = lineage
            }
        }
        return []
    }

    /// The tune ended this session: finished (`written`: the winner's files, when it improved),
    /// stopped, or failed (`message`).
    static func ended(_ state: inout WorkbenchState, lineage: TuneLineage?, written: [String], message: String?) -> [Effect] {
        guard state.tune != nil else { return [] }
        if let lineage { state.tune?.lineage = lineage }
        state.tune?.running = false
        state.tune?.written = written
        let id = state.tune?.tuneID.map { " \($0)" } ?? ""
        let final = state.tune!.lineage
        if let message {
            state.tune?.stopMessage = message
            state.tune?.activity = "stopped"
            state.setStatus("tune\(id) stopped: \(message)", error: true)
        } else if !final.finished {
            let reason = final.stopReason?.description ?? "stopped"
            state.tune?.stopMessage = reason
            state.tune?.activity = reason
            state.setStatus("tune\(id) \(reason); everything so far is stored: rerank-eval tune --resume\(id) continues it")
        } else if let c = final.confirmation {
            state.tune?.activity = "finished"
            state.setStatus("tune\(id) finished: \(c.summary)" + (written.isEmpty ? "" : "; wrote \(written.joined(separator: " and "))"),
                            error: c.verdict == .worseOnTest)
        } else {
            state.tune?.activity = "finished"
            state.setStatus("tune\(id) finished: no candidate beat the start prompt on dev beyond noise; nothing to confirm")
        }
        return []
    }
}
