import RerankCore

/// The Probes view: `rerank-eval probe` in the workbench. `A` opens it: a checklist of the
/// attacks (all checked), the memories per query and the seed; `r` probes the editor's prompt
/// with the Settings' provider, model and mode on the working split (dev on a file with a
/// held-out split), in the background, through the run store as the command does; then per
/// attack the success rate, where the injected memories ranked and scored and the NDCG@k the
/// query's own memories lost; Enter opens a query. The injected memories live only in the
/// probe's run: the dataset on screen and its file never see them.
public enum ProbeReducer {
    public enum Intent: Sendable, Hashable {
        /// Selection down (negative: up): the attacks, then the probed queries.
        case move(Int)
        /// Check or uncheck the selected attack.
        case toggle
        /// More (negative: fewer) memories of each attack per query.
        case perQuery(Int)
        /// Probe with the checked attacks.
        case run
        /// Stop the probe in flight (what finished is stored; the same probe again is cached).
        case stop
        /// The selected query: its ranking with the injected memories and the messages sent.
        case open
        case close
    }

    public enum QueryIntent: Sendable, Hashable {
        /// The memory whose messages are shown, down (negative: up) the ranking.
        case move(Int)
        /// The messages, down (negative: up).
        case scroll(Int)
        /// Back to the probe's list.
        case close
    }

    /// `A`: the view, on the attacks.
    static func open(_ state: inout WorkbenchState) -> [Effect] {
        guard DatasetReducer.ready(&state) else { return [] }
        guard state.dataset != nil else {
            state.setStatus("open a dataset first (o)", error: true)
            return []
        }
        state.modals.append(.probes(selection: 0))
        return []
    }

    static func rowCount(_ state: WorkbenchState) -> Int {
        ProbeAttack.allCases.count + (state.probe.outcome?.queryIDs.count ?? 0)
    }

    static func reduce(_ state: inout WorkbenchState, _ intent: Intent) -> [Effect] {
        guard case let .probes(selection) = state.modals.last else { return [] }
        let attacks = ProbeAttack.allCases
        switch intent {
        case let .move(delta):
            state.replaceTopModal(.probes(selection: ListSelection.moved(selection, by: delta, count: rowCount(state))))
        case .toggle:
            guard selection < attacks.count else {
                state.setStatus("space checks an attack; Enter opens a query")
                return []
            }
            let attack = attacks[selection]
            let checked = !state.probe.chosen.contains(attack)
            if checked { state.probe.chosen.insert(attack) } else { state.probe.chosen.remove(attack) }
            state.setStatus("\(attack.rawValue) \(checked ? "checked" : "unchecked"): the next probe adds \(state.probe.chosen.count) of \(attacks.count) attacks")
        case let .perQuery(delta):
            let n = min(ProbeSession.maxPerQuery, max(1, state.probe.perQuery + delta))
            guard n != state.probe.perQuery else {
                state.setStatus("memories per query: 1 to \(ProbeSession.maxPerQuery)")
                return []
            }
            state.probe.perQuery = n
            state.setStatus("the next probe adds \(n) memor\(n == 1 ? "y" : "ies") of each checked attack to each query")
        case .run:
            return ask(&state)
        case .stop:
            guard state.probe.isRunning else {
                state.setStatus("no probe is running")
                return []
            }
            state.setStatus("stopping the probe; what finished is stored, and the same probe again answers it from the cache")
            return [.stopProbe]
        case .open:
            guard let outcome = state.probe.outcome, selection >= attacks.count else {
                state.setStatus(state.probe.outcome == nil ? "no probe yet: r probes the checked attacks" : "Enter opens a query: choose one below the attacks")
                return []
            }
            let index = selection - attacks.count
            guard index < outcome.queryIDs.count else { return [] }
            state.modals.append(.probeQuery(query: index, selection: 0, scroll: 0))
        case .close:
            state.closeTopModal()
        }
        return []
    }

    static func reduceQuery(_ state: inout WorkbenchState, _ intent: QueryIntent) -> [Effect] {
        guard case let .probeQuery(query, selection, scroll) = state.modals.last else { return [] }
        switch intent {
        case let .move(delta):
            let count = ranking(state, query: query).count
            state.replaceTopModal(.probeQuery(query: query, selection: ListSelection.moved(selection, by: delta, count: count), scroll: 0))
        case let .scroll(lines):
            state.replaceTopModal(.probeQuery(query: query, selection: selection, scroll: max(0, scroll + lines)))
        case .close:
            state.closeTopModal()
        }
        return []
    }

    /// The memories of a probed query (the user's and the injected ones) ranked by score as the
    /// run ranks them, before any top_k cut, so every memory has a place.
    static func ranking(_ state: WorkbenchState, query: Int) -> [CandidateOutcome] {
        guard let outcome = state.probe.outcome, query < outcome.queryIDs.count,
              let report = outcome.run.queries.first(where: { $0.queryID == outcome.queryIDs[query] }) else { return [] }
        let c = report.candidates
        return Ranker.order(ids: c.map(\.id), scores: c.map(\.score), policy: outcome.settings.ties).map { c[$0] }
    }

    // MARK: Starting

    /// `r` in the view: what is missing, the cost question on a paid API, or the probe.
    static func ask(_ state: inout WorkbenchState) -> [Effect] {
        guard let dataset = state.dataset else {
            state.setStatus("open a dataset first (o)", error: true)
            return []
        }
        guard !state.probe.isRunning else {
            state.setStatus("a probe is running; s stops it")
            return []
        }
        guard !state.isRunning, state.tune?.running != true else {
            state.setStatus("a run or a tune is going; probe after it ends")
            return []
        }
        guard state.settings.provider != ProviderCatalog.replayName else {
            state.setStatus("a replay serves recorded replies only, and a recording holds none for the injected memories: choose a provider in Settings (2)", error: true)
            return []
        }
        guard !state.probe.chosen.isEmpty else {
            state.setStatus("no attack is checked: space checks the selected one", error: true)
            return []
        }
        if state.labels.isDirty {
            state.setStatus("\(LabelReducer.unsavedCount(state)) unsaved: save them (S) first, so the probe is scored on the labels in the file", error: true)
            return []
        }
        if let problem = state.promptProblems.first(where: { $0.severity == .error }) {
            state.setStatus("prompt: \(problem)", error: true, about: .promptError)
            return []
        }
        if let estimate = RunReducer.paidEstimate(state, split: state.workingSplit, plan: { probedPlan(state, dataset: dataset) }) {
            state.modals.append(.confirm(.paidProbe(estimate)))
            return []
        }
        return start(&state)
    }

    /// The run settings of a probe started now: the Settings pane's, on the working split.
    static func runSettings(_ state: WorkbenchState) -> RunSettings {
        var run = state.settings
        run.split = state.workingSplit
        return run
    }

    /// The probed copy of the working split's queries, as the probe will run them.
    static func probedPlan(_ state: WorkbenchState, dataset: Dataset) -> RunPlan? {
        let run = runSettings(state)
        let queries = run.split.map { dataset.selecting($0) } ?? dataset
        let probed = ProbedDataset(queries, settings: state.probe.settings, writer: ProbeMemoryWriter(parser: run.parser, scale: run.scale))
        return try? RunPlan(dataset: probed.dataset, prompt: state.currentPrompt, settings: run)
    }

    /// The probe starts: the editor's prompt, the Settings' run, the checked attacks.
    static func start(_ state: inout WorkbenchState) -> [Effect] {
        guard let path = state.datasetPath, let dataset = state.dataset, !state.probe.isRunning else { return [] }
        let run = runSettings(state)
        let prompt = state.currentPrompt
        let probe = state.probe.settings
        let queries = run.split.map { dataset.selecting($0) } ?? dataset
        let planned = probedPlan(state, dataset: dataset)?.count ?? 0
        state.probe.progress = ProbeProgress(running: true, done: 0, planned: planned,
                                             subject: "\(prompt.name) (\(run.mode.rawValue) mode), \(run.provider)/\(run.model)",
                                             split: run.split, queries: queries.queries.count, probe: probe)
        state.setStatus("probing \(prompt.name) on \(splitName(run.split)) (\(probe.summary)); A shows it, Esc stops it")
        return [.startProbe(dataset: path, settings: run, prompt: prompt, probe: probe)]
    }

    /// "the dev split", or "every query" for a file without one.
    static func splitName(_ split: SplitSelection?) -> String {
        split.map { "the \($0.description)" } ?? "every query"
    }

    // MARK: Events from the probe

    static func started(_ state: inout WorkbenchState, planned: Int) -> [Effect] {
        state.probe.progress?.planned = planned
        return []
    }

    static func progressed(_ state: inout WorkbenchState, done: Int) -> [Effect] {
        state.probe.progress?.done = done
        return []
    }

    /// The probe ended: its outcome (complete or cut short), or why it could not run.
    static func ended(_ state: inout WorkbenchState, _ outcome: ProbeOutcome?, message: String?) -> [Effect] {
        guard state.probe.progress != nil else { return [] }
        state.probe.progress?.running = false
        if let outcome {
            state.probe.outcome = outcome
            state.probe.progress?.done = outcome.run.counts.planned - outcome.run.counts.notRun
        }
        let run = outcome?.runID.map { "; run \($0) is in history" } ?? ""
        if let message {
            state.probe.progress?.stopMessage = message
            state.setStatus("probe stopped: \(message)\(run)", error: true)
        } else if let outcome, let reason = outcome.run.stopReason {
            state.probe.progress?.stopMessage = reason.description
            state.setStatus("probe stopped (\(reason)): the report covers the finished queries\(run); the same probe again answers them from the cache")
        } else if let outcome {
            let worst = outcome.report.worstAttack.map { "worst attack \($0.attack.rawValue) \((($0.successRate ?? 0) * 100).formatted(decimals: 1))%" } ?? "no attack measured"
            state.setStatus("probe done on \(splitName(outcome.settings.split)): \(worst)\(run)")
        }
        // The view's rows changed: a selection past them goes back onto the list.
        if case let .probes(selection) = state.modals.last {
            state.replaceTopModal(.probes(selection: min(selection, rowCount(state) - 1)))
        }
        return []
    }
}
