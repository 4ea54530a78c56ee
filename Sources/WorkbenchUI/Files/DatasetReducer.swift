import RerankCore

/// Opening a dataset: the picker's folder listings, then the loaded dataset or why it failed.
enum DatasetReducer {
    /// The picker starts in the current dataset's folder, else the datasets folder.
    static func open(_ state: inout WorkbenchState) -> [Effect] {
        // Another file would drop the label edits of this one.
        if state.labels.isDirty {
            state.setStatus("\(LabelReducer.unsavedCount(state)) unsaved: save them (S) or undo them (Ctrl-Z in Results) before opening another dataset", error: true)
            return []
        }
        let start = state.datasetPath.map { p -> String in
            let parts = p.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count > 1 ? parts.dropLast().joined(separator: "/") : "."
        } ?? state.datasetsDirectory
        return [.listDirectory(start)]
    }

    /// A listing replaces the picker on screen (entering a folder) or opens it.
    static func listed(_ state: inout WorkbenchState, path: String, entries: [FileEntry]) -> [Effect] {
        if case .filePicker = state.modals.last { state.modals.removeLast() }
        state.modals.append(.filePicker(directory: path, entries: entries, selection: 0))
        return []
    }

    /// The file is being read: the screen says so, and the keys that need no dataset work.
    static func loading(_ state: inout WorkbenchState, _ loading: DatasetLoading) -> [Effect] {
        state.loading = loading
        state.now = max(state.now, loading.startedAt)
        state.setStatus("\(loading.what); q quits, ? shows the keys, the prompt can be edited meanwhile")
        return []
    }

    /// False, with a word on the status line, while a dataset file is still being read: what
    /// runs on the queries waits for them (the old file's, still on screen, are not meant).
    static func ready(_ state: inout WorkbenchState) -> Bool {
        guard let loading = state.loading else { return true }
        state.setStatus("wait: \(loading.path) is still loading (\(Int(max(0, state.now - loading.startedAt))) s so far)")
        return false
    }

    static func loaded(_ state: inout WorkbenchState, _ dataset: Dataset, unrun: LiveReport? = nil) -> [Effect] {
        state.loading = nil
        state.dataset = dataset
        state.unrun = unrun
        state.datasetPath = dataset.path
        state.results = []
        state.runPrompt = nil
        state.runSettings = nil
        state.queryCursor = 0
        state.queryTop = 0
        state.resultCursor = 0
        // A filter typed for the last dataset would hide this one's queries with no hint.
        state.filter = ""
        state.filtering = false
        state.testLooks = nil
        let restored = LabelReducer.loaded(&state, dataset)
        RunReducer.rebuildReport(&state)
        if let split = state.workingSplit, let shown = state.shownDataset {
            // Short enough for 80 columns: the title bar already names the file.
            let then = split == .dev ? "T confirms on the \(dataset.queries.count - shown.queries.count) test queries" : "each run is a look at the test split"
            let on = split == .all ? "all \(shown.queries.count) queries (dev and test)" : "the \(split.description) (\(shown.queries.count) of \(dataset.queries.count) queries)"
            state.setStatus("working on \(on); \(then)")
        } else {
            state.setStatus("loaded \(dataset.path): \(dataset.queries.count) queries, \(dataset.candidateCount) candidates; press r to run")
        }
        if let restored { state.setStatus(restored) }
        return [.saveSession, .countTestLooks(datasetHash: dataset.contentHash)]
    }

    static func failed(_ state: inout WorkbenchState, _ message: String) -> [Effect] {
        state.loading = nil
        state.modals.append(.message(title: "Cannot load the dataset", body: message))
        return []
    }
}
