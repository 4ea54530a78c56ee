import RerankKit
import Testing
@testable import WorkbenchUI

/// Issue 15 part 1-2 in the workbench: on a file with a held-out split, runs see the dev
/// queries only; test numbers appear only after "confirm on test", which asks first and says
/// how often the store has seen the test split; every number says which split it comes from.
@Suite struct WorkbenchSplitTests {
    /// The sample dataset with every third query held out as test.
    static func splitDataset() throws -> Dataset {
        var d = try WorkbenchFixtures.dataset()
        for i in d.queries.indices { d.queries[i].split = i % 3 == 0 ? .test : .dev }
        return d
    }

    static func state(width: Int = 120, height: Int = 40) throws -> WorkbenchState {
        var state = WorkbenchState(width: width, height: height, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        _ = WorkbenchReducer.reduce(&state, .datasetLoaded(try splitDataset()))
        return state
    }

    func press(_ state: inout WorkbenchState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += WorkbenchReducer.reduce(&state, .key(k)) }
        return effects
    }

    func startedSettings(_ effects: [Effect]) -> RunSettings? {
        for e in effects { if case let .startRun(_, settings, _) = e { return settings } }
        return nil
    }

    /// Lexical replies for the queries of `split`, as the shell would deliver them.
    func finishRun(_ state: inout WorkbenchState, split: SplitSelection) async throws {
        let data = state.dataset!.selecting(split)
        let plan = try RunPlan(dataset: data, prompt: state.currentPrompt, settings: state.settings)
        let outcome = await RerankRunner(provider: LexicalProvider(dataset: data), settings: state.settings).run(plan, dataset: data)
        _ = WorkbenchReducer.reduce(&state, .runStarted(total: outcome.results.count, now: 0))
        _ = WorkbenchReducer.reduce(&state, .runProgress(outcome.results, retries: 0, lastError: nil))
        _ = WorkbenchReducer.reduce(&state, .runFinished(stopReason: nil, elapsed: 1))
    }

    @Test func aFileWithASplitShowsAndRunsTheDevQueriesOnly() throws {
        var state = try Self.state()
        let full = state.dataset!
        let dev = full.queries.filter { $0.split == .dev }.map(\.id)
        #expect(state.workingSplit == .dev)
        #expect(state.visibleQueries.map(\.queryID) == dev, "no test query is listed before a confirmation")
        #expect(state.status.contains("dev split") && state.status.contains("T confirms on the"), "\(state.status)")
        let screen = WorkbenchView.render(state).text
        #expect(screen.contains("3 Queries dev \(dev.count)/\(dev.count)"), "\(screen)")
        #expect(screen.contains("5 Metrics · dev"), "\(screen)")
        #expect(screen.contains("(\(dev.count) dev of \(full.queries.count) queries)"), "\(screen)")
        let settings = startedSettings(press(&state, .char("r")))
        #expect(settings?.split == .dev, "the run is recorded as a dev run")
        #expect(state.run?.total == full.selecting(.dev).candidateCount)
    }

    @Test func aFileWithoutASplitRunsEveryQueryAndHasNoTestToConfirm() throws {
        var state = try WorkbenchFixtures.state(width: 120, height: 40)
        #expect(state.workingSplit == nil)
        #expect(state.visibleQueries.count == state.dataset!.queries.count)
        let settings = startedSettings(press(&state, .char("r")))
        #expect(settings != nil && settings?.split == nil)
        _ = WorkbenchReducer.reduce(&state, .runFinished(stopReason: nil, elapsed: 1))
        #expect(press(&state, .char("T")).isEmpty)
        #expect(state.modals.isEmpty)
        #expect(state.statusIsError && state.status.contains("no held-out split") && state.status.contains("rerank-eval split"), "\(state.status)")
        #expect(!WorkbenchView.render(state).text.contains("Metrics ·"))
    }

    @Test func confirmOnTestAsksWithTheLookCountAndOnlyYesRunsTheTestSplit() async throws {
        var state = try Self.state()
        let hash = state.dataset!.contentHash
        _ = WorkbenchReducer.reduce(&state, .testLooksCounted(datasetHash: hash, count: 1))
        _ = press(&state, .char("3"))
        #expect(startedSettings(press(&state, .char("T"))) == nil, "nothing runs before the answer")
        let tests = state.dataset!.selecting(.test).queries.count
        #expect(state.modals.last == .confirm(.testLook(queries: tests, looks: 1)))
        let screen = WorkbenchView.render(state).text
        #expect(screen.contains("Confirm on the test split?") && screen.contains("\(tests) held-out test queries") && screen.contains("Looked at 1 time before"), "\(screen)")
        // Any other key: nothing runs, the test split stays unseen.
        #expect(startedSettings(press(&state, .char("n"))) == nil)
        #expect(state.status.contains("stays unseen") && state.report?.settings.split == .dev)
        _ = press(&state, .char("T"))
        let settings = startedSettings(press(&state, .char("y")))
        #expect(settings?.split == .test)
        try await finishRun(&state, split: .test)
        #expect(Set(state.visibleQueries.map(\.queryID)) == Set(state.dataset!.selecting(.test).queries.map(\.id)))
        // The store counted this run as the second look: the warning shows beside the numbers.
        let effects = WorkbenchReducer.reduce(&state, .runStored(runID: 7, cached: 0, store: "s.sqlite"))
        #expect(effects.contains(.countTestLooks(datasetHash: hash)))
        _ = WorkbenchReducer.reduce(&state, .testLooksCounted(datasetHash: hash, count: 2))
        let after = WorkbenchView.render(state).text
        #expect(after.contains("5 Metrics · test"), "\(after)")
        #expect(after.contains("test split looked at 2 times"), "\(after)")
        // The next r is back on dev.
        #expect(startedSettings(press(&state, .char("r")))?.split == .dev)
    }

    @Test func aCountForAnotherDatasetIsDropped() throws {
        var state = try Self.state()
        _ = WorkbenchReducer.reduce(&state, .testLooksCounted(datasetHash: "other", count: 5))
        #expect(state.testLooks == nil)
    }

    @Test func aDevRunAndATestRunAreNotComparedAsIfTheyShareQueries() async throws {
        var state = try Self.state()
        _ = press(&state, .char("r"))
        try await finishRun(&state, split: .dev)
        _ = press(&state, .char("3"), .char("p"))
        _ = press(&state, .char("T"), .char("y"))
        try await finishRun(&state, split: .test)
        _ = press(&state, .char("c"))
        guard case let .message(title, body)? = state.modals.last else { Issue.record("\(state.modals)"); return }
        #expect(title == "Cannot compare" && body.contains("dev split") && body.contains("test split") && body.contains("share no query"))
    }

    @Test func theCompareViewNamesTheSplitThePowerAndHowManyPromptsWereTried() async throws {
        var state = try Self.state()
        _ = press(&state, .char("r"))
        try await finishRun(&state, split: .dev)
        _ = press(&state, .char("3"), .char("p"))
        // Two more prompt texts tried on dev.
        for extra in [" ", "  "] {
            state.editor = TextEditor(text: state.editor.text + extra)
            _ = press(&state, .char("r"))
            try await finishRun(&state, split: .dev)
        }
        _ = press(&state, .char("c"))
        #expect(state.modals.last == .compare(scroll: 0))
        let lines = ModalView.compareLines(state).map(\.0)
        #expect(lines.contains("on the dev split"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("detectable at 80% power") }, "\(lines)")
        #expect(lines.contains { $0.contains("3 prompts tried on the dev split") && $0.contains("confirm the one you keep on test (T)") }, "\(lines)")
    }

    @Test func aCardSavedFromATestRunCarriesTheStoresLookCount() async throws {
        var state = try Self.state()
        state.settings.provider = "openai"
        state.settings.model = "gpt-4o-mini"
        state.paidRunsConfirmed.insert(PaidRunEstimate.key(provider: "openai", model: "gpt-4o-mini"))
        _ = press(&state, .char("T"), .char("y"))
        try await finishRun(&state, split: .test)
        _ = WorkbenchReducer.reduce(&state, .testLooksCounted(datasetHash: state.dataset!.contentHash, count: 2))
        let effects = PromptFileReducer.saveCard(&state, name: "held-out")
        guard case let .savePrompt(_, contents, _)? = effects.first else { Issue.record("\(effects)"); return }
        #expect(contents.contains("split: \"test\""), "\(contents)")
        #expect(contents.contains("test_looks: 2"), "\(contents)")
    }
}
