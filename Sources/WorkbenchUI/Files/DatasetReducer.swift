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

    /// False, with a word on the status line, while the first-stage metrics are measured: what
    /// compares or bins the numbers (`key` names it) waits for them rather than take none.
    static func metricsReady(_ state: inout WorkbenchState, for key: String) -> Bool {
        guard state.metricsPending, let measuring = state.measuring else { return true }
        state.setStatus("wait: the first-stage metrics are still being measured (\(Int(max(0, state.now - measuring.startedAt))) s so far); \(key) works once they are in")
        return false
    }

    /// The dataset with its report of no results (made beside the reading, or here when nil).
    static func loaded(_ state: inout WorkbenchState, _ dataset: Dataset, unrun: LiveReport? = nil) -> [Effect] {
        take(&state, dataset, unrun: unrun, measureLater: false)
    }

    /// The dataset read, its report of no results not yet made: the queries are listed at once
    /// and the shell measures the report in the background (`Effect.measureUnrun`), handed in
    /// by `measured`. On a file of a million pairs that is a second less before the queries show.
    static func read(_ state: inout WorkbenchState, _ dataset: Dataset) -> [Effect] {
        take(&state, dataset, unrun: nil, measureLater: true)
    }

    static func take(_ state: inout WorkbenchState, _ dataset: Dataset, unrun: LiveReport?, measureLater: Bool) -> [Effect] {
        state.loading = nil
        state.measuring = nil
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
        if measureLater, let builder = state.reportBuilder {
            // Before the label edits a session kept are put back: the report is asked for once
            // they are in (`requestMeasuring`), and until then nothing builds it here.
            state.measuring = MetricsMeasuring(startedAt: state.now, builder: builder, requestedVersion: state.datasetVersion)
        }
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
        return requestMeasuring(&state) + [.saveSession, .countTestLooks(datasetHash: dataset.contentHash)]
    }

    /// Asks the shell to measure the report of no results of what the screen shows now.
    static func requestMeasuring(_ state: inout WorkbenchState) -> [Effect] {
        guard state.measuring != nil else { return [] }
        guard let builder = state.reportBuilder else {
            state.measuring = nil
            return []
        }
        state.measureTickets += 1
        let ticket = state.measureTickets, version = state.datasetVersion
        state.measuring?.builder = builder
        state.measuring?.ticket = ticket
        state.measuring?.requestedVersion = version
        return [.measureUnrun(builder, ticket: ticket)]
    }

    /// Whether a report of `builder`, measured when the dataset was at `version`, is the report
    /// of no results of what the screen shows now.
    static func fits(_ state: WorkbenchState, _ builder: RunReportBuilder, version: Int) -> Bool {
        guard version == state.datasetVersion, let current = state.reportBuilder else { return false }
        return builder.dataset.contentHash == current.dataset.contentHash && RunReducer.scoresAlike(builder, current)
    }

    /// The report of no results measured in the background. Taken if it is of the dataset as it
    /// is now and scores as the settings do; otherwise measured again (a label was edited, or a
    /// setting that scores changed, while it was measured). A run started meanwhile has its
    /// results added to it.
    static func measured(_ state: inout WorkbenchState, _ unrun: LiveReport, ticket: Int) -> [Effect] {
        // Nothing is waiting for it (a report already taken), or it answers an older request
        // (of a file since replaced, or asked again): the latest request's report is on the way.
        guard let measuring = state.measuring, measuring.ticket == ticket else { return [] }
        guard fits(state, unrun.builder, version: measuring.requestedVersion) else { return requestMeasuring(&state) }
        // The selected query stays selected when a metric sort now orders the list.
        let selected = state.selectedQuery?.queryID
        let selectedMemory = state.selectedCandidate?.id
        state.measuring = nil
        state.unrun = unrun
        RunReducer.rebuildReport(&state, stopReason: measuring.ended?.stopReason, elapsed: measuring.ended?.elapsed)
        // A run that finished meanwhile is told with its numbers now.
        if let ended = measuring.ended, ended.stopReason == nil, !state.isRunning {
            RunReducer.sayDone(&state, elapsed: ended.elapsed, failures: state.report?.counts.failed ?? 0)
        }
        if let selected, state.selectedQuery?.queryID != selected {
            let list = state.visibleQueries
            if let i = list.firstIndex(where: { $0.queryID == selected }) { state.queryCursor = i }
        }
        // The report ranks an unrun query's memories as they were listed: the same one stays selected.
        if let selectedMemory, let i = state.selectedQuery?.candidates.firstIndex(where: { $0.id == selectedMemory }) { state.resultCursor = i }
        return []
    }

    static func failed(_ state: inout WorkbenchState, _ message: String) -> [Effect] {
        state.loading = nil
        state.modals.append(.message(title: "Cannot load the dataset", body: message))
        return []
    }
}
