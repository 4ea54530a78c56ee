import Foundation
import RerankKit
import RerankTestSupport
import Testing
@testable import WorkbenchUI

/// Issue 20's workbench items, each a behaviour that lost work or misnamed a number before.
@Suite struct AfternoonReducerTests {
    func press(_ state: inout WorkbenchState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += WorkbenchReducer.reduce(&state, .key(k)) }
        return effects
    }

    static func isSave(_ e: Effect) -> (String, String, Bool)? {
        if case let .savePrompt(path, contents, overwrite) = e { return (path, contents, overwrite) }
        return nil
    }

    /// Item 4: a run that fails to start leaves the last good run on screen.
    @Test func aFailedStartKeepsThePreviousResults() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        let before = s.report!.rerankedMean
        _ = press(&s, .char("r"))
        #expect(s.results.isEmpty)
        _ = WorkbenchReducer.reduce(&s, .runFailedToStart("no API key"))
        #expect(!s.results.isEmpty)
        #expect(s.report!.rerankedMean == before)
        #expect(s.modals.last.map { if case .message = $0 { true } else { false } } == true)
    }

    /// Item 6: q during a run asks, stops the run cleanly, and quits once it is stored.
    @Test func quitDuringARunAsksThenStopsCleanly() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        _ = press(&s, .char("r"))
        #expect(s.isRunning)
        #expect(press(&s, .char("q")).isEmpty, "nothing happens before the answer")
        #expect(s.modals.last == .confirm(.stopRunAndQuit))
        #expect(press(&s, .char("y")) == [.cancelRun])
        #expect(!s.wantsQuit)
        _ = WorkbenchReducer.reduce(&s, .runFinished(stopReason: .cancelled, elapsed: 1))
        #expect(!s.wantsQuit, "not before the run is stored")
        let effects = WorkbenchReducer.reduce(&s, .runStored(runID: 3, cached: 0, store: "s.sqlite"))
        #expect(s.wantsQuit && effects.contains(.quit))
        // Any other key keeps running.
        var t = try WorkbenchFixtures.state(width: 120, height: 40)
        _ = press(&t, .char("r"), .char("q"), .char("n"))
        #expect(t.isRunning && !t.wantsQuit)
    }

    /// Item 7: a filter does not follow the user into another dataset.
    @Test func openingADatasetClearsTheFilter() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        _ = press(&s, .char("/"), .char("z"), .char("z"), .enter)
        #expect(s.visibleQueries.isEmpty)
        _ = WorkbenchReducer.reduce(&s, .datasetLoaded(try WorkbenchFixtures.dataset()))
        #expect(s.filter.isEmpty && s.visibleQueries.count == 36)
    }

    /// Items 2 and 8: saving never overwrites without a yes, and writes metrics only from a
    /// complete LLM run of exactly this text.
    @Test func savingAsksBeforeOverwritingAndWritesOnlyHonestMetrics() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        // The sample prompt is a reference: the name field suggests a new name.
        s.prompt.extraFrontMatter["reference"] = "true"
        _ = press(&s, .ctrl("s"))
        #expect(s.modals.last == .input(.promptName, text: "mem0-default-system-tuned"))
        _ = press(&s, .ctrl("u"))
        #expect(s.modals.last == .input(.promptName, text: ""), "Ctrl-U clears the whole field")
        // An empty name keeps the dialog open.
        _ = press(&s, .enter)
        #expect(s.modals.last == .input(.promptName, text: ""))
        for c in "mine" { _ = press(&s, .char(c)) }
        let effects = press(&s, .enter)
        let save = try #require(effects.compactMap(Self.isSave).first)
        #expect(save.0 == "Prompts/mine.txt" && !save.2)
        // The run on screen is the lexical baseline: no metrics, but the lineage and its own description.
        #expect(!save.1.contains("ndcg_at"))
        #expect(save.1.contains("derived_from: \"mem0-default-system\""))
        #expect(!save.1.contains("Word for word from mem0"))
        // The file exists: the shell asks, and only a yes overwrites.
        _ = WorkbenchReducer.reduce(&s, .promptFileExists(path: save.0, contents: save.1))
        #expect(s.modals.last == .confirm(.overwritePrompt(path: save.0, contents: save.1)))
        #expect(press(&s, .char("n")).isEmpty)
        _ = WorkbenchReducer.reduce(&s, .promptFileExists(path: save.0, contents: save.1))
        #expect(press(&s, .char("y")).compactMap(Self.isSave).first?.2 == true)
    }

    @Test func metricsGoIntoTheCardOnlyFromACompleteRunOfThisText() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        // Pretend the run on screen was an LLM's (the report would say so).
        s.report!.providerIgnoresPrompt = false
        var effects = WorkbenchReducer.savePromptCard(&s, name: "same-text")
        #expect(effects.compactMap(Self.isSave).first?.1.contains("ndcg_at_10") == true)
        // Edit the prompt after the run: the card no longer carries that run's numbers.
        _ = press(&s, .char("1"), .char("Z"), .escape)
        effects = WorkbenchReducer.savePromptCard(&s, name: "edited")
        #expect(effects.compactMap(Self.isSave).first?.1.contains("ndcg_at_10") == false)
        #expect(s.status.contains("different prompt text"))
    }

    /// Item 9: B is labelled by its own run, not by the editor's text.
    @Test func compareLabelsTheRunsNotTheEditor() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        let runHash = s.currentPrompt.textHash.prefix(6)
        _ = press(&s, .char("p"))
        #expect(s.pinnedLabel.contains("#\(runHash)"))
        _ = press(&s, .char("1"), .char("Z"), .escape)
        _ = press(&s, .char("3"), .char("c"))
        #expect(s.compareLabelB.contains("#\(runHash)"), "\(s.compareLabelB)")
        #expect(!s.compareLabelB.contains("#\(s.currentPrompt.textHash.prefix(6))"))
    }

    /// Items 10 and 11: different datasets are said so; unfinished queries are left out, counted.
    @Test func compareUsesOnlyQueriesBothRunsCompleted() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        _ = press(&s, .char("p"))
        // B: a cancelled run that scored only the first query.
        let all = try await WorkbenchFixtures.lexicalResults(s)
        _ = press(&s, .char("r"))
        _ = WorkbenchReducer.reduce(&s, .runStarted(total: all.count, now: 0))
        _ = WorkbenchReducer.reduce(&s, .runProgress(all.filter { $0.queryID == "pm01" }, retries: 0, lastError: nil))
        _ = WorkbenchReducer.reduce(&s, .runFinished(stopReason: .cancelled, elapsed: 1))
        #expect(s.partialLabel?.hasPrefix("partial (") == true)
        _ = press(&s, .char("c"))
        #expect(s.comparisons.first?.queryIDs == ["pm01"])
        #expect(s.compareLeftOut == 35)
        #expect(s.compareLabelB.contains("partial ("))

        // A run on another dataset file: compared on the query ids both have, and said so.
        var other = s.pinned!
        other.datasetHash = "0000000000000000"
        s.pinned = other
        _ = press(&s, .escape, .char("c"))
        #expect(s.compareNote?.contains("different datasets") == true)
    }

    /// Item 12: the Metrics pane shows P and R at the same cutoff as the headline NDCG.
    @Test func oneCutoffRuleEverywhere() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        s.settings.metrics = MetricSettings(cutoffs: [1, 3, 20])
        WorkbenchReducer.rebuildReport(&s)
        let screen = WorkbenchView.render(s).text
        #expect(screen.contains("NDCG@20") && screen.contains("P@20") && screen.contains("R@20"))
        #expect(!screen.contains("P@1 ") && !screen.contains("R@1 "))
    }

    /// Item 13: the baseline has no mem0 config.
    @Test func exportingTheBaselineIsRefused() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        #expect(press(&s, .char("x")).isEmpty)
        #expect(s.status.contains("not an LLM"))
    }

    /// Item 3: Enter types (as the key bar says); switching provider and back restores what
    /// the user had on it.
    @Test func enterTypesAndProvidersRememberTheirModel() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        _ = press(&s, .char("2"))
        #expect(s.settingsCursor == 0)
        _ = press(&s, .enter)
        #expect(s.modals.last == .input(.setting(.provider), text: "lexical"))
        _ = press(&s, .ctrl("u"))
        for c in "vllm" { _ = press(&s, .char(c)) }
        _ = press(&s, .enter)
        #expect(s.settings.provider == "vllm")
        // Type a model and URL, go away and come back.
        s.settingsCursor = SettingField.model.rawValue
        _ = press(&s, .enter, .ctrl("u"))
        for c in "my-model" { _ = press(&s, .char(c)) }
        _ = press(&s, .enter)
        s.settingsCursor = SettingField.baseURL.rawValue
        _ = press(&s, .enter)
        for c in "http://127.0.0.1:9/v1" { _ = press(&s, .char(c)) }
        _ = press(&s, .enter)
        s.settingsCursor = SettingField.provider.rawValue
        _ = press(&s, .char("l"))
        #expect(s.settings.provider != "vllm")
        _ = press(&s, .char("h"))
        #expect(s.settings.provider == "vllm")
        #expect(s.settings.model == "my-model" && s.settings.baseURL == "http://127.0.0.1:9/v1")
    }

    /// Item 5: a key given in the app reaches the shell only, and the screen shows dots.
    @Test func aKeyGivenInTheAppIsNeitherKeptNorShown() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.settings.provider = "openai"
        _ = press(&s, .char("2"), .char("K"))
        for c in "sk-secret-123" { _ = press(&s, .char(c)) }
        #expect(!WorkbenchView.render(s).text.contains("sk-secret"))
        #expect(WorkbenchView.render(s).text.contains("•••••••••••••"))
        let effects = press(&s, .enter)
        #expect(effects == [.setSessionKey(provider: "openai", key: "sk-secret-123")])
        #expect(s.sessionKeyProviders == ["openai"])
        #expect(!String(describing: Session(state: s)).contains("sk-secret"))
        #expect(WorkbenchView.render(s).text.contains("key given for this session"))
    }
}
