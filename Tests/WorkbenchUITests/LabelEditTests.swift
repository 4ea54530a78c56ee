import Foundation
import RerankKit
import RerankTestSupport
import Testing
@testable import WorkbenchUI

/// Issue 18 part 1 in the reducer: labels edited in the Results pane, undone and redone,
/// saved through the shell, and never lost (quit, conflict, another dataset, restart).
@Suite struct LabelEditTests {
    func press(_ state: inout WorkbenchState, _ keys: Key...) -> [Effect] { WorkbenchFixtures.press(&state, keys) }

    /// The ran state with the Results pane focused on pm01's top memory (a20, label 2).
    func results() async throws -> WorkbenchState {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        s.focus = .results
        #expect(s.selectedQuery?.queryID == "pm01" && s.selectedCandidate?.id == "a20" && s.selectedCandidate?.label == 2)
        return s
    }

    @Test func aDigitSetsTheLabelAndEveryNumberFollowsWithNoCall() async throws {
        var s = try await results()
        let metric = s.settings.metrics.primaryMetric
        let before = s.selectedQuery!
        let meanBefore = s.report!.rerankedMean[metric]!
        let effects = press(&s, .char("0"))
        #expect(effects == [.saveSession])
        #expect(s.focus == .results)
        #expect(s.selectedCandidate?.label == 0)
        #expect(s.dataset?.label(LabelKey(queryID: "pm01", memoryID: "a20")) == .some(0))
        let after = s.selectedQuery!
        // The memory was ranked first with a 2: without it the query scores lower, in both
        // orders, and its ceiling and the mean follow.
        #expect(after.reranked[metric]! < before.reranked[metric]!)
        #expect(after.baseline[metric]! != before.baseline[metric]!)
        #expect(s.report!.rerankedMean[metric]! < meanBefore)
        #expect(s.results.count == 456 && !s.isRunning)
        #expect(s.labels.unsaved == [LabelKey(queryID: "pm01", memoryID: "a20"): 0])
        #expect(s.status.contains("pm01 memory a20: 2 → 0"))
        // u marks it unjudged; the same digit twice changes nothing.
        _ = press(&s, .char("u"))
        #expect(s.selectedCandidate?.label == nil)
        _ = press(&s, .char("u"))
        #expect(s.labels.undoSteps.count == 2)
    }

    @Test func undoAndRedoWalkTheEdits() async throws {
        var s = try await results()
        let original = s.report!.rerankedMean
        _ = press(&s, .char("0"), .down, .char("3"))
        #expect(s.labels.unsaved.count == 2)
        // Undo from another query brings the cursor back to the memory it changes.
        _ = press(&s, .backTab, .down, .tab)
        #expect(s.selectedQuery?.queryID == "pm02")
        _ = press(&s, .ctrl("z"))
        #expect(s.selectedQuery?.queryID == "pm01" && s.selectedCandidate?.id == "a03" && s.selectedCandidate?.label == 0)
        _ = press(&s, .ctrl("z"))
        #expect(!s.labels.isDirty)
        #expect(s.report!.rerankedMean == original)
        _ = press(&s, .ctrl("z"))
        #expect(s.status == "no label edit to undo")
        _ = press(&s, .ctrl("y"))
        #expect(s.selectedCandidate?.label == 0 && s.labels.unsaved.count == 1)
        // A new edit drops what could be redone.
        _ = press(&s, .char("1"), .ctrl("y"))
        #expect(s.status == "no label edit to redo")
    }

    @Test func digitsAreLabelsOnlyInResults() async throws {
        var s = try await results()
        let keymap = s.keymap
        for digit in "0123456789" { #expect(keymap.command(for: .char(digit), focus: .results) == .setLabel) }
        #expect(keymap.command(for: .char("1"), focus: .queries) == .focusPrompt)
        #expect(keymap.command(for: .char("4"), focus: .metrics) == .focusResults)
        #expect(keymap.bar(for: .results).prefix(3).map(\.0) == ["0-9", "u", "S"])
        #expect(keymap.helpLines.contains { $0.keys == "0-9" && $0.scope == "Results" })
        #expect(keymap.helpLines.contains { $0.keys == "1" && $0.scope == "Settings, Queries, Metrics" })
        // Tab still leaves the pane.
        _ = press(&s, .tab)
        #expect(s.focus == .metrics)
    }

    @Test func saveAsksTheShellAndTheSavedFileBecomesTheDataset() async throws {
        var s = try await results()
        let hash = s.dataset!.contentHash
        _ = press(&s, .char("0"))
        let key = LabelKey(queryID: "pm01", memoryID: "a20")
        let effects = press(&s, .char("S"))
        #expect(effects == [.saveLabels(path: "Datasets/personal-memories.jsonl", expectedHash: hash, labels: [key: 0])])
        var written = s.dataset!
        written.contentHash = "feedface" + String(hash.dropFirst(8))
        let after = WorkbenchReducer.reduce(&s, .labelsSaved(written, changes: [LabelChange(key: key, old: 2, new: 0)], backup: "Datasets/personal-memories.jsonl.bak"))
        #expect(after.contains(.countTestLooks(datasetHash: written.contentHash)))
        #expect(!s.labels.isDirty && s.labels.baseHash == written.contentHash)
        #expect(s.report?.datasetHash == written.contentHash)
        #expect(s.status.contains("1 label saved") && s.status.contains("#feedfa") && s.status.contains(".bak") && s.status.contains(".labels.log"))
        // Saved edits can still be undone: that is a new unsaved edit back to 2.
        _ = press(&s, .ctrl("z"))
        #expect(s.labels.unsaved == [key: 2])
    }

    @Test func aFileChangedOnDiskAsksKeepMineTakeTheirsOrCancel() async throws {
        var s = try await results()
        _ = press(&s, .char("0"))
        _ = press(&s, .char("S"))
        _ = WorkbenchReducer.reduce(&s, .labelsChangedOnDisk)
        #expect(s.modals.last == .labelConflict(edits: 1))
        // A stray key cancels and keeps the edits.
        _ = press(&s, .char("x"))
        #expect(s.modals.isEmpty && s.labels.isDirty)
        _ = WorkbenchReducer.reduce(&s, .labelsChangedOnDisk)
        let unsaved = s.labels.unsaved
        #expect(press(&s, .char("m")) == [.saveLabels(path: "Datasets/personal-memories.jsonl", expectedHash: nil, labels: unsaved)])
        _ = WorkbenchReducer.reduce(&s, .labelsChangedOnDisk)
        #expect(press(&s, .char("f")) == [.reloadDataset("Datasets/personal-memories.jsonl")])
        let theirs = try WorkbenchFixtures.dataset()
        _ = WorkbenchReducer.reduce(&s, .datasetReloaded(theirs))
        #expect(!s.labels.isDirty && s.selectedCandidate?.label == 2 && s.results.count == 456)
        #expect(s.status.contains("1 label edit dropped"))
    }

    @Test func unsavedLabelsAreNeverDroppedSilently() async throws {
        var s = try await results()
        _ = press(&s, .char("0"))
        // Not run on labels the file does not have; not replaced by another dataset.
        _ = press(&s, .char("r"))
        #expect(!s.isRunning && s.statusIsError && s.status.contains("save them (S) first"))
        #expect(press(&s, .char("o")).isEmpty && s.status.contains("before opening another dataset"))
        // Quitting asks; "save first" saves the labels, then quits once they are written.
        _ = press(&s, .char("q"))
        #expect(s.modals.last == .confirmQuit && !s.wantsQuit)
        let effects = press(&s, .char("s"))
        #expect(effects.count == 1)
        guard case .saveLabels = effects.first else { Issue.record("no save: \(effects)"); return }
        let done = WorkbenchReducer.reduce(&s, .labelsSaved(s.dataset!, changes: [], backup: nil))
        #expect(s.wantsQuit && done.contains(.quit))
    }

    @Test func theSessionKeepsUnsavedLabelsAcrossARestart() async throws {
        var s = try await results()
        _ = press(&s, .char("0"), .down, .char("u"))
        let session = Session(state: s)
        #expect(session.labelEdits?.count == 2)
        let data = try JSONEncoder().encode(session)
        var fresh = WorkbenchState(width: 120, height: 40, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        try JSONDecoder().decode(Session.self, from: data).apply(to: &fresh)
        _ = WorkbenchReducer.reduce(&fresh, .datasetLoaded(try WorkbenchFixtures.dataset()))
        #expect(fresh.labels.unsaved == s.labels.unsaved)
        #expect(fresh.status.contains("2 unsaved label edits restored"))
        // An older session file, without the key, still loads.
        var json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        json["labelEdits"] = nil
        #expect(try JSONDecoder().decode(Session.self, from: JSONSerialization.data(withJSONObject: json)).labelEdits == nil)
    }
}
