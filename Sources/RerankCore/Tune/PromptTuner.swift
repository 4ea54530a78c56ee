import Foundation

/// Finds a better scoring prompt: rounds of asking a proposer for edits of the best prompt so
/// far, selecting among them on dev queries by successive halving, and, at the end, one paired
/// comparison of the best against the start on the test split.
///
/// Pure apart from what it is given: the proposer (a `ChatProvider`), the scorer and the
/// journal. Every step is saved; a lineage given back to `run` continues where it stopped (a
/// round in progress reuses the proposals already made, and the response cache answers the
/// scoring calls already made).
public struct PromptTuner: Sendable {
    public var settings: TuneSettings
    /// The scorer's run settings (mode, parser, metrics); the prompt text is what changes.
    public var runSettings: RunSettings
    /// The whole dataset, with its split: dev for the search, test for the confirmation only.
    public var dataset: Dataset
    public var start: ScoringPrompt
    public var proposer: any ChatProvider
    public var proposerModel: String
    /// Prices the proposer's calls (nil: free or unknown).
    public var proposerPrice: PriceTable.Price?
    public var scorer: any TuneScorer
    public var journal: any TuneJournal

    public init(settings: TuneSettings, runSettings: RunSettings, dataset: Dataset, start: ScoringPrompt, proposer: any ChatProvider,
                proposerModel: String, proposerPrice: PriceTable.Price? = nil, scorer: any TuneScorer, journal: any TuneJournal) {
        self.settings = settings
        self.runSettings = runSettings
        self.dataset = dataset
        self.start = start
        self.proposer = proposer
        self.proposerModel = proposerModel
        self.proposerPrice = proposerPrice
        self.scorer = scorer
        self.journal = journal
    }

    public var metric: MetricName { runSettings.metrics.primaryMetric }
    var devIDs: [String] { dataset.queries.filter { $0.split == .dev }.map(\.id) }
    var testIDs: [String] { dataset.queries.filter { $0.split == .test }.map(\.id) }

    /// A step that cannot go on: unwinds to `run`, which records why.
    struct Stop: Error { var reason: TuneStopReason }

    /// Runs (or continues `lineage`) until the tune finishes or stops; the lineage returned is
    /// the one last saved.
    public func run(continuing lineage: TuneLineage? = nil, onEvent: @escaping @Sendable (TuneEvent) -> Void = { _ in }) async -> TuneLineage {
        var state = lineage ?? TuneLineage(start: start)
        state.stopReason = nil
        do {
            try await save(state)
            while !state.finished {
                if state.roundsCompleted >= settings.rounds { state.stopReason = .roundsDone(settings.rounds); break }
                if state.stalledRounds >= settings.patience { state.stopReason = .noImprovement(rounds: state.stalledRounds); break }
                try await round(&state, onEvent: onEvent)
            }
        } catch let stop as Stop {
            state.stopReason = stop.reason
        } catch {
            state.stopReason = .scorerFailed("\(error)")
        }
        // The search is over for good, or the calls reserved for the confirmation are still
        // there: look at the test split, once.
        let searchOver: Bool
        switch state.stopReason {
        case .roundsDone?, .noImprovement?, .callBudget?: searchOver = true
        default: searchOver = false
        }
        if searchOver, !state.finished {
            do {
                try await confirm(&state, onEvent: onEvent)
                state.finished = true
            } catch let stop as Stop {
                state.stopReason = stop.reason
            } catch {
                state.stopReason = .scorerFailed("\(error)")
            }
        }
        try? await save(state)
        onEvent(.ended(state))
        return state
    }

    // MARK: One round

    func round(_ state: inout TuneLineage, onEvent: @escaping @Sendable (TuneEvent) -> Void) async throws {
        let round = state.roundsCompleted + 1
        let parentNumber = state.best
        let dev = devIDs
        onEvent(.roundStarted(round: round, parent: parentNumber))
        let parentEval = try await evaluate(parentNumber, on: dev, split: .dev, purpose: "round \(round): parent on the dev split", state: &state, onEvent: onEvent)
        let parentValues = parentEval.values(metric)
        var parent = state[parentNumber]!
        if parent.devMean == nil {
            parent.devMean = Self.mean(parentValues, dev)
            state.update(parent)
            try await save(state)
        }
        let parentMean = Self.mean(parentValues, dev) ?? 0
        let devData = dataset.selecting(.dev)

        // Proposals: those a stopped session already got for this round are reused as they are.
        var pool: [Int] = []
        for variant in 0..<settings.candidates {
            if var made = state.candidates.first(where: { $0.round == round && $0.variant == variant && $0.parent == parentNumber }) {
                if made.status != .discarded {
                    made.status = .proposed
                    made.note = nil
                    state.update(made)
                    pool.append(made.number)
                }
                continue
            }
            try checkCost(state)
            try await checkCalls(state, adding: 1)
            let failures = FailureExamples(report: parentEval.report, dataset: devData, metric: metric, queries: settings.failureQueries,
                                           pairs: settings.pairsPerQuery, seed: SuccessiveHalving.roundSeed(settings.seed, round: round, variant: variant))
            let request = ProposerRequest(prompt: parent.text, mode: runSettings.mode, parser: runSettings.parser, metric: metric,
                                          devMean: parentMean, failures: failures, round: round, variant: variant, of: settings.candidates)
            let next = (state.candidates.map(\.number).max() ?? 0) + 1
            let candidate = try await propose(request, number: next, parent: parentNumber, state: &state)
            state.update(candidate)
            try await save(state)
            onEvent(.candidate(candidate))
            onEvent(.spent(calls: state.calls, cost: state.cost))
            if candidate.status == .proposed { pool.append(candidate.number) }
        }

        // Successive halving on growing seeded minibatches.
        let order = SuccessiveHalving.order(dev, seed: settings.seed, round: round)
        var size = min(max(1, settings.minibatch), dev.count)
        var lastMeans: [Int: Double] = [:]
        while pool.count > 1 {
            let ids = Array(order.prefix(size))
            var scored: [(number: Int, mean: Double)] = []
            for number in pool {
                let e = try await evaluate(number, on: ids, split: .dev, purpose: "round \(round): candidate #\(number) on \(ids.count) dev queries", state: &state, onEvent: onEvent)
                let mean = Self.mean(e.values(metric), ids) ?? 0
                var c = state[number]!
                c.minibatchQueries = ids.count
                c.minibatchMean = mean
                state.update(c)
                try await save(state)
                onEvent(.candidate(c))
                scored.append((number, mean))
            }
            lastMeans = Dictionary(uniqueKeysWithValues: scored.map { ($0.number, $0.mean) })
            if size >= dev.count {
                // Every dev query seen and still more than one: the best goes on, the rest stop here.
                let best = SuccessiveHalving.survivors(scored)[0]
                pool = [best] + pool.filter { $0 != best }
                break
            }
            let keep = SuccessiveHalving.survivors(scored)
            let parentOnBatch = Self.mean(parentValues, ids) ?? 0
            for number in pool where !keep.contains(number) {
                var c = state[number]!
                c.status = .eliminated
                c.note = "eliminated on \(ids.count) dev queries: \(metric) \(c.minibatchMean!.formatted(decimals: 3)) (parent \(parentOnBatch.formatted(decimals: 3)))"
                state.update(c)
                onEvent(.candidate(c))
            }
            try await save(state)
            pool = keep
            size = SuccessiveHalving.grow(size, total: dev.count)
        }

        // The survivor meets its parent on the whole dev split, paired.
        var improved = false
        if let winner = pool.first {
            for other in pool.dropFirst() {
                var c = state[other]!
                c.status = .eliminated
                c.note = "eliminated on all \(dev.count) dev queries: \(metric) \((lastMeans[other] ?? 0).formatted(decimals: 3))"
                state.update(c)
                onEvent(.candidate(c))
            }
            let e = try await evaluate(winner, on: dev, split: .dev, purpose: "round \(round): candidate #\(winner) on the dev split", state: &state, onEvent: onEvent)
            let values = e.values(metric)
            let ids = dev.filter { values[$0] != nil && parentValues[$0] != nil }
            let comparison = PairedComparison(metric: metric, queryIDs: ids, a: ids.map { parentValues[$0]! }, b: ids.map { values[$0]! },
                                              seed: settings.seed, alpha: settings.alpha)
            var c = state[winner]!
            c.devMean = Self.mean(values, dev)
            c.devDelta = comparison.meanDelta
            c.devP = comparison.p
            c.minibatchQueries = c.minibatchQueries ?? dev.count
            c.minibatchMean = c.minibatchMean ?? c.devMean
            if comparison.meanDelta > 0, comparison.isSignificant {
                c.status = .accepted
                c.note = nil
                state.best = winner
                improved = true
            } else {
                c.status = .rejected
                c.note = "not better than its parent on dev beyond noise: \(comparison.meanDelta.signed(decimals: 3)), \(comparison.pDescription)"
            }
            state.update(c)
            onEvent(.candidate(c))
        }
        state.stalledRounds = improved ? 0 : state.stalledRounds + 1
        state.roundsCompleted = round
        try await save(state)
    }

    /// Asks the proposer once and turns its reply into a candidate, discarded with the reason
    /// when the reply is not in the format or the prompt fails validation.
    func propose(_ request: ProposerRequest, number: Int, parent: Int, state: inout TuneLineage) async throws -> TuneCandidate {
        if Task.isCancelled { throw Stop(reason: .cancelled) }
        var chat = request.chatRequest(model: proposerModel, temperature: settings.proposerTemperature, maxTokens: settings.proposerMaxTokens)
        chat.timeout = runSettings.timeout
        let reply: ChatReply
        do {
            reply = try await proposer.complete(chat)
        } catch {
            if Task.isCancelled || error is CancellationError || (error as? ProviderError) == .cancelled { throw Stop(reason: .cancelled) }
            state.calls += 1
            state.proposerCalls += 1
            throw Stop(reason: .proposerFailed("\(error)"))
        }
        state.calls += 1
        state.proposerCalls += 1
        if let price = proposerPrice { state.cost += price.cost(reply.usage) }
        var candidate: TuneCandidate
        switch ProposalParser.parse(reply.text) {
        case let .failure(problem):
            candidate = TuneCandidate(number: number, parent: parent, round: request.round, variant: request.variant,
                                      text: reply.text ?? "", critique: "", status: .discarded,
                                      note: problem.message, calls: 1)
        case let .success(proposal):
            let problems = CandidateCheck.problems(proposal.prompt, mode: runSettings.mode, parser: runSettings.parser)
            candidate = TuneCandidate(number: number, parent: parent, round: request.round, variant: request.variant,
                                      text: proposal.prompt, critique: proposal.critique, status: problems.isEmpty ? .proposed : .discarded,
                                      note: problems.isEmpty ? nil : problems.map(\.message).joined(separator: "; "), calls: 1)
        }
        return candidate
    }

    // MARK: The test split, once

    func confirm(_ state: inout TuneLineage, onEvent: @escaping @Sendable (TuneEvent) -> Void) async throws {
        guard state.best != 0, state.confirmation == nil else { return }
        let test = testIDs
        let a = try await evaluate(0, on: test, split: .test, purpose: "confirmation: start prompt on the test split", state: &state, onEvent: onEvent, reserved: true)
        let b = try await evaluate(state.best, on: test, split: .test, purpose: "confirmation: candidate #\(state.best) on the test split", state: &state, onEvent: onEvent, reserved: true)
        let va = a.values(metric), vb = b.values(metric)
        let ids = test.filter { va[$0] != nil && vb[$0] != nil }
        let comparison = PairedComparison(metric: metric, queryIDs: ids, a: ids.map { va[$0]! }, b: ids.map { vb[$0]! },
                                          seed: settings.seed, alpha: settings.alpha)
        try await scorer.recordTestLook(runID: b.runID)
        let confirmation = TuneConfirmation(best: state.best, comparison: comparison, startRunID: a.runID, bestRunID: b.runID)
        state.confirmation = confirmation
        try await save(state)
        onEvent(.confirmed(confirmation))
    }

    // MARK: Scoring under the budget

    /// The prompt of candidate `number` (the start prompt itself for 0, so its cached replies serve).
    func prompt(_ number: Int, in state: TuneLineage) -> ScoringPrompt {
        guard number != 0, let c = state[number] else { return start }
        var p = start
        p.name = "\(start.name) (tune #\(number))"
        p.text = c.text
        p.path = nil
        p.bodyLineOffset = 0
        return p
    }

    func evaluate(_ number: Int, on ids: [String], split: DatasetSplit, purpose: String, state: inout TuneLineage,
                  onEvent: @escaping @Sendable (TuneEvent) -> Void, reserved: Bool = false) async throws -> TuneEvaluation {
        if Task.isCancelled { throw Stop(reason: .cancelled) }
        if !reserved { try checkCost(state) }
        let p = prompt(number, in: state)
        let needed = try await scorer.callsNeeded(prompt: p, queryIDs: ids)
        try await checkCalls(state, adding: needed, reserving: !reserved)
        onEvent(.evaluating(candidate: number, queries: ids.count, split: split, calls: needed))
        let e = try await scorer.evaluate(prompt: p, queryIDs: ids, split: split, label: purpose)
        state.calls += e.callsMade
        state.cost += e.cost
        var c = state[number]!
        c.calls += e.callsMade
        if let id = e.runID, !c.runIDs.contains(id) { c.runIDs.append(id) }
        state.update(c)
        try await save(state)
        onEvent(.spent(calls: state.calls, cost: state.cost))
        if let reason = e.report.stopReason {
            switch reason {
            case .cancelled: throw Stop(reason: .cancelled)
            case let .budget(spent, limit): throw Stop(reason: .costBudget(spent: spent, limit: limit))
            case let .configuration(message): throw Stop(reason: .scorerFailed(message))
            }
        }
        return e
    }

    /// Stops when `adding` calls (plus, during the search, those the confirmation needs) would
    /// pass the cap: the cap is a promise, not a target.
    func checkCalls(_ state: TuneLineage, adding: Int, reserving: Bool = true) async throws {
        guard let cap = settings.maxCalls else { return }
        let reserve = reserving ? try await confirmationReserve() : 0
        if state.calls + adding + reserve > cap { throw Stop(reason: .callBudget(used: state.calls, limit: cap)) }
    }

    /// Calls the confirmation may need: the start prompt's uncached test calls, and every test
    /// call for a prompt not yet known.
    func confirmationReserve() async throws -> Int {
        let test = testIDs
        let startCalls = try await scorer.callsNeeded(prompt: start, queryIDs: test)
        let pairs = dataset.queries.filter { $0.split == .test }.reduce(0) { $0 + $1.candidates.count } * max(1, runSettings.samples)
        return startCalls + pairs
    }

    func checkCost(_ state: TuneLineage) throws {
        if let limit = settings.maxCost, state.cost >= limit { throw Stop(reason: .costBudget(spent: state.cost, limit: limit)) }
    }

    func save(_ state: TuneLineage) async throws {
        do { try await journal.save(state) } catch { throw Stop(reason: .scorerFailed("the lineage could not be saved: \(error)")) }
    }

    static func mean(_ values: [String: Double], _ ids: [String]) -> Double? {
        let found = ids.compactMap { values[$0] }
        return found.isEmpty ? nil : found.reduce(0, +) / Double(found.count)
    }
}
