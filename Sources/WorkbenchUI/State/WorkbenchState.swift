import RerankCore

/// How the queries list is ordered.
public enum QuerySort: String, Sendable, CaseIterable, Codable {
    case file, delta, ndcg, id

    var next: QuerySort {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    var label: String {
        switch self {
        case .file: return "file order"
        case .delta: return "delta, worst first"
        case .ndcg: return "reranked NDCG, lowest first"
        case .id: return "id"
        }
    }
}

/// A provider as the settings pane shows it.
public struct ProviderStatus: Sendable, Equatable {
    public var name: String
    public var ready: Bool
    public var detail: String
    public var defaultModel: String

    public init(name: String, ready: Bool, detail: String, defaultModel: String) {
        self.name = name
        self.ready = ready
        self.detail = detail
        self.defaultModel = defaultModel
    }
}

/// Progress of the run in flight.
public struct RunProgress: Sendable, Equatable {
    public var done = 0
    public var total = 0
    public var startedAt = 0.0
    public var failures = 0
    public var retries = 0
    public var tokens = 0
    public var lastError: String?
}

/// A run as the screen shows it: its replies and report, and what it was run with.
public struct ShownRun: Sendable {
    public var results: [PairResult]
    public var report: RunReport?
    public var prompt: ScoringPrompt?
    public var settings: RunSettings?
}

/// What the user last chose on a provider, restored when they switch back to it.
public struct ProviderChoice: Sendable, Equatable {
    public var model: String
    public var baseURL: String?
    public var concurrency: Int
}

/// An entry of the file picker.
public struct FileEntry: Sendable, Equatable {
    public var name: String
    public var isDirectory: Bool

    public init(name: String, isDirectory: Bool) {
        self.name = name
        self.isDirectory = isDirectory
    }
}

/// Everything the workbench shows; changed only by `WorkbenchReducer` and the area reducers it
/// hands actions to.
public struct WorkbenchState: Sendable {
    public var width: Int
    public var height: Int
    public var focus: Focus = .queries
    public var modals: [Modal] = []
    public var editor: TextEditor
    /// The prompt's metadata (name, path, front matter); its text lives in `editor`.
    public var prompt: ScoringPrompt
    public var datasetPath: String?
    public var dataset: Dataset? {
        didSet {
            datasetIndex = DatasetIndex(dataset)
            // Its labels or its queries changed: no report of it made before still holds.
            unrun = nil
            datasetVersion &+= 1
        }
    }
    /// Counts the dataset's changes (a file opened, a label edited): a report measured in the
    /// background is taken only for the version it was measured on.
    public private(set) var datasetVersion = 0
    /// The report of no results being measured in the background, while the queries are
    /// already listed (nil: not measuring). The report stays nil until it arrives.
    public var measuring: MetricsMeasuring? {
        didSet { refreshVisibleQueries() }
    }
    /// Numbers the requests to measure a report of no results (`MetricsMeasuring.ticket`).
    var measureTickets = 0
    /// The report of no results of the shown queries, kept while the dataset stays the same
    /// (`RunReducer.rebuildReport` checks that it scores as the settings do): a run starts from
    /// it instead of measuring every unrun pair of a large file again.
    var unrun: LiveReport?
    /// The loaded dataset's queries by id, for the panes that show one query's memories.
    public private(set) var datasetIndex = DatasetIndex(nil)
    /// The dataset file being read in the background (the first screen shows it at once).
    public var loading: DatasetLoading?
    public var settings: RunSettings {
        didSet {
            if oldValue.metrics.primaryMetric != settings.metrics.primaryMetric { refreshVisibleQueries() }
        }
    }
    public var providers: [ProviderStatus] = []
    public var queryCursor = 0
    public var queryTop = 0
    public var resultCursor = 0
    public var resultTop = 0
    public var settingsCursor = 0
    public var querySort: QuerySort = .file {
        didSet { refreshVisibleQueries() }
    }
    public var filter = "" {
        didSet { refreshVisibleQueries() }
    }
    public var filtering = false
    public var run: RunProgress?
    public var results: [PairResult] = []
    /// While a run goes: its report kept per query, so a batch of results rebuilds only the
    /// queries it touched (a large file's full rebuild every frame kept keys waiting).
    var live: LiveReport?
    /// Whatever changes the report (a load, a run's batch, a label, a setting) brings what the
    /// screen derives from it up to date here, once: frames only read it.
    public var report: RunReport? {
        get { shownReport }
        set {
            shownReport = newValue
            reportVersion &+= 1
            refreshVisibleQueries()
            scoresByLabel = scoresKnown ?? ScoresByLabel(shownReport)
            scoresKnown = nil
        }
    }
    private var shownReport: RunReport?
    /// The histogram of the report about to be set, when its setter knows it (`setReport`).
    private var scoresKnown: ScoresByLabel?
    /// Counts the report's changes, for caches of what is too heavy to derive on each change
    /// (`calibrationCache`, made only while its view is open).
    public private(set) var reportVersion = 0
    /// The Queries pane's order after sorting and filtering, as indices into the report's
    /// queries (nil: all of them in file order): kept with the state, since a large file's
    /// sort every frame kept keys waiting.
    private(set) var visibleOrder: [Int]?
    /// The metrics pane's histogram, binned once per report.
    public private(set) var scoresByLabel = ScoresByLabel(nil)
    /// The calibration of the report as of `reportVersion` (made when its view is shown).
    var calibrationCache: (version: Int, value: ScoreCalibration)?
    /// The prompt and settings the current results were scored with: what A/B labels, saved
    /// metrics and exports must name, whatever the editor holds now.
    public var runPrompt: ScoringPrompt?
    public var runSettings: RunSettings?
    /// What the screen showed before the run in flight started, put back if it fails to start.
    public var beforeRun: ShownRun?
    /// Set when the user asked to quit during a run: quit once the cancelled run is stored.
    public var quitWhenStopped = false
    /// The name and description a prompt save in flight will give the prompt once written.
    public var pendingPromptName: String?
    /// Providers the user gave a key for in this session (the keys themselves stay in the shell).
    public var sessionKeyProviders: Set<String> = []
    /// What a mem0 config given at start says about its provider's endpoint and key (shown in
    /// the settings pane; the values themselves reach the run through the recipe).
    public var configOrigin: ConfigOrigin?
    /// Paid provider/model pairs whose cost the user accepted in this session (not saved: a
    /// new session asks again).
    public var paidRunsConfirmed: Set<String> = []
    /// Per provider, the model, URL and concurrency the user had when they switched away.
    public var providerChoices: [String: ProviderChoice] = [:]
    /// "Save first" from the quit dialog: quit once the prompt file is written.
    public var quitAfterSave = false
    public var pendingPromptDescription: String?
    /// For the compare view: queries left out because a run did not complete them, and B's label.
    public var compareLeftOut = 0
    public var compareLabelB = ""
    /// Set when A and B used different dataset files (the same words as `rerank-eval compare`).
    public var compareNote: String?
    /// The run pinned as A for comparison, and a label for it.
    public var pinned: RunReport?
    public var pinnedLabel = ""
    /// A-vs-B statistics, computed once when the compare view opens (the resampling tests are
    /// too heavy to redo on every frame). The first entry is the primary metric.
    public var comparisons: [PairedComparison] = []
    /// A and B query by query, computed when the Diff view opens.
    public var diff: RunDiff?
    /// The tune started in this session (live while it runs), for the Tune view (t).
    public var tune: TuneProgress?
    /// The Probes view's attacks and the probe started in this session (A).
    public var probe = ProbeSession()
    public var status = ""
    /// The store's id of the last finished run (`rerank-eval show ID` opens it).
    public var lastStoredRun: Int64?
    public var statusIsError = false
    /// What the error on the status line is about, if it can be fixed (`clearFixedStatus`).
    public var statusSubject: StatusSubject?
    public var pasting = false
    public var monochrome = false
    /// The keys in force: the built-in table with the user's config overrides.
    public var keymap = Keymap.standard
    /// The colours in force (the config's theme); `monochrome` wins over it.
    public var theme = Theme.dark
    /// The prompt editor folds long lines at the pane's edge (Alt-W toggles).
    public var softWrap = true
    /// The search in the prompt (Ctrl-F): what is looked for, and whether its line is open.
    public var promptSearch: PromptSearch?
    public var now = 0.0
    /// The folder the file picker starts in.
    public var datasetsDirectory = "Datasets"
    public var promptsDirectory = "Prompts"
    public var exportsDirectory = "exports"
    public var wantsQuit = false
    /// The split `--split` asked for at start (nil: dev on a file with a held-out split). Only
    /// a file with splits uses it; a file without one evaluates every query.
    public var requestedSplit: SplitSelection?
    /// The store's count of looks at the loaded dataset's test split (nil: not known yet).
    public var testLooks: Int?
    /// Prompt texts (by hash) run on each split in this session (`all` for a file without one):
    /// the compare view says how many were tried, since the best of many tries on the same
    /// queries is partly luck.
    public var promptsTried: [SplitSelection: Set<String>] = [:]
    /// Label edits not yet saved to the dataset file (the dataset above already has them).
    public var labels = LabelEdits()
    /// Unsaved label edits from the last session, put back once their file loads.
    public var labelsToRestore = PendingLabelEdits()
    /// The prompt versions run on the dataset, as the history view lists them.
    public var promptHistory: [PromptVersion] = []
    /// The line diff the prompt diff view shows.
    public var promptDiff: PromptDiffShown?
    /// The version the editor's text was loaded from (prompt history), named as the parent by
    /// the next save; nil: the prompt file's own.
    public var promptLineage: PromptCard.Lineage?

    public init(width: Int, height: Int, prompt: ScoringPrompt, settings: RunSettings) {
        self.width = width
        self.height = height
        self.prompt = prompt
        self.editor = TextEditor(text: prompt.text)
        self.settings = settings
    }

    /// The prompt as it would be run now.
    public var currentPrompt: ScoringPrompt {
        var p = prompt
        p.text = editor.text
        return p
    }

    public var isRunning: Bool { run != nil }

    /// Problems of the edited prompt in the current mode.
    public var promptProblems: [PromptProblem] {
        var p = prompt
        p.text = editor.text
        p.bodyLineOffset = 0
        return p.validate(mode: settings.mode)
    }

    /// Query reports in display order after sorting and filtering: the report's, or while it
    /// is measured the queries with no metric (`measuring`).
    public var visibleQueries: VisibleQueries {
        if report == nil, let measuring { return VisibleQueries(unmeasured: measuring.builder, order: visibleOrder) }
        return VisibleQueries(all: report?.queries ?? [], order: visibleOrder)
    }

    /// Whether the queries are listed without their metrics, which are being measured.
    public var metricsPending: Bool { report == nil && measuring != nil }

    /// Whether the list is sorted by a metric that is still being measured: it keeps file
    /// order until the metrics arrive.
    public var sortWaitsForMetrics: Bool { metricsPending && (querySort == .delta || querySort == .ndcg) }

    /// Sorts and filters the report's queries again: called by every change of what the order
    /// depends on (the report, the filter, the sort, the primary metric), never by a frame.
    mutating func refreshVisibleQueries() {
        guard !(filter.isEmpty && querySort == .file) else {
            visibleOrder = nil
            return
        }
        if let report {
            let queries = report.queries
            visibleOrder = order(count: queries.count, id: { queries[$0].queryID }, text: { queries[$0].query }, report: { queries[$0] })
        } else if let measuring {
            // No metric yet: the filter and the id sort apply, a metric sort waits (file order).
            let queries = measuring.builder.dataset.queries
            visibleOrder = order(count: queries.count, id: { queries[$0].id }, text: { queries[$0].text }, report: nil)
        } else {
            visibleOrder = nil
        }
    }

    /// The indices of `count` queries filtered by id or text and sorted by the sort's key
    /// (`report` gives the metrics; without it a metric sort leaves file order).
    private func order(count: Int, id: (Int) -> String, text: (Int) -> String, report: ((Int) -> QueryReport)?) -> [Int] {
        var order = Array(0..<count)
        if !filter.isEmpty {
            let f = filter.lowercased()
            order = order.filter { id($0).lowercased().contains(f) || text($0).lowercased().contains(f) }
        }
        let metric = settings.metrics.primaryMetric
        // Stable, as the list's own sort was: equal keys keep file order.
        func sort<Key: Comparable>(by key: (Int) -> Key) {
            let keys = order.map(key)
            order = order.indices.sorted { keys[$0] < keys[$1] || (keys[$0] == keys[$1] && $0 < $1) }.map { order[$0] }
        }
        switch querySort {
        case .file: break
        case .id: sort(by: id)
        case .delta: if let report { sort { report($0).delta(metric) ?? 0 } }
        case .ndcg: if let report { sort { report($0).reranked[metric] ?? 0 } }
        }
        return order
    }

    public var selectedQuery: QueryReport? {
        let list = visibleQueries
        guard !list.isEmpty else { return nil }
        return list[min(queryCursor, list.count - 1)]
    }

    /// The report's calibration: made once per report while its view is open (a large run's
    /// million scores sorted every frame kept keys waiting), or here when nothing kept it.
    public var calibration: ScoreCalibration? {
        guard let report else { return nil }
        if let cached = calibrationCache, cached.version == reportVersion { return cached.value }
        return ScoreCalibration(report)
    }

    /// What the report on screen is built from: the shown split's queries, the shown run's
    /// prompt (else the editor's) and the settings that score.
    var reportBuilder: RunReportBuilder? {
        guard let dataset = shownDataset else { return nil }
        var settings = reportSettings
        settings.split = shownSplit
        return RunReportBuilder(dataset: dataset, prompt: runPrompt ?? currentPrompt, settings: settings)
    }

    /// The builder of the report `dataset` will show once loaded (no run on screen yet), for a
    /// report of no results made beside the file's reading and handed in with `datasetLoaded`
    /// (the shell itself hands in the dataset alone, `datasetRead`, and is asked for the report).
    public func unrunBuilder(opening dataset: Dataset) -> RunReportBuilder? {
        var opened = self
        opened.dataset = dataset
        opened.runPrompt = nil
        opened.runSettings = nil
        return opened.reportBuilder
    }

    /// Lets go of the report's queries just before the live report changes some of them, with
    /// no other change: the two share one array, and changing it while shared copied every
    /// query's report, every frame of a large run. The next `setReport` follows at once.
    mutating func releaseReportQueries() { shownReport?.queries = [] }

    /// Sets the report with its histogram already counted (a run's batch counts only the
    /// queries it touched).
    mutating func setReport(_ report: RunReport?, scoresByLabel: ScoresByLabel) {
        scoresKnown = scoresByLabel
        self.report = report
    }

    /// Makes what the open view needs from the report, once per report change.
    mutating func refreshDerived() {
        if case .calibration? = modals.last, let report, calibrationCache?.version != reportVersion {
            calibrationCache = (reportVersion, ScoreCalibration(report))
        }
    }

    public var selectedCandidate: CandidateOutcome? {
        guard let q = selectedQuery, !q.candidates.isEmpty else { return nil }
        return q.candidates[min(resultCursor, q.candidates.count - 1)]
    }

    /// The queries `r` runs: dev on a file with a held-out split (or what `--split` asked for),
    /// nil on a file without one (every query). The test split is reached only through "confirm
    /// on test", which asks first.
    public var workingSplit: SplitSelection? {
        guard let dataset, dataset.hasSplits else { return nil }
        return requestedSplit ?? .dev
    }

    /// The split the numbers on screen come from: the shown run's own, else the working split.
    public var shownSplit: SplitSelection? {
        guard let dataset, dataset.hasSplits else { return nil }
        return runSettings?.split ?? workingSplit
    }

    /// The queries of the dataset the screen shows: the shown split's.
    public var shownDataset: Dataset? {
        guard let dataset else { return nil }
        return shownSplit.map { dataset.selecting($0) } ?? dataset
    }

    /// The warning to show next to test numbers from the store's second look on.
    public var testLookWarning: String? {
        guard TestLook.includesTest(shownSplit), let looks = testLooks else { return nil }
        return TestLook.warning(count: looks)
    }

    /// Whether the provider is a non-LLM baseline, which the UI must say plainly.
    public var providerIsBaseline: Bool { ProviderCatalog.ignoresPrompt(settings.provider) }

    /// Pairs with a reply (or a final failure) out of the pairs planned: "partial (260/456 pairs)"
    /// when the shown numbers do not cover every pair.
    public var partialLabel: String? {
        guard let report, !results.isEmpty, !report.complete || run != nil else { return nil }
        let planned = report.counts.planned
        let answered = planned - report.counts.notRun
        return "partial (\(answered)/\(planned) pairs)"
    }
}
