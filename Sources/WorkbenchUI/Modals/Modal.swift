import RerankCore

/// Overlays on top of the main screen; the last one has the keys.
public enum Modal: Sendable, Equatable {
    case help(scroll: Int)
    case palette(query: String, selection: Int)
    case detail(scroll: Int)
    case compare(scroll: Int)
    /// The per-query diff of A and B (`WorkbenchState.diff`): the selected query in the list
    /// shown, and whether the list holds only the queries that got worse.
    case diff(selection: Int, worseOnly: Bool)
    /// Score calibration of the run on screen: reliability and threshold tables, the histogram.
    case calibration(scroll: Int)
    /// The tune (`WorkbenchState.tune`): the selected candidate in the lineage, in tree order.
    case tune(selection: Int, scroll: Int)
    /// The Probes view (`WorkbenchState.probe`): the selected row, the attacks then the probed queries.
    case probes(selection: Int)
    /// One probed query (`query`: its place in the probe's queries): its ranking with the
    /// injected memories, and the messages sent for the selected memory.
    case probeQuery(query: Int, selection: Int, scroll: Int)
    case filePicker(directory: String, entries: [FileEntry], selection: Int)
    case confirmQuit
    case confirm(Confirmation)
    case input(InputPurpose, text: String)
    case message(title: String, body: String)
    /// The dataset file changed on disk since it was loaded, and `edits` labels wait to be saved.
    case labelConflict(edits: Int)
    /// The prompt versions run on this dataset (`WorkbenchState.promptHistory`): the selected
    /// one, and the one marked as the diff's A.
    case promptHistory(selection: Int, marked: Int?)
    /// A line diff of two prompt versions (`WorkbenchState.promptDiff`).
    case promptDiff(scroll: Int)
}

/// A yes/no question that names exactly what "yes" does.
public enum Confirmation: Sendable, Equatable {
    /// Replace an existing prompt file with `contents`.
    case overwritePrompt(path: String, contents: String)
    /// Stop the run in flight (stored as cancelled, resumable) and quit once it is stored.
    case stopRunAndQuit
    /// Start the first run of this session on a paid API: its calls and what they may cost.
    case paidRun(PaidRunEstimate)
    /// Run the current prompt on the held-out test split: `queries` queries, the store's
    /// `looks` so far at this dataset's test split (nil: not known).
    case testLook(queries: Int, looks: Int?)
    /// Start a tune from the editor's prompt: what it will take at most.
    case startTune(TuneStartEstimate)
    /// Stop the tune in flight (stored, resumable) and quit.
    case stopTuneAndQuit(tuneID: Int64?)
    /// Start the session's first probe on a paid API: its calls and what they may cost.
    case paidProbe(PaidRunEstimate)
    /// Stop the probe in flight (what finished is stored) and quit.
    case stopProbeAndQuit
    /// Replace the editor's unsaved edits with a version from the prompt history.
    case loadPromptVersion(hash: String, name: String)
}

/// What the first paid run of a session is about to spend, for the question before it starts.
public struct PaidRunEstimate: Sendable, Equatable {
    public var provider: String
    public var model: String
    public var calls: Int
    /// Nil: no price is known for the model.
    public var likelyCost: Double?
    public var maxCost: Double?
    /// The split the run evaluates (nil: every query of a file without one): "yes" starts the
    /// run on the split the question was asked for.
    public var split: SplitSelection?

    public init(provider: String, model: String, calls: Int, likelyCost: Double?, maxCost: Double?, split: SplitSelection? = nil) {
        self.provider = provider
        self.model = model
        self.calls = calls
        self.likelyCost = likelyCost
        self.maxCost = maxCost
        self.split = split
    }

    /// Which confirmations a session remembers: one per provider and model.
    var key: String { Self.key(provider: provider, model: model) }

    static func key(provider: String, model: String) -> String { "\(provider)\u{0}\(model)" }
}

/// What a text input modal is for.
public enum InputPurpose: Sendable, Equatable {
    case setting(SettingField)
    case promptName
    /// A key for this provider, for this session only: shown masked, handed to the shell,
    /// never kept in the state, the session file, the store or exports.
    case apiKey(provider: String)
}
