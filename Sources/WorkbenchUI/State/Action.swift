import RerankCore

/// Something that happened: a key, a resize, or a result of an effect.
public enum Action: Sendable {
    case key(Key)
    case resize(width: Int, height: Int)
    case tick(now: Double)
    /// The shell started reading a dataset file in the background (`Effect.loadDataset`); it
    /// answers with `datasetLoaded` or `datasetFailed`.
    case datasetLoading(DatasetLoading)
    /// The dataset read; `unrun`, when the shell made it, is its report of no results for
    /// the builder `WorkbenchState.unrunBuilder(opening:)` gave (taken if the settings did
    /// not change meanwhile).
    case datasetLoaded(Dataset, unrun: LiveReport? = nil)
    /// The dataset read, its report of no results not made: the queries are listed at once, and
    /// the reducer asks for the report (`Effect.measureUnrun`), answered by `unrunMeasured`.
    case datasetRead(Dataset)
    /// The report of no results `Effect.measureUnrun` asked for, with its ticket (taken if it
    /// answers the latest request and the dataset and the settings that score are still those
    /// it was measured for, else asked for again).
    case unrunMeasured(LiveReport, ticket: Int)
    case datasetFailed(String)
    case directoryListed(path: String, entries: [FileEntry])
    case providersChecked([ProviderStatus])
    case runStarted(total: Int, now: Double)
    case runProgress([PairResult], retries: Int, lastError: String?)
    case runFinished(stopReason: StopReason?, elapsed: Double)
    case runFailedToStart(String)
    /// The finished run is in the store as `runID`; `cached` pairs came from the response cache.
    case runStored(runID: Int64, cached: Int, store: String)
    /// The store's count of looks at a dataset's test split (nil: the store could not say).
    case testLooksCounted(datasetHash: String, count: Int?)
    /// The tune started from the workbench is in the store as `id`.
    case tuneStarted(Int64)
    /// What the tuner did since the last frame.
    case tuneProgress([TuneEvent])
    /// The tune ended this session: its lineage as stored, the winner's files written (when it
    /// finished with a better prompt), or why it could not go on.
    case tuneEnded(lineage: TuneLineage?, written: [String], message: String?)
    /// The probe's calls: how many it plans (cached ones included) once it knows.
    case probeStarted(planned: Int)
    /// Calls of the probe done so far (answered from the cache or made).
    case probeProgress(done: Int)
    /// The probe ended: its outcome (nil when it could not run), or why it stopped.
    case probeEnded(ProbeOutcome?, message: String?)
    case editorReturned(String?)
    /// `$EDITOR` could not start or exited with an error; the prompt is unchanged.
    case editorFailed(String)
    case fileWritten(path: String, what: String)
    case fileFailed(String)
    /// A prompt file of that name exists: the save waits for the user's yes.
    case promptFileExists(path: String, contents: String)
    /// The save was refused (a reference prompt); the message says why and what to do.
    case promptSaveRefused(String)
    /// The label edits are in the file: the dataset as written, the changes and the backup made.
    case labelsSaved(Dataset, changes: [LabelChange], backup: String?)
    /// The dataset file changed on disk since it was loaded: nothing was written.
    case labelsChangedOnDisk
    case labelsSaveFailed(String)
    /// The dataset file re-read as it is on disk ("take theirs").
    case datasetReloaded(Dataset)
    case datasetReloadFailed(String)
    case promptHistoryLoaded([PromptVersion])
    case promptHistoryFailed(String)
}
