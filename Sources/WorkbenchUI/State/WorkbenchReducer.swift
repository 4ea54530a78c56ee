import RerankCore

/// The one place state changes: `(state, action) -> effects`. Pure and synchronous, so every
/// behaviour of the workbench is testable without a terminal.
///
/// This type only routes, as an Elm program's top update hands messages to its children: a key
/// goes to the modal on top, the filter line, a command of the keymap or the editor; a result
/// of an effect goes to the area it belongs to. Each area's reducer holds its own rules.
public enum WorkbenchReducer {
    public static func reduce(_ state: inout WorkbenchState, _ action: Action) -> [Effect] {
        let effects = route(&state, action)
        // Whatever the action, a status error about something now fixed does not stay.
        state.clearFixedStatus()
        state.refreshDerived()
        return effects
    }

    static func route(_ state: inout WorkbenchState, _ action: Action) -> [Effect] {
        switch action {
        case let .key(key):
            return routeKey(&state, key)
        case let .resize(w, h):
            state.width = w
            state.height = h
            return []
        case let .tick(now):
            state.now = now
            return []
        case let .datasetLoading(loading): return DatasetReducer.loading(&state, loading)
        case let .datasetLoaded(dataset, unrun): return DatasetReducer.loaded(&state, dataset, unrun: unrun)
        case let .datasetRead(dataset): return DatasetReducer.read(&state, dataset)
        case let .unrunMeasured(unrun, ticket): return DatasetReducer.measured(&state, unrun, ticket: ticket)
        case let .datasetFailed(message): return DatasetReducer.failed(&state, message)
        case let .directoryListed(path, entries): return DatasetReducer.listed(&state, path: path, entries: entries)
        case let .providersChecked(list):
            SettingsReducer.providersChecked(&state, list)
            return []
        case let .runStarted(total, now): return RunReducer.started(&state, total: total, now: now)
        case let .runProgress(batch, retries, lastError): return RunReducer.progressed(&state, batch, retries: retries, lastError: lastError)
        case let .runFinished(stopReason, elapsed): return RunReducer.finished(&state, stopReason: stopReason, elapsed: elapsed)
        case let .runStored(runID, cached, store): return RunReducer.stored(&state, runID: runID, cached: cached, store: store)
        case let .tuneStarted(id): return TuneReducer.started(&state, tuneID: id)
        case let .tuneProgress(events): return TuneReducer.progress(&state, events)
        case let .tuneEnded(lineage, written, message): return TuneReducer.ended(&state, lineage: lineage, written: written, message: message)
        case let .probeStarted(planned): return ProbeReducer.started(&state, planned: planned)
        case let .probeProgress(done): return ProbeReducer.progressed(&state, done: done)
        case let .probeEnded(outcome, message): return ProbeReducer.ended(&state, outcome, message: message)
        case let .testLooksCounted(hash, count): return TestSplitReducer.looksCounted(&state, datasetHash: hash, count: count)
        case let .runFailedToStart(message): return RunReducer.failedToStart(&state, message)
        case let .editorReturned(text): return PromptEditorReducer.externalEditorReturned(&state, text)
        case let .editorFailed(message): return PromptEditorReducer.externalEditorFailed(&state, message)
        case let .fileWritten(path, what): return PromptFileReducer.written(&state, path: path, what: what)
        case let .fileFailed(message): return PromptFileReducer.writeFailed(&state, message)
        case let .promptFileExists(path, contents): return PromptFileReducer.fileExists(&state, path: path, contents: contents)
        case let .promptSaveRefused(message): return PromptFileReducer.saveRefused(&state, message)
        case let .labelsSaved(dataset, changes, backup): return LabelReducer.saved(&state, dataset, changes: changes, backup: backup)
        case .labelsChangedOnDisk: return LabelReducer.changedOnDisk(&state)
        case let .labelsSaveFailed(message): return LabelReducer.saveFailed(&state, message)
        case let .datasetReloaded(dataset): return LabelReducer.reloaded(&state, dataset)
        case let .datasetReloadFailed(message): return DatasetReducer.failed(&state, message)
        case let .promptHistoryLoaded(versions): return PromptHistoryReducer.loaded(&state, versions)
        case let .promptHistoryFailed(message): return PromptHistoryReducer.failed(&state, message)
        }
    }

    // MARK: keys

    /// Who gets a key, in order: the paste brackets, the modal on top, a paste in progress, the
    /// filter line, the keymap's command for the focused pane, and last the editor's text.
    static func routeKey(_ state: inout WorkbenchState, _ key: Key) -> [Effect] {
        if key == .pasteStart { state.pasting = true; return [] }
        if key == .pasteEnd { state.pasting = false; return [.saveSession] }
        if case let .mouse(event) = key { return MouseReducer.reduce(&state, event) }
        if let modal = state.modals.last {
            guard let command = state.keymap.command(for: key, in: KeyContext(modal)) else { return [] }
            return handle(&state, command, key: key)
        }
        if state.pasting { return PromptEditorReducer.pasted(&state, key) }
        if state.promptSearch?.typing == true {
            guard case let .search(intent)? = state.keymap.command(for: key, in: .search) else { return [] }
            return PromptSearchReducer.reduce(&state, intent, key: key)
        }
        if state.filtering {
            guard case let .filter(intent)? = state.keymap.command(for: key, in: .filter) else {
                return FilterReducer.reduce(&state, nil, key: key)
            }
            return FilterReducer.reduce(&state, intent, key: key)
        }
        if let command = state.keymap.command(for: key, focus: state.focus) {
            // Esc cancels a run wherever it is pressed; otherwise it means "leave the editor".
            // A probe stops with the run's key: it is a run of the probed queries.
            if command == .cancelRun && !state.isRunning && state.probe.isRunning {
                state.setStatus("stopping the probe; what finished is stored, and the same probe again answers it from the cache")
                return [.stopProbe]
            }
            if command == .cancelRun && !state.isRunning {
                if state.focus == .prompt, key == .escape { return perform(&state, .leaveEditor) }
                if key == .ctrl("c") { state.setStatus("nothing is running; press q to quit (Ctrl-Q in the editor)") }
                return []
            }
            if command == .leaveEditor && state.isRunning { return perform(&state, .cancelRun) }
            // The digit pressed is the label.
            if command == .setLabel { return LabelReducer.set(&state, key: key) }
            return perform(&state, command)
        }
        if state.focus == .prompt { return PromptEditorReducer.key(&state, key) }
        return []
    }

    /// A key's meaning inside a modal or the filter line, handed to that context's reducer.
    /// `key` is passed on for the intents that insert what was typed.
    static func handle(_ state: inout WorkbenchState, _ command: ContextCommand, key: Key) -> [Effect] {
        switch command {
        case let .help(intent): return HelpReducer.reduce(&state, intent)
        case let .palette(intent): return PaletteReducer.reduce(&state, intent, key: key)
        case let .scrollingView(intent): return ScrollingViewReducer.reduce(&state, intent)
        case let .diff(intent): return DiffReducer.reduce(&state, intent)
        case let .tune(intent): return TuneReducer.reduce(&state, intent)
        case let .probes(intent): return ProbeReducer.reduce(&state, intent)
        case let .probeQuery(intent): return ProbeReducer.reduceQuery(&state, intent)
        case let .filePicker(intent): return FilePickerReducer.reduce(&state, intent)
        case let .confirmQuit(intent): return ConfirmQuitReducer.reduce(&state, intent)
        case let .confirm(intent): return ConfirmReducer.reduce(&state, intent)
        case let .input(intent): return InputReducer.reduce(&state, intent, key: key)
        case let .message(intent): return MessageReducer.reduce(&state, intent)
        case let .filter(intent): return FilterReducer.reduce(&state, intent, key: key)
        case let .labelConflict(intent): return LabelReducer.reduce(&state, intent)
        case let .promptHistory(intent): return PromptHistoryReducer.reduce(&state, intent)
        case let .search(intent): return PromptSearchReducer.reduce(&state, intent, key: key)
        }
    }

    // MARK: commands

    /// Runs a command of the main screen (from its key or the palette) in its area's reducer.
    public static func perform(_ state: inout WorkbenchState, _ command: Command) -> [Effect] {
        switch command {
        case .run: return RunReducer.start(&state)
        case .cancelRun: return RunReducer.cancel(&state)
        case .focusNext: return NavigationReducer.focusNext(&state, forward: true)
        case .focusPrevious: return NavigationReducer.focusNext(&state, forward: false)
        case .focusPrompt: return NavigationReducer.focus(&state, .prompt)
        case .focusSettings: return NavigationReducer.focus(&state, .settings)
        case .focusQueries: return NavigationReducer.focus(&state, .queries)
        case .focusResults: return NavigationReducer.focus(&state, .results)
        case .focusMetrics: return NavigationReducer.focus(&state, .metrics)
        case .leaveEditor: return NavigationReducer.focus(&state, .queries)
        case .moveUp: return NavigationReducer.move(&state, -1)
        case .moveDown: return NavigationReducer.move(&state, 1)
        case .pageUp: return NavigationReducer.move(&state, -10)
        case .pageDown: return NavigationReducer.move(&state, 10)
        case .sortQueries: return NavigationReducer.sortQueries(&state)
        case .openDetail: return NavigationReducer.openDetail(&state)
        case .filterQueries: return FilterReducer.start(&state)
        case .help: return HelpReducer.open(&state)
        case .palette: return PaletteReducer.open(&state)
        case .quit: return QuitReducer.requestQuit(&state)
        case .pinA: return CompareReducer.pin(&state)
        case .clearPin: return CompareReducer.clearPin(&state)
        case .compare: return CompareReducer.compare(&state)
        case .confirmOnTest: return TestSplitReducer.confirmOnTest(&state)
        case .diff: return DiffReducer.open(&state)
        case .savePrompt: return PromptFileReducer.askForName(&state)
        case .exportConfig: return PromptFileReducer.exportConfig(&state)
        case .openDataset: return DatasetReducer.open(&state)
        case .externalEditor: return PromptEditorReducer.openExternalEditor(state)
        case .undo: return PromptEditorReducer.undo(&state)
        case .redo: return PromptEditorReducer.redo(&state)
        case .toggleInsert: return PromptEditorReducer.toggleInsert(&state)
        case .settingNext: return SettingsReducer.step(&state, forward: true)
        case .settingPrevious: return SettingsReducer.step(&state, forward: false)
        case .editSetting: return SettingsReducer.editSelected(&state)
        case .reloadProviders: return [.checkProviders]
        case .giveAPIKey: return SettingsReducer.askForAPIKey(&state)
        case .calibration: return CalibrationReducer.open(&state)
        case .tune: return TuneReducer.open(&state)
        case .probes: return ProbeReducer.open(&state)
        // Needs the digit pressed (`routeKey`); the palette does not list it.
        case .setLabel: return []
        case .unjudge: return LabelReducer.set(&state, label: nil)
        case .undoLabel: return LabelReducer.undo(&state)
        case .redoLabel: return LabelReducer.redo(&state)
        case .saveLabels: return LabelReducer.save(&state)
        case .promptHistory: return PromptHistoryReducer.open(&state)
        case .toggleWrap: return PromptEditorReducer.toggleWrap(&state)
        case .searchPrompt: return PromptSearchReducer.open(&state)
        case .searchNext: return PromptSearchReducer.step(&state, forward: true)
        case .searchPrevious: return PromptSearchReducer.step(&state, forward: false)
        }
    }

    // MARK: entry points kept for the shell, views and tests

    /// Commands whose title contains every word typed in the palette.
    public static func paletteMatches(_ query: String) -> [Command] { PaletteReducer.matches(query) }

    public static func runLabel(_ state: WorkbenchState) -> String { state.runLabel }

    public static func reportSettings(_ state: WorkbenchState) -> RunSettings { state.reportSettings }

    public static func shownRunLabel(_ state: WorkbenchState) -> String { state.shownRunLabel }

    static func rebuildReport(_ state: inout WorkbenchState) { RunReducer.rebuildReport(&state) }

    static func savePromptCard(_ state: inout WorkbenchState, name: String) -> [Effect] { PromptFileReducer.saveCard(&state, name: name) }
}
