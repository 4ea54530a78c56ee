import Foundation
import RerankKit
import RerankTestSupport
import Testing
@testable import WorkbenchUI

@Suite struct ReducerTests {
    func press(_ state: inout WorkbenchState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += WorkbenchReducer.reduce(&state, .key(k)) }
        return effects
    }

    @Test func focusMovesWithTabNumbersAndShiftTab() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        #expect(s.focus == .queries)
        _ = press(&s, .tab)
        #expect(s.focus == .results)
        _ = press(&s, .backTab, .backTab)
        #expect(s.focus == .settings)
        _ = press(&s, .char("5"))
        #expect(s.focus == .metrics)
        _ = press(&s, .char("1"))
        #expect(s.focus == .prompt)
        // In the editor, digits and command letters are text.
        _ = press(&s, .char("3"), .char("r"), .char("q"), .char("p"))
        #expect(s.focus == .prompt)
        #expect(s.editor.text.hasPrefix("3rqpYou are"))
        #expect(!s.isRunning && !s.wantsQuit)
        // Ctrl-R runs from the editor.
        #expect(press(&s, .ctrl("r")).contains { if case .startRun = $0 { return true } else { return false } })
    }

    @Test func runStartsWithTheEditedPromptAndSettings() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        _ = press(&s, .char("1"), .char("X"), .escape)
        let effects = press(&s, .char("r"))
        guard case let .startRun(path, settings, prompt)? = effects.first else { Issue.record("no run"); return }
        #expect(path == "Datasets/personal-memories.jsonl")
        #expect(settings.provider == "lexical")
        #expect(prompt.text.hasPrefix("XYou are"))
        #expect(s.isRunning)
        #expect(press(&s, .char("r")).isEmpty)  // one run at a time
        #expect(press(&s, .escape) == [.cancelRun])
    }

    @Test func invalidTemplateBlocksTheRunAndShowsWhere() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.settings.mode = .template
        s.editor = TextEditor(text: "Rate {query} vs {memory}")
        #expect(press(&s, .char("r")).isEmpty)
        #expect(s.focus == .prompt)
        #expect(s.status.contains("unknown placeholder {memory}"))
        #expect(s.statusIsError)
    }

    @Test func quitAsksWhenThePromptHasUnsavedEdits() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        #expect(press(&s, .char("q")).contains(.quit))
        var d = try WorkbenchFixtures.state(width: 120, height: 40)
        _ = press(&d, .char("1"), .char("!"), .escape)
        #expect(press(&d, .char("q")).isEmpty)
        #expect(d.modals.last == .confirmQuit)
        #expect(!d.wantsQuit)
        // q in the editor types a q.
        var e = try WorkbenchFixtures.state(width: 120, height: 40)
        _ = press(&e, .char("1"), .char("q"))
        #expect(!e.wantsQuit && e.editor.text.hasPrefix("q"))
        _ = press(&d, .char("y"))
        #expect(d.wantsQuit)
    }

    @Test func changingParserTiesOrTopKRescoresStoredRepliesWithoutCalls() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        let before = s.report!.rerankedMean[.ndcgAt(10)]
        s.focus = .settings
        s.settingsCursor = SettingField.topK.rawValue
        let effects = press(&s, .right, .right)
        #expect(!effects.contains { if case .startRun = $0 { return true } else { return false } })
        #expect(s.settings.topK == 2)
        #expect(s.report!.rerankedMean[.ndcgAt(10)] != before)
        #expect(s.status.contains("no calls"))
        // The same numbers as rerank-eval's builder on the same inputs.
        let direct = RunReportBuilder(dataset: s.dataset!, prompt: s.currentPrompt, settings: s.settings).build(results: s.results)
        #expect(direct.rerankedMean == s.report!.rerankedMean)
    }

    @Test func providerCycleSetsDefaultsAndModelTakesTypedText() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.focus = .settings
        _ = press(&s, .right)
        #expect(s.settings.provider == "openai" && s.settings.model == "gpt-5-mini")
        s.settingsCursor = SettingField.model.rawValue
        _ = press(&s, .right)
        #expect(s.settings.model != "gpt-5-mini")
        #expect(PriceTable.bundled.models(for: "openai").contains(s.settings.model))
        _ = press(&s, .left)
        #expect(s.settings.model == "gpt-5-mini")
        _ = press(&s, .enter)
        #expect(s.modals.last == .input(.setting(.model), text: "gpt-5-mini"))
        for _ in 0..<6 { _ = press(&s, .backspace) }
        _ = press(&s, .char("4"), .char("o"), .enter)
        #expect(s.settings.model == "gpt-4o")
    }

    @Test func sortFilterAndPalette() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        _ = press(&s, .char("s"))
        #expect(s.querySort == .delta)
        let deltas = s.visibleQueries.compactMap { $0.delta(.ndcgAt(10)) }
        #expect(deltas == deltas.sorted())
        _ = press(&s, .char("/"), .char("c"), .char("o"), .char("f"), .char("f"), .enter)
        #expect(s.visibleQueries.map(\.queryID) == ["pm07"])
        _ = press(&s, .char("/"), .escape)
        #expect(s.visibleQueries.count == 36)
        // The lexical baseline has no mem0 config (issue 20 item 13): export for an LLM.
        s.settings.provider = "openai"
        s.settings.model = "gpt-4o-mini"
        _ = press(&s, .char(":"), .char("e"), .char("x"), .char("p"), .char("o"), .char("r"), .char("t"))
        let effects = press(&s, .enter)
        guard case let .writeFile(path, contents, what)? = effects.first else { Issue.record("no export"); return }
        #expect(path == "exports/mem0-reranker-mem0-default-system.json")
        #expect(what == "mem0 config")
        // The export loads back with our mem0 config reader and carries the prompt, no key.
        let config = try Mem0RerankerConfig.parse(contents)
        #expect(config.scoringPrompt == BuiltinPrompts.mem0System)
        #expect(config.warnings.isEmpty)
    }

    @Test func exportedConfigReferencesTheKeyVariable() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.settings.provider = "anthropic"
        s.settings.model = "claude-3-5-haiku-latest"
        guard case let .writeFile(_, contents, _)? = WorkbenchReducer.perform(&s, .exportConfig).first else { Issue.record("no export"); return }
        #expect(contents.contains("\"api_key\": \"${ANTHROPIC_API_KEY}\""))
        let c = try Mem0RerankerConfig.parse(contents, environment: ["ANTHROPIC_API_KEY": "sk-ant-123456789"])
        #expect(c.provider == "anthropic" && c.apiKey == "sk-ant-123456789")
    }

    @Test func savePromptWritesACardWithMetrics() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        // Metrics go into a card only from an LLM run (issue 20 item 8): count this one as one.
        s.report!.providerIgnoresPrompt = false
        _ = press(&s, .ctrl("s"), .ctrl("u"))
        for c in "food aware" { _ = press(&s, .char(c)) }
        let effects = press(&s, .enter)
        guard case let .savePrompt(path, contents, overwrite)? = effects.first else { Issue.record("no save"); return }
        #expect(path == "Prompts/food-aware.txt" && !overwrite)
        let card = try ScoringPrompt.parse(contents, path: path)
        #expect(card.name == "food aware")
        #expect(card.text == BuiltinPrompts.mem0System)
        #expect(card.extraFrontMatter["ndcg_at_10"]?.hasPrefix("0.8080") == true)
        #expect(card.extraFrontMatter["dataset_sha256"] == s.dataset!.contentHash)
        _ = WorkbenchReducer.reduce(&s, .fileWritten(path: path, what: "prompt"))
        #expect(!s.editor.isDirty)
    }

    @Test func pasteKeepsNewlinesAndDoesNotRunCommands() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.focus = .prompt
        s.editor = TextEditor(text: "")
        _ = press(&s, .pasteStart, .char("a"), .enter, .char("q"), .char("r"), .pasteEnd)
        #expect(s.editor.text == "a\nqr")
        #expect(!s.isRunning && !s.wantsQuit)
    }

    @Test func runFinishedWithConfigurationErrorOpensADialog() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        _ = press(&s, .char("r"))
        _ = WorkbenchReducer.reduce(&s, .runFinished(stopReason: .configuration("gpt-5-mini rejects temperature 0.0"), elapsed: 0.3))
        #expect(s.modals.last == .message(title: "Run stopped: configuration error", body: "gpt-5-mini rejects temperature 0.0"))
        #expect(!s.isRunning)
    }

    @Test func datasetErrorsShowInADialogWithFileAndLine() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        _ = WorkbenchReducer.reduce(&s, .datasetFailed("bad.jsonl:3: candidates[0].id: missing"))
        guard case let .message(_, body)? = s.modals.last else { Issue.record("no dialog"); return }
        #expect(body.contains("bad.jsonl:3"))
    }

    @Test func keyBarAndHelpComeFromTheKeymap() {
        let bar = Keymap.standard.bar(for: .queries).map(\.1)
        #expect(bar.contains("run") && bar.contains("sort") && bar.contains("filter"))
        let help = Keymap.standard.helpLines
        for command in Set(Keymap.standard.bindings.map(\.command)) {
            #expect(help.contains { $0.title == command.title }, "\(command)")
        }
    }

    @Test func sessionRoundTripKeepsUnsavedEdits() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        _ = press(&s, .char("1"), .char("Z"), .escape)
        s.settings.model = "custom"
        let path = Fixtures.temporaryDirectory() + "/session.json"
        try Session(state: s).save(to: path)
        var fresh = WorkbenchState(width: 80, height: 24, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        try #require(Session.load(from: path)).apply(to: &fresh)
        #expect(fresh.editor.text == s.editor.text)
        #expect(fresh.editor.isDirty)
        #expect(fresh.settings.model == "custom")
        #expect(fresh.datasetPath == "Datasets/personal-memories.jsonl")
        #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains("api_key"))
    }
}

@Suite struct TextEditorTests {
    @Test func typingNewlinesAndJoins() {
        var e = TextEditor(text: "ab")
        e.end()
        e.insert("c")
        e.newline()
        e.insert("d")
        #expect(e.text == "abc\nd")
        e.home()
        e.backspace()
        #expect(e.text == "abcd")
        e.deleteForward()
        #expect(e.text == "abc")
    }

    @Test func undoGroupsTypingAndRedoRestores() {
        var e = TextEditor(text: "")
        for c in "hello" { e.insert(c) }
        e.insert(" ")
        for c in "world" { e.insert(c) }
        e.undo()
        #expect(e.text == "hello ")
        e.undo()
        #expect(e.text == "hello")
        e.redo()
        #expect(e.text == "hello ")
        e.redo()
        #expect(e.text == "hello world")
        #expect(!e.canRedo)
    }

    @Test func wordMovesAndOverwrite() {
        var e = TextEditor(text: "score the {query} now")
        e.wordRight()
        #expect(e.column == 6)
        e.wordRight()
        e.wordRight()
        e.wordLeft()
        #expect(e.column == 11)
        e.overwrite = true
        e.insert("Q")
        #expect(e.text == "score the {Query} now")
    }

    @Test func pasteIsOneUndoStep() {
        var e = TextEditor(text: "x")
        e.end()
        e.insert(text: "line1\nline2\r\nline3")
        #expect(e.text == "xline1\nline2\nline3")
        #expect(e.row == 2)
        e.undo()
        #expect(e.text == "x")
    }

    @Test func scrollFollowsTheCursorInDisplayColumns() {
        var e = TextEditor(text: String(repeating: "字", count: 40) + "\n" + (1...30).map(String.init).joined(separator: "\n"))
        e.end()
        e.scrollToCursor(height: 5, width: 20)
        #expect(e.left == 61)
        e.moveDown(20)
        e.scrollToCursor(height: 5, width: 20)
        #expect(e.top == 16)
    }
}

@Suite struct DisplayWidthTests {
    @Test func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("日本") == 4)
        #expect(DisplayWidth.of("🍣") == 2)
        #expect(DisplayWidth.of("é") == 1)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("❤️") == 2)
        #expect(DisplayWidth.clip("日本語テキスト", 7) == "日本語…")
        #expect(DisplayWidth.of(DisplayWidth.pad("日本", 5)) == 5)
    }

    @Test func gridNeverSplitsAWideCharacter() {
        var g = ScreenGrid(width: 5, height: 1)
        g.put("ab日本", x: 0, y: 0)
        #expect(g.text == "ab日")
        #expect(g[3, 0].text == "")
    }
}
