import Foundation
import RerankKit
import WorkbenchUI

/// The loop: draw, read a key (50 ms timeout), apply actions, carry out effects. All curses
/// calls stay on this main thread; runs happen in RerankKit on background tasks.
@MainActor
final class WorkbenchApp {
    var state: WorkbenchState
    let terminal: CursesTerminal
    let sessionPath: String
    let environment = ProcessInfo.processInfo.environment
    /// Keys given with --api-key or in the app, by provider: in memory only.
    var sessionKeys: [String: String] = [:]
    /// What the command line asked for (a mem0 config's endpoint, a model file, ...): each run
    /// starts from the settings pane and takes the endpoint fields from here.
    let startup: RunRecipe
    var runTask: Task<Void, Never>?
    var events = RunEventBox()
    var tuneTask: Task<Void, Never>?
    var tuneEvents = TuneEventBox()
    var probeTask: Task<Void, Never>?
    var probeEvents = ProbeEventBox()
    let providerBox = Handoff<[ProviderStatus]>()
    /// The dataset file being read, or why it could not be. Replaced by each load, so a file
    /// opened while another is still read wins, and the older one's result is never taken.
    var datasetLoad = Handoff<Result<Dataset, DatasetLoadFailure>>()
    /// The report of no results being measured for the reducer (`Effect.measureUnrun`):
    /// replaced by each request, so only the latest one's report is handed in.
    var unrunMeasure = Handoff<(LiveReport, Int)>()
    var sessionDirty = false
    var lastSessionSave = Date.distantPast
    let clock = SystemRunClock()
    /// The run store: RERANKBENCH_STORE, else `.rerankbench/store.sqlite` here (as rerank-eval).
    var storePath: String { RunStore.resolvedPath(environment: environment) }

    init(state: WorkbenchState, terminal: CursesTerminal, sessionPath: String, startup: RunRecipe) {
        self.state = state
        self.terminal = terminal
        self.sessionPath = sessionPath
        var startup = startup
        // A key given at start is kept with the others given in this session, by provider.
        if let apiKey = startup.apiKey, !apiKey.isEmpty {
            sessionKeys[state.settings.provider] = apiKey
            self.state.sessionKeyProviders.insert(state.settings.provider)
        }
        startup.apiKey = nil
        startup.apiKeySource = nil
        self.startup = startup
    }

    func dispatch(_ action: Action) {
        let effects = WorkbenchReducer.reduce(&state, action)
        for effect in effects { perform(effect) }
    }

    func run() {
        terminal.altCharacters = state.keymap.altCharacters
        let (w, h) = terminal.size
        dispatch(.resize(width: w, height: h))
        perform(.checkProviders)
        if let path = state.datasetPath { perform(.loadDataset(path)) }
        var needsDraw = true
        while !state.wantsQuit {
            if needsDraw {
                terminal.draw(WorkbenchView.render(state))
                needsDraw = false
            }
            if let input = terminal.read() {
                switch input {
                case .resize:
                    let (w, h) = terminal.size
                    terminal.invalidate()
                    dispatch(.resize(width: w, height: h))
                case let .key(key):
                    dispatch(.key(key))
                case .hangup:
                    // Nobody is left to answer a question: keep everything (the session holds
                    // unsaved prompt edits) and stop.
                    state.wantsQuit = true
                }
                needsDraw = true
            }
            if drainBackground() { needsDraw = true }
            // Ticks move the progress of a run, a probe, a file being read or its metrics measured.
            if state.isRunning || state.probe.isRunning || state.loading != nil || state.measuring != nil {
                dispatch(.tick(now: clock.now()))
                needsDraw = true
            }
            if sessionDirty, Date().timeIntervalSince(lastSessionSave) > 1 { saveSession() }
        }
        runTask?.cancel()
        // A tune saves its lineage after every step; what is in flight is asked again on resume.
        tuneTask?.cancel()
        probeTask?.cancel()
        saveSession()
        // A local llama-server this session started stops with it (its watchdog would, too).
        LocalServerPool.shared.stopAll()
    }

    /// Applies whatever background work finished; true when the screen changed.
    func drainBackground() -> Bool {
        var changed = false
        if let list = providerBox.take() {
            dispatch(.providersChecked(list))
            changed = true
        }
        if let read = datasetLoad.take() {
            switch read {
            case let .success(dataset): dispatch(.datasetRead(dataset))
            case let .failure(failure): dispatch(.datasetFailed(failure.message))
            }
            changed = true
        }
        if let measured = unrunMeasure.take() {
            dispatch(.unrunMeasured(measured.0, ticket: measured.1))
            changed = true
        }
        let p = events.drain()
        if let message = p.startError {
            dispatch(.runFailedToStart(message))
            changed = true
        }
        if let total = p.started {
            dispatch(.runStarted(total: total, now: clock.now()))
            changed = true
        }
        if !p.results.isEmpty || p.lastError != nil {
            dispatch(.runProgress(p.results, retries: p.retries, lastError: p.lastError))
            changed = true
        }
        let t = tuneEvents.drain()
        if let id = t.tuneID {
            dispatch(.tuneStarted(id))
            changed = true
        }
        if !t.events.isEmpty {
            dispatch(.tuneProgress(t.events))
            changed = true
        }
        if let ended = t.ended {
            dispatch(.tuneEnded(lineage: ended.lineage, written: ended.written, message: ended.message))
            tuneTask = nil
            changed = true
        }
        let probe = probeEvents.drain()
        if let planned = probe.planned {
            dispatch(.probeStarted(planned: planned))
            changed = true
        }
        if let done = probe.done {
            dispatch(.probeProgress(done: done))
            changed = true
        }
        if let ended = probe.ended {
            dispatch(.probeEnded(ended.outcome, message: ended.message))
            probeTask = nil
            changed = true
        }
        if let (reason, elapsed) = p.finished {
            dispatch(.runFinished(stopReason: reason, elapsed: elapsed))
            runTask = nil
            changed = true
        }
        if let stored = p.stored {
            let cwd = FileManager.default.currentDirectoryPath + "/"
            dispatch(.runStored(runID: stored.runID, cached: stored.cached,
                                store: stored.path.hasPrefix(cwd) ? String(stored.path.dropFirst(cwd.count)) : stored.path))
            changed = true
        }
        return changed
    }

    /// The recipe of a run, tune or probe started here: the reducer's settings and prompt on the
    /// split it chose (nil: a file without one), the endpoint given at start, and the key given
    /// in this session for the provider.
    func recipe(settings: RunSettings, prompt: ScoringPrompt) -> RunRecipe {
        var recipe = RunRecipe(settings: settings, prompt: prompt)
        recipe.split = settings.split ?? .all
        recipe.fillEndpoint(from: startup)
        if let key = sessionKeys[settings.provider] {
            recipe.apiKey = key
            recipe.apiKeySource = "the key given in this session"
        }
        return recipe
    }

    func saveSession() {
        try? Session(state: state).save(to: sessionPath)
        sessionDirty = false
        lastSessionSave = Date()
    }

    func perform(_ effect: Effect) {
        switch effect {
        case let .startRun(_, settings, prompt):
            guard let dataset = state.dataset else { return }
            events = RunEventBox()
            let box = events
            let environment = self.environment
            let storePath = self.storePath
            let recipe = self.recipe(settings: settings, prompt: prompt)
            runTask = Task.detached {
                let resolved: ResolvedRun
                let provider: any ChatProvider
                do {
                    resolved = try RunResolver(environment: environment).resolve(recipe, dataset: dataset)
                    provider = try ProviderFactory.make(resolved.provider, dataset: resolved.dataset, environment: environment)
                } catch {
                    box.failToStart(error.workbenchMessage)
                    return
                }
                // Runs go through the store like rerank-eval's: in `history`, answered from the
                // response cache when nothing changed, every reply kept as it arrives.
                let store: RunStore
                do { store = try RunStore(path: storePath) } catch {
                    box.failToStart(error.workbenchMessage)
                    return
                }
                let recorded = RecordedRunner(runner: RerankRunner(provider: provider, settings: resolved.settings), store: store)
                do {
                    let (stored, _) = try await recorded.run(resolved, onEvent: { box.handle($0) })
                    box.finish(stored.outcome.stopReason, elapsed: stored.outcome.elapsed)
                    box.store(runID: stored.runID, cached: stored.cachedNow, path: store.path)
                } catch {
                    box.failToStart(error.workbenchMessage)
                }
            }
        case .cancelRun:
            runTask?.cancel()
        case let .startTune(_, settings, prompt, tuneSettings):
            guard let dataset = state.dataset else { return }
            tuneEvents = TuneEventBox()
            var recipe = self.recipe(settings: settings, prompt: prompt)
            recipe.split = .dev
            // The tune's cost limit is in its own settings: a scoring run is only part of it.
            recipe.maxCost = nil
            let launcher = TuneLauncher(recipe: recipe, dataset: dataset, tuneSettings: tuneSettings, storePath: storePath,
                                        promptsDirectory: state.promptsDirectory, environment: environment)
            let box = tuneEvents
            tuneTask = Task.detached { await launcher.run(box) }
        case .stopTune:
            tuneTask?.cancel()
        case let .startProbe(_, settings, prompt, probe):
            guard let dataset = state.dataset else { return }
            probeEvents = ProbeEventBox()
            let launcher = ProbeLauncher(recipe: self.recipe(settings: settings, prompt: prompt), dataset: dataset, probe: probe,
                                         storePath: storePath, environment: environment)
            let box = probeEvents
            probeTask = Task.detached { await launcher.run(box) }
        case .stopProbe:
            probeTask?.cancel()
        case let .countTestLooks(hash):
            // No store yet means no run, so no look: nothing is created just to count.
            let count: Int?
            if FileManager.default.fileExists(atPath: storePath) {
                count = try? RunStore(path: storePath).testLookCount(datasetHash: hash)
            } else {
                count = 0
            }
            dispatch(.testLooksCounted(datasetHash: hash, count: count))
        case let .loadDataset(path):
            // Read off this thread: a file of a million pairs takes seconds, and the screen
            // must show at once and answer keys (q, ?, the editor) meanwhile.
            let box = Handoff<Result<Dataset, DatasetLoadFailure>>()
            datasetLoad = box
            // (A pipe has no size to tell.)
            let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue
            let bytes = size.flatMap { $0 > 0 ? $0 : nil }
            dispatch(.datasetLoading(DatasetLoading(path: path, bytes: bytes, startedAt: clock.now())))
            Task.detached {
                do {
                    // The queries show as soon as it is read; the reducer then asks for their
                    // first-stage metrics (`measureUnrun`), measured in the background too.
                    box.put(.success(try DatasetLoader().load(path: path)))
                } catch {
                    box.put(.failure(DatasetLoadFailure(message: error.workbenchMessage)))
                }
            }
        case let .measureUnrun(builder, ticket):
            // Measuring a million unrun pairs takes a second on both cores: off this thread,
            // while the queries are listed and keys answer.
            let box = Handoff<(LiveReport, Int)>()
            unrunMeasure = box
            Task.detached { box.put((LiveReport(builder: builder), ticket)) }
        case let .listDirectory(path):
            let url = URL(fileURLWithPath: path).standardizedFileURL
            let cwd = FileManager.default.currentDirectoryPath
            var shown = url.path
            if shown == cwd { shown = "." } else if shown.hasPrefix(cwd + "/") { shown = String(shown.dropFirst(cwd.count + 1)) }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
            var entries: [FileEntry] = []
            for name in names.sorted() where !name.hasPrefix(".") {
                var isDir: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: url.appendingPathComponent(name).path, isDirectory: &isDir)
                if isDir.boolValue || name.hasSuffix(".jsonl") { entries.append(FileEntry(name: name, isDirectory: isDir.boolValue)) }
            }
            entries.sort { ($0.isDirectory ? 0 : 1, $0.name) < ($1.isDirectory ? 0 : 1, $1.name) }
            dispatch(.directoryListed(path: shown, entries: entries))
        case .checkProviders:
            let box = providerBox
            let environment = self.environment
            Task.detached {
                let list = await ProviderFactory.availability(environment: environment)
                box.put(list.map { ProviderStatus(name: $0.name, ready: $0.ready, detail: $0.detail(WorkbenchWording.remedies), defaultModel: $0.defaultModel) })
            }
        case let .openExternalEditor(text):
            let path = NSTemporaryDirectory() + "rerankbench-prompt-\(getpid()).txt"
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            let editor = environment["VISUAL"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
            var outcome: ExternalEditor.Outcome = .failed("did not run")
            terminal.suspend { outcome = ExternalEditor.edit(path, with: editor, environment: environment) }
            defer { try? FileManager.default.removeItem(atPath: path) }
            switch outcome {
            case .edited:
                let edited = (try? String(contentsOfFile: path, encoding: .utf8)).map { s -> String in
                    var t = s
                    while t.hasSuffix("\n") { t.removeLast() }
                    return t
                }
                dispatch(.editorReturned(edited))
            case let .failed(problem):
                dispatch(.editorFailed("\(editor): \(problem)"))
            }
        case let .writeFile(path, contents, what):
            do {
                let dir = (path as NSString).deletingLastPathComponent
                if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
                try Data(contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
                dispatch(.fileWritten(path: path, what: what))
            } catch {
                dispatch(.fileFailed("\(path): \(error.localizedDescription)"))
            }
        case let .savePrompt(path, contents, overwrite):
            // A prompt whose front matter says it is a reference (the word-for-word mem0
            // prompts parity depends on) is never overwritten; any other file only after a yes.
            if FileManager.default.fileExists(atPath: path) {
                if let existing = try? ScoringPrompt.load(path: path), existing.extraFrontMatter["reference"] == "true" {
                    dispatch(.promptSaveRefused("\(path) is a reference prompt (reference: true in its front matter; runs and mem0 parity depend on its exact text), so it is not overwritten. Save under another name: Ctrl-S and type a new one."))
                    return
                }
                if !overwrite {
                    dispatch(.promptFileExists(path: path, contents: contents))
                    return
                }
            }
            perform(.writeFile(path: path, contents: contents, what: "prompt"))
        case let .saveLabels(path, expectedHash, labels):
            // Small files, written in well under a frame's time: done here, so no key can
            // change the labels while they are written.
            do {
                switch try LabelFileSave.save(path: path, expectedHash: expectedHash, labels: labels) {
                case let .saved(dataset, changes, backup):
                    // The saved file is a new version of the same queries: its test looks go with it.
                    if let old = state.dataset?.contentHash, FileManager.default.fileExists(atPath: storePath) {
                        try? RunStore(path: storePath).carryTestLooks(from: old, to: dataset.contentHash)
                    }
                    dispatch(.labelsSaved(dataset, changes: changes, backup: backup))
                case .changedOnDisk: dispatch(.labelsChangedOnDisk)
                }
            } catch {
                dispatch(.labelsSaveFailed(error.workbenchMessage))
            }
        case let .reloadDataset(path):
            do {
                dispatch(.datasetReloaded(try DatasetLoader().load(path: path)))
            } catch {
                dispatch(.datasetReloadFailed(error.workbenchMessage))
            }
        case let .loadPromptHistory(datasetPath, datasetHash):
            // No store yet means no run: an empty history, and no store file made to say so.
            guard FileManager.default.fileExists(atPath: storePath) else {
                dispatch(.promptHistoryLoaded([]))
                return
            }
            do {
                let records = try RunStore(path: storePath).promptRuns(datasetPath: datasetPath, datasetHash: datasetHash)
                dispatch(.promptHistoryLoaded(PromptHistory.versions(records, metric: state.settings.metrics.primaryMetric.description,
                                                                     split: state.workingSplit)))
            } catch {
                dispatch(.promptHistoryFailed(error.workbenchMessage))
            }
        case let .setSessionKey(provider, key):
            sessionKeys[provider] = key
        case .saveSession:
            sessionDirty = true
        case .quit:
            state.wantsQuit = true
        }
    }
}
