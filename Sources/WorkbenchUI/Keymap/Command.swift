/// Everything a user can do by name: the keymap binds keys to these, the key bar and the help
/// overlay list them, and the command palette runs them. One table, so they cannot drift.
public enum Command: String, Sendable, CaseIterable, Hashable {
    case run, cancelRun, focusNext, focusPrevious, focusPrompt, focusSettings, focusQueries, focusResults, focusMetrics
    case help, palette, quit, pinA, compare, clearPin, savePrompt, exportConfig, openDataset, externalEditor
    case sortQueries, filterQueries, openDetail, undo, redo, leaveEditor, moveUp, moveDown, pageUp, pageDown
    case settingNext, settingPrevious, editSetting, toggleInsert, reloadProviders, giveAPIKey, confirmOnTest, diff, calibration, tune, probes
    case setLabel, unjudge, undoLabel, redoLabel, saveLabels, promptHistory
    case toggleWrap, searchPrompt, searchNext, searchPrevious

    public var title: String {
        switch self {
        case .run: return "Run the reranker on the dataset"
        case .cancelRun: return "Cancel the run (completed scores are kept)"
        case .focusNext: return "Next pane"
        case .focusPrevious: return "Previous pane"
        case .focusPrompt: return "Go to the prompt editor"
        case .focusSettings: return "Go to the run settings"
        case .focusQueries: return "Go to the queries"
        case .focusResults: return "Go to the results"
        case .focusMetrics: return "Go to the metrics"
        case .help: return "Show all keys"
        case .palette: return "Command palette"
        case .quit: return "Quit"
        case .pinA: return "Pin the current run as A"
        case .compare: return "Compare pinned A with the current run B"
        case .clearPin: return "Forget the pinned run A"
        case .savePrompt: return "Save the prompt to Prompts/ with its metrics"
        case .exportConfig: return "Export a mem0 reranker config (JSON)"
        case .openDataset: return "Open a dataset"
        case .externalEditor: return "Edit the prompt in $EDITOR"
        case .sortQueries: return "Sort queries (file, delta, NDCG, id)"
        case .filterQueries: return "Filter queries"
        case .openDetail: return "Open / detail"
        case .undo: return "Undo"
        case .redo: return "Redo"
        case .leaveEditor: return "Leave the editor"
        case .moveUp: return "Up"
        case .moveDown: return "Down"
        case .pageUp: return "Page up"
        case .pageDown: return "Page down"
        case .settingNext: return "Next value"
        case .settingPrevious: return "Previous value"
        case .editSetting: return "Type a value"
        case .toggleInsert: return "Insert / overwrite"
        case .reloadProviders: return "Re-check providers (keys, local servers)"
        case .giveAPIKey: return "Give an API key for this session (never stored)"
        case .confirmOnTest: return "Confirm on test: run the prompt on the held-out test split"
        case .diff: return "Diff pinned A and B query by query (rankings side by side)"
        case .calibration: return "Score calibration and thresholds"
        case .tune: return "Tune: find a better prompt automatically (dev split), confirm it on test"
        case .probes: return "Probes: how easily adversarial memories fool the prompt"
        case .setLabel: return "Set the selected memory's label (0-9)"
        case .unjudge: return "Mark the selected memory unjudged"
        case .undoLabel: return "Undo a label edit"
        case .redoLabel: return "Redo a label edit"
        case .saveLabels: return "Save label edits to the dataset file"
        case .promptHistory: return "Prompt history: diff and load past versions"
        case .toggleWrap: return "Soft wrap long prompt lines on / off"
        case .searchPrompt: return "Search in the prompt"
        case .searchNext: return "Next match of the prompt search"
        case .searchPrevious: return "Previous match of the prompt search"
        }
    }

    /// A short word for the key bar.
    public var short: String {
        switch self {
        case .run: return "run"
        case .cancelRun: return "cancel"
        case .focusNext: return "pane"
        case .help: return "help"
        case .palette: return "commands"
        case .quit: return "quit"
        case .pinA: return "pin A"
        case .compare: return "compare"
        case .savePrompt: return "save"
        case .exportConfig: return "export"
        case .openDataset: return "open"
        case .externalEditor: return "$EDITOR"
        case .sortQueries: return "sort"
        case .filterQueries: return "filter"
        case .openDetail: return "detail"
        case .undo: return "undo"
        case .redo: return "redo"
        case .leaveEditor: return "leave"
        case .settingNext: return "change"
        case .editSetting: return "type"
        case .confirmOnTest: return "confirm on test"
        case .calibration: return "calibration"
        case .tune: return "tune"
        case .probes: return "probes"
        case .setLabel: return "label"
        case .unjudge: return "unjudged"
        case .saveLabels: return "save labels"
        case .promptHistory: return "history"
        case .toggleWrap: return "wrap"
        case .searchPrompt: return "search"
        case .searchNext: return "next"
        case .searchPrevious: return "previous"
        default: return title.lowercased()
        }
    }
}
