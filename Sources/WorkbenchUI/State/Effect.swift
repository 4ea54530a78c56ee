import RerankCore

/// Work the reducer asks the shell to do; its results come back as actions.
public enum Effect: Sendable, Equatable {
    case startRun(dataset: String, settings: RunSettings, prompt: ScoringPrompt)
    case cancelRun
    /// Tune `prompt` on the dataset's dev split with the run `settings` as the scorer (and
    /// proposer), answered by `tuneStarted`, `tuneProgress` and `tuneEnded`.
    case startTune(dataset: String, settings: RunSettings, prompt: ScoringPrompt, tune: TuneSettings)
    case stopTune
    /// Probe `prompt` with the run `settings` (on their split) and the `probe`'s attacks,
    /// through the store; answered by `probeStarted`, `probeProgress` and `probeEnded`.
    case startProbe(dataset: String, settings: RunSettings, prompt: ScoringPrompt, probe: ProbeSettings)
    case stopProbe
    case loadDataset(String)
    /// Measure the report of no results of `builder` (every query's first-stage metrics) off the
    /// UI thread, answered by `unrunMeasured` with the same ticket; a newer request replaces an
    /// older one.
    case measureUnrun(RunReportBuilder, ticket: Int)
    case listDirectory(String)
    case checkProviders
    case openExternalEditor(String)
    case writeFile(path: String, contents: String, what: String)
    /// Writes a prompt file; without `overwrite`, an existing file is not touched (the shell
    /// answers `promptFileExists`), and a reference prompt is never overwritten.
    case savePrompt(path: String, contents: String, overwrite: Bool)
    /// Keep `key` in memory for `provider`'s runs in this session.
    case setSessionKey(provider: String, key: String)
    case saveSession
    /// Read the store's count of looks at this dataset's test split (answered by `testLooksCounted`).
    case countTestLooks(datasetHash: String)
    /// Writes `labels` into the dataset file (`LabelFileSave`), unless the file's hash is no
    /// longer `expectedHash` (nil: write over whatever is there); answered by `labelsSaved`,
    /// `labelsChangedOnDisk` or `labelsSaveFailed`.
    case saveLabels(path: String, expectedHash: String?, labels: [LabelKey: Int?])
    /// Re-reads the dataset file, keeping the run on screen (answered by `datasetReloaded`).
    case reloadDataset(String)
    /// Lists the prompt versions run on the dataset (answered by `promptHistoryLoaded`).
    case loadPromptHistory(datasetPath: String, datasetHash: String)
    case quit

    public static func == (a: Effect, b: Effect) -> Bool {
        switch (a, b) {
        case let (.startRun(d1, s1, p1), .startRun(d2, s2, p2)): return d1 == d2 && s1 == s2 && p1 == p2
        case let (.startTune(d1, s1, p1, t1), .startTune(d2, s2, p2, t2)): return d1 == d2 && s1 == s2 && p1 == p2 && t1 == t2
        case let (.startProbe(d1, s1, p1, x1), .startProbe(d2, s2, p2, x2)): return d1 == d2 && s1 == s2 && p1 == p2 && x1 == x2
        case (.cancelRun, .cancelRun), (.stopTune, .stopTune), (.stopProbe, .stopProbe), (.checkProviders, .checkProviders), (.saveSession, .saveSession), (.quit, .quit): return true
        case let (.loadDataset(x), .loadDataset(y)), let (.listDirectory(x), .listDirectory(y)), let (.openExternalEditor(x), .openExternalEditor(y)): return x == y
        case let (.writeFile(p1, c1, w1), .writeFile(p2, c2, w2)): return p1 == p2 && c1 == c2 && w1 == w2
        case let (.savePrompt(p1, c1, o1), .savePrompt(p2, c2, o2)): return p1 == p2 && c1 == c2 && o1 == o2
        case let (.setSessionKey(p1, k1), .setSessionKey(p2, k2)): return p1 == p2 && k1 == k2
        case let (.countTestLooks(x), .countTestLooks(y)): return x == y
        case let (.saveLabels(p1, h1, l1), .saveLabels(p2, h2, l2)): return p1 == p2 && h1 == h2 && l1 == l2
        case let (.reloadDataset(x), .reloadDataset(y)): return x == y
        case let (.measureUnrun(x, t1), .measureUnrun(y, t2)):
            return t1 == t2 && x.dataset.path == y.dataset.path && x.dataset.queries == y.dataset.queries && x.prompt == y.prompt && x.settings == y.settings
        case let (.loadPromptHistory(p1, h1), .loadPromptHistory(p2, h2)): return p1 == p2 && h1 == h2
        default: return false
        }
    }
}
