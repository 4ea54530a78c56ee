import RerankCore

/// Labels edited in place: in the Results pane a digit sets the selected memory's label and `u`
/// marks it unjudged; Ctrl-Z and Ctrl-Y there undo and redo; `S` saves. The metrics, deltas,
/// ceilings and the Queries pane are rebuilt from the stored scores at once, with no calls.
/// The file is written only on save, by the shell (`LabelFileSave`: atomic, with a backup and
/// a log); a file changed on disk since it was loaded is never overwritten without a choice.
public enum LabelReducer {
    /// The choices when the file changed on disk since it was loaded.
    public enum Intent: Sendable, Hashable {
        /// Write my labels into the file as it is now (its other changes are kept).
        case keepMine
        /// Reload the file as it is on disk and drop my unsaved label edits.
        case takeTheirs
        case cancel
    }

    /// A digit in the Results pane.
    static func set(_ state: inout WorkbenchState, key: Key) -> [Effect] {
        guard case let .char(c) = key, let digit = c.wholeNumberValue else { return [] }
        return set(&state, label: digit)
    }

    static func set(_ state: inout WorkbenchState, label: Int?) -> [Effect] {
        guard let q = state.selectedQuery, let c = state.selectedCandidate, let old = state.dataset?.label(LabelKey(queryID: q.queryID, memoryID: c.id)) else {
            state.setStatus("no memory selected: open a dataset (o) and choose a memory in Results", error: true)
            return []
        }
        let key = LabelKey(queryID: q.queryID, memoryID: c.id)
        guard old != label else {
            state.setStatus("memory \(c.id) of \(q.queryID) is already \(LabelChange.text(label))")
            return []
        }
        let change = LabelChange(key: key, old: old, new: label)
        apply(&state, change)
        state.labels.undoSteps.append(change)
        state.labels.redoSteps = []
        state.setStatus("\(describe(change)); \(unsavedCount(state)) unsaved (S saves to the file, Ctrl-Z undoes)")
        return [.saveSession]
    }

    static func undo(_ state: inout WorkbenchState) -> [Effect] { step(&state, back: true) }

    static func redo(_ state: inout WorkbenchState) -> [Effect] { step(&state, back: false) }

    /// Undo (`back`) or redo: a step moves from one stack to the other.
    static func step(_ state: inout WorkbenchState, back: Bool) -> [Effect] {
        guard let step = back ? state.labels.undoSteps.popLast() : state.labels.redoSteps.popLast() else {
            state.setStatus("no label edit to \(back ? "undo" : "redo")")
            return []
        }
        let change = back ? step.reversed : step
        apply(&state, change)
        if back { state.labels.redoSteps.append(step) } else { state.labels.undoSteps.append(step) }
        select(&state, step.key)
        state.setStatus("\(back ? "undone" : "redone"): \(describe(change)); \(unsavedCount(state)) unsaved\(back ? " (Ctrl-Y redoes)" : "")")
        return [.saveSession]
    }

    /// The label goes into the dataset in memory, and every number is rebuilt from the scores.
    static func apply(_ state: inout WorkbenchState, _ change: LabelChange) {
        state.dataset?.setLabel(change.new, for: change.key)
        state.labels.record(change)
        RunReducer.rebuildReport(&state)
    }

    /// Puts the cursors on the memory an undo or redo changed, so the user sees it.
    static func select(_ state: inout WorkbenchState, _ key: LabelKey) {
        let list = state.visibleQueries
        guard let qi = list.firstIndex(where: { $0.queryID == key.queryID }) else { return }
        if qi != state.queryCursor { state.resultTop = 0 }
        state.queryCursor = qi
        state.resultCursor = list[qi].candidates.firstIndex { $0.id == key.memoryID } ?? state.resultCursor
    }

    static func describe(_ c: LabelChange) -> String {
        "\(c.key.queryID) memory \(c.key.memoryID): \(LabelChange.text(c.old)) → \(LabelChange.text(c.new))"
    }

    static func unsavedCount(_ state: WorkbenchState) -> String {
        let n = state.labels.unsaved.count
        return "\(n) label edit\(n == 1 ? "" : "s")"
    }

    // MARK: saving

    /// S: the unsaved labels to the file (checked against the version they were edited on).
    static func save(_ state: inout WorkbenchState) -> [Effect] {
        guard let path = state.datasetPath, let dataset = state.dataset else {
            state.setStatus("open a dataset first (o)", error: true)
            return []
        }
        guard state.labels.isDirty else {
            state.quitAfterSave = false
            state.setStatus("no unsaved label edits: in Results a digit sets the selected memory's label")
            return []
        }
        return [.saveLabels(path: path, expectedHash: state.labels.baseHash ?? dataset.contentHash, labels: state.labels.unsaved)]
    }

    /// The file is written: it is now the dataset on screen (its new hash is the version the
    /// store records for the next runs).
    static func saved(_ state: inout WorkbenchState, _ dataset: Dataset, changes: [LabelChange], backup: String?) -> [Effect] {
        state.dataset = dataset
        state.labels.original = [:]
        state.labels.current = [:]
        state.labels.baseHash = dataset.contentHash
        RunReducer.rebuildReport(&state)
        var text = "\(changes.count) label\(changes.count == 1 ? "" : "s") saved to \(dataset.path) (now #\(dataset.contentHash.prefix(6)))"
        if let backup { text += "; the original is in \(backup)" }
        text += "; changes logged in \(LabelFileSave.logPath(dataset.path))"
        state.setStatus(text)
        let effects: [Effect] = [.saveSession, .countTestLooks(datasetHash: dataset.contentHash)]
        guard state.quitAfterSave else { return effects }
        // "Save first" from the quit dialog: the prompt next if it has edits, else quit.
        if state.editor.isDirty { return effects + PromptFileReducer.askForName(&state) }
        state.wantsQuit = true
        return effects + [.quit]
    }

    static func changedOnDisk(_ state: inout WorkbenchState) -> [Effect] {
        state.modals.append(.labelConflict(edits: state.labels.unsaved.count))
        return []
    }

    static func saveFailed(_ state: inout WorkbenchState, _ message: String) -> [Effect] {
        state.quitAfterSave = false
        state.modals.append(.message(title: "Labels not saved", body: message + "\n\nThe file was not changed; your label edits are kept (in the session too)."))
        state.setStatus("labels not saved: the file is unchanged", error: true)
        return []
    }

    /// The answer to "the file changed on disk".
    static func reduce(_ state: inout WorkbenchState, _ intent: Intent) -> [Effect] {
        guard case .labelConflict = state.modals.last else { return [] }
        state.closeTopModal()
        switch intent {
        case .keepMine:
            guard let path = state.datasetPath else { return [] }
            return [.saveLabels(path: path, expectedHash: nil, labels: state.labels.unsaved)]
        case .takeTheirs:
            state.quitAfterSave = false
            guard let path = state.datasetPath else { return [] }
            return [.reloadDataset(path)]
        case .cancel:
            state.quitAfterSave = false
            state.setStatus("nothing written; your \(unsavedCount(state)) stay unsaved (S asks again)")
            return []
        }
    }

    /// "Take theirs": the file as it is on disk replaces the labels on screen; the run on screen
    /// stays and is re-scored with them.
    static func reloaded(_ state: inout WorkbenchState, _ dataset: Dataset) -> [Effect] {
        let dropped = state.labels.unsaved.count
        state.dataset = dataset
        state.labels = LabelEdits(baseHash: dataset.contentHash)
        RunReducer.rebuildReport(&state)
        state.setStatus("took \(dataset.path) as it is on disk (#\(dataset.contentHash.prefix(6))): \(dropped) label edit\(dropped == 1 ? "" : "s") dropped")
        return [.saveSession, .countTestLooks(datasetHash: dataset.contentHash)]
    }

    /// A freshly loaded file starts with no edits; the session's unsaved edits of that same file
    /// are put back on it (by memory id: the file may have changed since), each one undoable.
    static func loaded(_ state: inout WorkbenchState, _ dataset: Dataset) -> String? {
        state.labels = LabelEdits(baseHash: dataset.contentHash)
        let pending = state.labelsToRestore
        state.labelsToRestore = PendingLabelEdits()
        guard pending.path == dataset.path, !pending.changes.isEmpty else { return nil }
        var restored = 0
        for change in pending.changes {
            guard let fileLabel = state.dataset?.label(change.key), fileLabel != change.new else { continue }
            let step = LabelChange(key: change.key, old: fileLabel, new: change.new)
            state.dataset?.setLabel(step.new, for: step.key)
            state.labels.record(step)
            state.labels.undoSteps.append(step)
            restored += 1
        }
        guard restored > 0 else { return nil }
        RunReducer.rebuildReport(&state)
        return "\(restored) unsaved label edit\(restored == 1 ? "" : "s") restored from the last session (S saves, Ctrl-Z in Results undoes)"
    }
}

/// Label edits the session kept for a dataset file, put back when that file loads.
public struct PendingLabelEdits: Sendable, Equatable {
    public var path: String?
    public var changes: [LabelChange]

    public init(path: String? = nil, changes: [LabelChange] = []) {
        self.path = path
        self.changes = changes
    }
}
