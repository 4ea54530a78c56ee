import RerankCore

/// The prompt history (H): every prompt text run on the loaded dataset, from the store, with its
/// best primary metric, run count and last run. Two versions (or one and the editor's text) are
/// diffed line by line; a version is loaded into the editor as one undoable edit, and a later
/// Ctrl-S records it as the saved prompt's parent (`derived_from`).
public enum PromptHistoryReducer {
    public enum Intent: Sendable, Hashable {
        /// Selection down (negative: up).
        case move(Int)
        /// Mark the selected version as the diff's A (again: unmark).
        case mark
        /// Diff the marked version (or, with none marked, the selected one) against the selected
        /// version (or the editor's text).
        case diff
        case load, close
    }

    static func open(_ state: inout WorkbenchState) -> [Effect] {
        guard let path = state.datasetPath, let dataset = state.dataset else {
            state.setStatus("open a dataset first (o): the history lists the prompts run on it", error: true)
            return []
        }
        return [.loadPromptHistory(datasetPath: path, datasetHash: state.labels.baseHash ?? dataset.contentHash)]
    }

    static func loaded(_ state: inout WorkbenchState, _ versions: [PromptVersion]) -> [Effect] {
        guard !versions.isEmpty else {
            state.setStatus("no prompt was run on this dataset yet: run one (r), then H lists it")
            return []
        }
        state.promptHistory = versions
        // The version in the editor is selected first when it was run.
        let current = versions.firstIndex { $0.hash == Digest.sha256(state.editor.text) } ?? 0
        state.modals.append(.promptHistory(selection: current, marked: nil))
        return []
    }

    static func failed(_ state: inout WorkbenchState, _ message: String) -> [Effect] {
        state.modals.append(.message(title: "Cannot read the prompt history", body: message))
        return []
    }

    static func reduce(_ state: inout WorkbenchState, _ intent: Intent) -> [Effect] {
        guard case let .promptHistory(selection, marked) = state.modals.last, selection < state.promptHistory.count else { return [] }
        let versions = state.promptHistory
        switch intent {
        case let .move(delta):
            state.replaceTopModal(.promptHistory(selection: ListSelection.moved(selection, by: delta, count: versions.count), marked: marked))
        case .mark:
            state.replaceTopModal(.promptHistory(selection: selection, marked: marked == selection ? nil : selection))
        case .diff:
            let b = versions[selection]
            if let marked, marked != selection {
                let a = versions[marked]
                state.promptDiff = PromptDiffShown(a: title(a), b: title(b), lines: LineDiff(old: a.text, new: b.text).lines)
            } else {
                state.promptDiff = PromptDiffShown(a: title(b), b: "the editor's text now", lines: LineDiff(old: b.text, new: state.editor.text).lines)
            }
            state.modals.append(.promptDiff(scroll: 0))
        case .load:
            let v = versions[selection]
            guard v.text != state.editor.text else {
                state.setStatus("\(v.name) #\(v.hash.prefix(6)) is already the editor's text")
                return []
            }
            // Unsaved edits are never replaced without a yes (and stay one Ctrl-Z away after it).
            if state.editor.isDirty {
                state.modals.append(.confirm(.loadPromptVersion(hash: v.hash, name: v.name)))
                return []
            }
            return load(&state, hash: v.hash)
        case .close:
            state.closeTopModal()
        }
        return []
    }

    /// Puts a version's text in the editor (one undo step) and makes it the parent the next save
    /// names in `derived_from`.
    static func load(_ state: inout WorkbenchState, hash: String) -> [Effect] {
        guard let v = state.promptHistory.first(where: { $0.hash == hash }) else { return [] }
        state.modals.removeAll { if case .promptHistory = $0 { return true } else { return false } }
        state.editor.replaceAll(v.text)
        state.promptLineage = PromptCard.Lineage(parentName: v.name, parentSHA256: v.hash, source: nil)
        state.focus = .prompt
        state.setStatus("loaded \(v.name) #\(v.hash.prefix(6)) from the history; Ctrl-Z undoes, Ctrl-S saves it (derived_from \(v.name))")
        return [.saveSession]
    }

    static func title(_ v: PromptVersion) -> String { "\(v.name) #\(v.hash.prefix(6))" }
}

/// A line diff of two prompt texts as the diff view shows it.
public struct PromptDiffShown: Sendable, Equatable {
    public var a: String
    public var b: String
    public var lines: [LineDiff.Line]

    public var removed: Int { lines.filter { $0.kind == .removed }.count }
    public var added: Int { lines.filter { $0.kind == .added }.count }
}
