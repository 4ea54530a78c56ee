import Foundation
import RerankKit
import RerankTestSupport
import Testing
@testable import WorkbenchUI

/// Issue 18 part 3 in the reducer: the history view, diffs, loading a version and its lineage.
@Suite struct PromptHistoryReducerTests {
    func press(_ state: inout WorkbenchState, _ keys: Key...) -> [Effect] { WorkbenchFixtures.press(&state, keys) }

    func history() throws -> WorkbenchState {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        let effects = press(&s, .char("H"))
        #expect(effects == [.loadPromptHistory(datasetPath: "Datasets/personal-memories.jsonl", datasetHash: s.dataset!.contentHash)])
        _ = WorkbenchReducer.reduce(&s, .promptHistoryLoaded(WorkbenchFixtures.promptVersions(current: s.dataset!.contentHash)))
        return s
    }

    @Test func opensOnTheEditorsVersionAndNeedsADataset() throws {
        let s = try history()
        // The editor holds the mem0 prompt, the third version listed.
        #expect(s.modals.last == .promptHistory(selection: 2, marked: nil))
        var empty = WorkbenchState(width: 120, height: 40, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        #expect(press(&empty, .char("H")).isEmpty && empty.statusIsError)
        var none = try WorkbenchFixtures.state(width: 120, height: 40)
        _ = WorkbenchReducer.reduce(&none, .promptHistoryLoaded([]))
        #expect(none.modals.isEmpty && none.status.contains("no prompt was run"))
        // In the editor H is text.
        none.focus = .prompt
        _ = press(&none, .char("H"))
        #expect(none.editor.text.hasPrefix("H"))
    }

    @Test func diffsTwoVersionsOrOneAgainstTheEditor() throws {
        var s = try history()
        // Mark the mem0 prompt as A, go to "strict", diff: one line added.
        _ = press(&s, .char("m"), .up, .up, .char("d"))
        #expect(s.modals.last == .promptDiff(scroll: 0))
        #expect(s.promptDiff?.a.hasPrefix("mem0-default-system #") == true && s.promptDiff?.b.hasPrefix("strict #") == true)
        #expect(s.promptDiff?.added == 1 && s.promptDiff?.removed == 0)
        #expect(s.promptDiff?.lines.contains { $0.kind == .added && $0.text == "Be strict: a memory that does not help is 0.0." } == true)
        // Esc goes back to the list; with nothing marked, d diffs against the editor's text.
        _ = press(&s, .escape)
        #expect(s.modals.last == .promptHistory(selection: 0, marked: 2))
        _ = press(&s, .down, .down, .char("m"))
        #expect(s.modals.last == .promptHistory(selection: 2, marked: nil))
        _ = press(&s, .up, .char("d"))
        #expect(s.promptDiff?.b == "the editor's text now" && s.promptDiff!.removed > 0 && s.promptDiff!.added > 0)
    }

    @Test func loadsAVersionAndSavingNamesItAsTheParent() throws {
        var s = try history()
        _ = press(&s, .up, .up)
        let strict = s.promptHistory[0]
        #expect(press(&s, .enter) == [.saveSession])
        #expect(s.modals.isEmpty && s.focus == .prompt && s.editor.text == strict.text)
        #expect(s.promptLineage?.parentName == "strict" && s.promptLineage?.parentSHA256 == strict.hash)
        // One undo step: the mem0 text comes back.
        _ = press(&s, .ctrl("z"))
        #expect(s.editor.text == BuiltinPrompts.mem0SystemPrompt.text)
        _ = press(&s, .ctrl("y"))
        let effects = WorkbenchReducer.savePromptCard(&s, name: "strict-2")
        guard case let .savePrompt(_, contents, _)? = effects.first else { Issue.record("no save"); return }
        #expect(contents.contains("derived_from: \"strict\""))
        #expect(contents.contains("derived_from_sha256: \(strict.hash)"))
        _ = WorkbenchReducer.reduce(&s, .fileWritten(path: "Prompts/strict-2.txt", what: "prompt"))
        #expect(s.prompt.extraFrontMatter["derived_from"] == "strict" && s.promptLineage == nil)
        // The next save names the file just written, by its own text's hash.
        _ = press(&s, .char("x"))
        guard case let .savePrompt(_, next, _)? = WorkbenchReducer.savePromptCard(&s, name: "strict-3").first else { Issue.record("no save"); return }
        #expect(next.contains("derived_from: \"strict-2\"") && next.contains("derived_from_sha256: \(Digest.sha256(strict.text))"))
    }

    @Test func unsavedEditsAreAskedAboutBeforeALoad() throws {
        var s = try history()
        s.modals = []
        s.focus = .prompt
        _ = press(&s, .char("Z"), .escape, .char("H"))
        _ = WorkbenchReducer.reduce(&s, .promptHistoryLoaded(WorkbenchFixtures.promptVersions(current: s.dataset!.contentHash)))
        _ = press(&s, .enter)
        #expect(s.modals.last == .confirm(.loadPromptVersion(hash: s.promptHistory[0].hash, name: "strict")))
        _ = press(&s, .char("n"))
        #expect(s.editor.text.hasPrefix("Z") && s.modals.last == .promptHistory(selection: 0, marked: nil))
        _ = press(&s, .enter, .char("y"))
        #expect(s.modals.isEmpty && s.editor.text == s.promptHistory[0].text)
        _ = press(&s, .ctrl("z"))
        #expect(s.editor.text.hasPrefix("Z"))
    }
}
