import Foundation
import RerankCore

/// The one place state changes: `(state, action) -> effects`. Pure and synchronous, so every
/// behaviour of the workbench is testable without a terminal.
public enum WorkbenchReducer {
    public static let keymap = Keymap.standard

    public static func reduce(_ state: inout WorkbenchState, _ action: Action) -> [Effect] {
        switch action {
        case let .key(key):
            return handleKey(&state, key)
        case let .resize(w, h):
            state.width = w
            state.height = h
            return []
        case let .tick(now):
            state.now = now
            return []
        case let .datasetLoaded(dataset):
            state.dataset = dataset
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
            state.report = RunReportBuilder(dataset: dataset, prompt: state.currentPrompt, settings: state.settings).build(results: [])
            setStatus(&state, "loaded \(dataset.path): \(dataset.queries.count) queries, \(dataset.candidateCount) candidates; press r to run")
            return [.saveSession]
        case let .datasetFailed(message):
            state.modals.append(.message(title: "Cannot load the dataset", body: message))
            return []
        case let .directoryListed(path, entries):
            if case .filePicker = state.modals.last { state.modals.removeLast() }
            state.modals.append(.filePicker(directory: path, entries: entries, selection: 0))
            return []
        case let .providersChecked(list):
            state.providers = list
            return []
        case let .runStarted(total, now):
            state.run = RunProgress(done: 0, total: total, startedAt: now)
            state.now = now
            setStatus(&state, "running \(total) calls on \(state.settings.provider) \(state.settings.model)")
            return []
        case let .runProgress(batch, retries, lastError):
            state.results.append(contentsOf: batch)
            if var run = state.run {
                run.done += batch.count
                run.failures += batch.filter(\.failed).count
                run.retries = retries
                run.tokens += batch.compactMap { $0.reply?.usage.total }.reduce(0, +)
                if let lastError { run.lastError = lastError }
                state.run = run
            }
            rebuildReport(&state)
            return []
        case let .runFinished(stopReason, elapsed):
            let failures = state.run?.failures ?? 0
            state.run = nil
            state.beforeRun = nil
            rebuildReport(&state, stopReason: stopReason, elapsed: elapsed)
            if case let .configuration(message) = stopReason {
                state.modals.append(.message(title: "Run stopped: configuration error", body: message))
                setStatus(&state, "run stopped: \(message)", error: true)
            } else if let stopReason {
                setStatus(&state, "\(stopReason); completed scores are kept", error: stopReason != .cancelled)
            } else if let report = state.report {
                let m = state.settings.metrics.primaryMetric
                let d = report.deltaMean[m].map { $0.signed(decimals: 4) } ?? "n/a"
                setStatus(&state, "done in \(elapsed.formatted(decimals: 1)) s: \(m.heading) \(report.rerankedMean[m].map { $0.formatted(decimals: 4) } ?? "n/a") (\(d) vs first stage)\(failures > 0 ? ", \(failures) failed calls" : "")", error: failures > 0)
            }
            return []
        case let .runStored(runID, cached, store):
            state.lastStoredRun = runID
            let where_ = "run \(runID) in \(store)" + (cached > 0 ? ", \(cached) from the cache" : "")
            state.status = state.status.isEmpty ? where_ : state.status + " · " + where_
            if state.quitWhenStopped {
                state.wantsQuit = true
                return [.saveSession, .quit]
            }
            return []
        case let .runFailedToStart(message):
            state.run = nil
            // Nothing ran: the screen keeps the last good run instead of going blank.
            if let before = state.beforeRun {
                state.results = before.results
                state.report = before.report
                state.runPrompt = before.prompt
                state.runSettings = before.settings
            }
            state.beforeRun = nil
            state.quitWhenStopped = false
            state.modals.append(.message(title: "Cannot start the run", body: message))
            setStatus(&state, message, error: true)
            return []
        case let .editorReturned(text):
            if let text, text != state.editor.text {
                state.editor.replaceAll(text)
                setStatus(&state, "prompt reloaded from $EDITOR")
                return [.saveSession]
            }
            return []
        case let .fileWritten(path, what):
            setStatus(&state, "\(what) written to \(path)")
            if what == "prompt" {
                state.editor.markSaved()
                // The saved file is now the prompt being edited: its name, description and
                // lineage are the card's, and it is no longer a reference.
                if let name = state.pendingPromptName {
                    let parent = state.prompt
                    state.prompt.name = name
                    state.prompt.description = state.pendingPromptDescription ?? parent.description
                    state.prompt.extraFrontMatter["reference"] = nil
                    state.prompt.extraFrontMatter["derived_from"] = parent.name
                }
                state.pendingPromptName = nil
                state.pendingPromptDescription = nil
                state.prompt.path = path
                if state.quitAfterSave {
                    state.wantsQuit = true
                    return [.saveSession, .quit]
                }
            }
            return [.saveSession]
        case let .fileFailed(message):
            state.modals.append(.message(title: "Cannot write the file", body: message))
            return []
        case let .editorFailed(message):
            state.modals.append(.message(title: "The external editor failed", body: message + "; the prompt is unchanged"))
            return []
        case let .promptFileExists(path, contents):
            state.modals.append(.confirm(.overwritePrompt(path: path, contents: contents)))
            return []
        case let .promptSaveRefused(message):
            state.quitAfterSave = false
            state.modals.append(.message(title: "Not saved", body: message))
            setStatus(&state, message, error: true)
            return []
        }
    }

    static func setStatus(_ state: inout WorkbenchState, _ text: String, error: Bool = false) {
        state.status = text
        state.statusIsError = error
    }

    /// Recomputes the report from the stored replies: live during a run, and after any change of
    /// parser, ties, top_k or cutoffs (no calls needed).
    static func rebuildReport(_ state: inout WorkbenchState, stopReason: StopReason? = nil, elapsed: Double? = nil) {
        guard let dataset = state.dataset else { return }
        let previous = state.report
        state.report = RunReportBuilder(dataset: dataset, prompt: state.currentPrompt, settings: state.settings)
            .build(results: state.results, stopReason: stopReason ?? previous?.stopReason, elapsed: elapsed ?? previous?.elapsed ?? 0)
    }

    // MARK: keys

    static func handleKey(_ state: inout WorkbenchState, _ key: Key) -> [Effect] {
        if key == .pasteStart { state.pasting = true; return [] }
        if key == .pasteEnd { state.pasting = false; return [.saveSession] }
        if let modal = state.modals.last { return handleModal(&state, modal, key) }
        if state.pasting {
            if state.focus == .prompt {
                if key == .enter { state.editor.newline() } else if case let .char(c) = key { state.editor.insert(text: String(c)) }
            }
            return []
        }
        if state.filtering { return handleFilter(&state, key) }
        if let command = keymap.command(for: key, focus: state.focus) {
            // Esc cancels a run wherever it is pressed; otherwise it means "leave the editor".
            if command == .cancelRun && !state.isRunning {
                if state.focus == .prompt, key == .escape { return perform(&state, .leaveEditor) }
                if key == .ctrl("c") { setStatus(&state, "nothing is running; press q to quit (Ctrl-Q in the editor)") }
                return []
            }
            if command == .leaveEditor && state.isRunning { return perform(&state, .cancelRun) }
            return perform(&state, command)
        }
        if state.focus == .prompt { return editorKey(&state, key) }
        return []
    }

    static func editorKey(_ state: inout WorkbenchState, _ key: Key) -> [Effect] {
        var e = state.editor
        let page = max(1, state.height - 10)
        switch key {
        case let .char(c): e.insert(c)
        case .enter: e.newline()
        case .backspace: e.backspace()
        case .delete: e.deleteForward()
        case .left: e.moveLeft()
        case .right: e.moveRight()
        case .up: e.moveUp()
        case .down: e.moveDown()
        case .home: e.home()
        case .end: e.end()
        case .pageUp: e.moveUp(page)
        case .pageDown: e.moveDown(page)
        case .ctrlLeft: e.wordLeft()
        case .ctrlRight: e.wordRight()
        default: return []
        }
        let changed = e.text != state.editor.text
        state.editor = e
        return changed ? [.saveSession] : []
    }

    static func handleFilter(_ state: inout WorkbenchState, _ key: Key) -> [Effect] {
        switch key {
        case .enter: state.filtering = false
        case .escape:
            state.filtering = false
            state.filter = ""
        case .backspace: if !state.filter.isEmpty { state.filter.removeLast() }
        case let .char(c): state.filter.append(c)
        default: break
        }
        state.queryCursor = 0
        state.queryTop = 0
        return []
    }

    // MARK: commands

    public static func perform(_ state: inout WorkbenchState, _ command: Command) -> [Effect] {
        switch command {
        case .run: return startRun(&state)
        case .cancelRun:
            if state.isRunning {
                setStatus(&state, "cancelling; completed scores are kept")
                return [.cancelRun]
            }
            return []
        case .focusNext:
            state.focus = Focus(rawValue: state.focus.rawValue % Focus.allCases.count + 1)!
            return []
        case .focusPrevious:
            state.focus = Focus(rawValue: (state.focus.rawValue + Focus.allCases.count - 2) % Focus.allCases.count + 1)!
            return []
        case .focusPrompt: state.focus = .prompt; return []
        case .focusSettings: state.focus = .settings; return []
        case .focusQueries: state.focus = .queries; return []
        case .focusResults: state.focus = .results; return []
        case .focusMetrics: state.focus = .metrics; return []
        case .leaveEditor: state.focus = .queries; return []
        case .help: state.modals.append(.help(scroll: 0)); return []
        case .palette: state.modals.append(.palette(query: "", selection: 0)); return []
        case .quit:
            if state.isRunning {
                state.modals.append(.confirm(.stopRunAndQuit))
                return []
            }
            if state.editor.isDirty {
                state.modals.append(.confirmQuit)
                return []
            }
            state.wantsQuit = true
            return [.saveSession, .quit]
        case .pinA:
            guard let report = state.report, !state.results.isEmpty else {
                setStatus(&state, "nothing to pin yet: run first (r)", error: true)
                return []
            }
            state.pinned = report
            state.pinnedLabel = shownRunLabel(state)
            setStatus(&state, "pinned as A: \(state.pinnedLabel). Change the prompt or model, run, then press c to compare")
            return []
        case .clearPin:
            state.pinned = nil
            setStatus(&state, "pin cleared")
            return []
        case .compare:
            guard state.pinned != nil else {
                setStatus(&state, "pin a run as A first (p), then run B and press c", error: true)
                return []
            }
            guard !state.results.isEmpty else {
                setStatus(&state, "run B first (r), then compare", error: true)
                return []
            }
            let a = state.pinned!, b = state.report!
            // The same check and words as `rerank-eval compare`: different files are compared
            // on the query ids both have, and said so.
            let datasetNote = a.datasetHash == b.datasetHash ? nil
                : RunComparability.differentDatasets(a: a.datasetPath, aHash: a.datasetHash, b: b.datasetPath, bHash: b.datasetHash)
            // Only the queries both runs scored completely: a query one run never finished
            // would compare a first-stage order against a reranked one.
            let (fairA, fairB, leftOut) = RunComparability.completedInBoth(a, b)
            guard !fairA.queries.isEmpty else {
                let message = (datasetNote.map { $0 + ": " } ?? "") + "no query was completed by both runs, so there is nothing to compare; finish or re-run one of them"
                state.modals.append(.message(title: "Cannot compare", body: message))
                setStatus(&state, message, error: true)
                return []
            }
            state.compareNote = datasetNote
            let primary = state.settings.metrics.primaryMetric
            var names = [primary]
            for n in [MetricName.ndcg, .map, .mrr] where !names.contains(n) { names.append(n) }
            state.comparisons = names.map { PairedComparison.compare(fairA, fairB, metric: $0) }
            state.compareLeftOut = leftOut
            state.compareLabelB = shownRunLabel(state)
            state.modals.append(.compare(scroll: 0))
            return []
        case .savePrompt:
            // Prefilled with the current name; a reference prompt suggests a new one, since
            // saving over it is refused.
            let isReference = state.prompt.extraFrontMatter["reference"] == "true"
            state.modals.append(.input(.promptName, text: isReference ? state.prompt.name + "-tuned" : state.prompt.name))
            return []
        case .exportConfig:
            // A mem0 config runs an LLM: the offline baseline has no model to put in it.
            if state.providerIsBaseline {
                let message = "the lexical provider is the BM25 keyword baseline, not an LLM: a mem0 config from it would name model 'bm25', which mem0 cannot run. Pick an LLM provider in Settings (2), run, then export"
                state.modals.append(.message(title: "Nothing to export", body: message))
                setStatus(&state, "export refused: the baseline is not an LLM", error: true)
                return []
            }
            let name = PromptCard.fileName(state.currentPrompt.name).replacingOccurrences(of: ".txt", with: "")
            let path = "\(state.exportsDirectory)/mem0-reranker-\(name).json"
            return [.writeFile(path: path, contents: Mem0ConfigExporter.json(settings: state.settings, prompt: state.editor.text), what: "mem0 config")]
        case .openDataset:
            let start = state.datasetPath.map { p -> String in
                let parts = p.split(separator: "/", omittingEmptySubsequences: false)
                return parts.count > 1 ? parts.dropLast().joined(separator: "/") : "."
            } ?? state.datasetsDirectory
            return [.listDirectory(start)]
        case .externalEditor:
            return [.openExternalEditor(state.editor.text)]
        case .sortQueries:
            state.querySort = state.querySort.next
            state.queryCursor = 0
            state.queryTop = 0
            setStatus(&state, "queries sorted by \(state.querySort.label)")
            return []
        case .filterQueries:
            state.filtering = true
            return []
        case .openDetail:
            if state.focus == .queries {
                state.focus = .results
                state.resultCursor = 0
                state.resultTop = 0
                return []
            }
            if state.selectedCandidate != nil { state.modals.append(.detail(scroll: 0)) }
            return []
        case .undo: state.editor.undo(); return [.saveSession]
        case .redo: state.editor.redo(); return [.saveSession]
        case .toggleInsert: state.editor.overwrite.toggle(); return []
        case .moveUp: move(&state, -1); return []
        case .moveDown: move(&state, 1); return []
        case .pageUp: move(&state, -10); return []
        case .pageDown: move(&state, 10); return []
        case .settingNext: return cycleSetting(&state, forward: true)
        case .settingPrevious: return cycleSetting(&state, forward: false)
        case .editSetting:
            // Enter types, as the key bar says, on every row (prefilled with the value now);
            // → and ← cycle.
            guard !state.isRunning else {
                setStatus(&state, "settings are locked while a run is going", error: true)
                return []
            }
            let field = SettingField.allCases[state.settingsCursor]
            state.modals.append(.input(.setting(field), text: settingText(state, field)))
            return []
        case .reloadProviders:
            return [.checkProviders]
        case .giveAPIKey:
            guard !state.providerIsBaseline, state.settings.provider != ProviderPreset.localName else {
                setStatus(&state, "\(state.settings.provider) needs no API key", error: true)
                return []
            }
            state.modals.append(.input(.apiKey(provider: state.settings.provider), text: ""))
            return []
        }
    }

    /// Names a run by what distinguishes it: provider, model, prompt (and its hash) and the
    /// settings that change scores or ranks.
    public static func runLabel(_ state: WorkbenchState) -> String {
        let s = state.settings
        var parts = ["\(s.provider) \(s.model)", "prompt \(state.currentPrompt.name) #\(state.currentPrompt.textHash.prefix(6))",
                     "\(s.mode.rawValue) mode", "parser \(s.parser.rawValue)"]
        if s.ties != .stable { parts.append("ties \(s.ties.rawValue)") }
        if let k = s.topK { parts.append("top_k \(k)") }
        if s.samples > 1 { parts.append("\(s.samples) samples") }
        return parts.joined(separator: ", ")
    }

    /// The settings behind the report on screen: the run's own for what was sent (provider,
    /// model, mode, temperature...), the current ones for what re-scores stored replies without
    /// calls (parser, scale, ties, top_k, cutoffs, failure policy, aggregate).
    public static func reportSettings(_ state: WorkbenchState) -> RunSettings {
        guard var s = state.runSettings else { return state.settings }
        let now = state.settings
        s.parser = now.parser
        s.scale = now.scale
        s.ties = now.ties
        s.topK = now.topK
        s.metrics = now.metrics
        s.failurePolicy = now.failurePolicy
        s.aggregate = now.aggregate
        return s
    }

    /// The label of the run on screen: its own prompt, hash and settings, not the editor's.
    public static func shownRunLabel(_ state: WorkbenchState) -> String {
        var shown = state
        if let p = state.runPrompt { shown.prompt = p; shown.editor = TextEditor(text: p.text) }
        shown.settings = reportSettings(state)
        var label = runLabel(shown)
        if let d = state.report { label += ", dataset \((d.datasetPath as NSString).lastPathComponent) #\(d.datasetHash.prefix(6))" }
        if let partial = state.partialLabel { label += ", \(partial)" }
        return label
    }

    static func startRun(_ state: inout WorkbenchState) -> [Effect] {
        guard !state.isRunning else {
            setStatus(&state, "a run is already going; Esc cancels it")
            return []
        }
        guard let path = state.datasetPath, state.dataset != nil else {
            setStatus(&state, "open a dataset first (o)", error: true)
            return []
        }
        if let problem = state.promptProblems.first(where: { $0.severity == .error }) {
            state.focus = .prompt
            setStatus(&state, "prompt: \(problem)", error: true)
            return []
        }
        state.beforeRun = ShownRun(results: state.results, report: state.report, prompt: state.runPrompt, settings: state.runSettings)
        state.results = []
        state.runPrompt = state.currentPrompt
        state.runSettings = state.settings
        rebuildReport(&state)
        state.run = RunProgress(done: 0, total: (state.dataset?.candidateCount ?? 0) * state.settings.samples, startedAt: state.now)
        return [.startRun(dataset: path, settings: state.settings, prompt: state.currentPrompt), .saveSession]
    }

    static func move(_ state: inout WorkbenchState, _ delta: Int) {
        switch state.focus {
        case .queries:
            let n = state.visibleQueries.count
            guard n > 0 else { return }
            state.queryCursor = max(0, min(n - 1, state.queryCursor + delta))
            state.resultCursor = 0
            state.resultTop = 0
        case .results:
            let n = state.selectedQuery?.candidates.count ?? 0
            guard n > 0 else { return }
            state.resultCursor = max(0, min(n - 1, state.resultCursor + delta))
        case .settings:
            state.settingsCursor = max(0, min(SettingField.allCases.count - 1, state.settingsCursor + delta))
        default:
            break
        }
    }

    static func cycle<T: CaseIterable & Equatable>(_ value: T, forward: Bool) -> T {
        let all = Array(T.allCases)
        let i = all.firstIndex(of: value)!
        return all[(i + (forward ? 1 : all.count - 1)) % all.count]
    }

    static func cycleSetting(_ state: inout WorkbenchState, forward: Bool) -> [Effect] {
        guard !state.isRunning else {
            setStatus(&state, "settings are locked while a run is going", error: true)
            return []
        }
        let field = SettingField.allCases[state.settingsCursor]
        var s = state.settings
        var rescore = false
        switch field {
        case .provider:
            let names = Self.providerNames
            let i = names.firstIndex(of: s.provider) ?? 0
            switchProvider(&state, &s, to: names[(i + (forward ? 1 : names.count - 1)) % names.count])
        case .mode: s.mode = cycle(s.mode, forward: forward)
        case .parser:
            s.parser = cycle(s.parser, forward: forward)
            s.topLogprobs = s.parser == .logprob ? 20 : nil
            rescore = true
        case .scale: s.scale = cycle(s.scale, forward: forward); rescore = true
        case .failurePolicy: s.failurePolicy = cycle(s.failurePolicy, forward: forward); rescore = true
        case .ties: s.ties = cycle(s.ties, forward: forward); rescore = true
        case .temperature: s.temperature = max(0, min(2, ((s.temperature ?? 0) + (forward ? 0.1 : -0.1)) * 10).rounded() / 10)
        case .maxTokens: s.maxTokens = max(1, (s.maxTokens ?? 100) + (forward ? 50 : -50))
        case .topK:
            let k = (s.topK ?? 0) + (forward ? 1 : -1)
            s.topK = k <= 0 ? nil : k
            rescore = true
        case .samples: s.samples = max(1, s.samples + (forward ? 1 : -1))
        case .concurrency: s.concurrency = max(1, s.concurrency + (forward ? 1 : -1))
        case .cutoff:
            let k = max(1, s.metrics.primaryMetric == .ndcg ? 10 : (s.metrics.cutoffs.last ?? 10) + (forward ? 1 : -1))
            s.metrics = MetricSettings(cutoffs: [k], relevanceThreshold: s.metrics.relevanceThreshold, gain: s.metrics.gain, judged: s.metrics.judged)
            rescore = true
        case .model:
            // Cycle through the models the price table knows for this provider; Enter types any name.
            var choices = PriceTable.bundled.models(for: s.provider)
            let preset = ProviderCatalog.defaultModel(s.provider)
            if !preset.isEmpty, !choices.contains(preset) { choices.insert(preset, at: 0) }
            guard !choices.isEmpty else {
                state.modals.append(.input(.setting(field), text: settingText(state, field)))
                return []
            }
            let i = choices.firstIndex(of: s.model) ?? (forward ? -1 : 0)
            s.model = choices[(i + (forward ? 1 : choices.count - 1) + choices.count) % choices.count]
        case .baseURL:
            state.modals.append(.input(.setting(field), text: settingText(state, field)))
            return []
        }
        state.settings = s
        if rescore {
            // Parser, ties, top_k and cutoffs re-score the stored replies; no calls are made.
            rebuildReport(&state)
            if !state.results.isEmpty { setStatus(&state, "re-scored the stored replies with the new \(field.label) (no calls)") }
        }
        return [.saveSession]
    }

    /// Every provider the settings row offers, in cycling order.
    static var providerNames: [String] { ["lexical"] + ProviderPreset.all.map(\.name) }

    /// Switches provider, remembering the one left's model, base URL and concurrency and
    /// restoring what the user last had on the one chosen (defaults the first time).
    static func switchProvider(_ state: inout WorkbenchState, _ s: inout RunSettings, to name: String) {
        guard name != s.provider else { return }
        state.providerChoices[s.provider] = ProviderChoice(model: s.model, baseURL: s.baseURL, concurrency: s.concurrency)
        s.provider = name
        if let back = state.providerChoices[name] {
            s.model = back.model
            s.baseURL = back.baseURL
            s.concurrency = back.concurrency
        } else {
            s.model = ProviderCatalog.defaultModel(name)
            s.baseURL = nil
            s.concurrency = ProviderPreset.named(name)?.defaultConcurrency ?? 8
        }
    }

    static func settingText(_ state: WorkbenchState, _ field: SettingField) -> String {
        let s = state.settings
        switch field {
        case .provider: return s.provider
        case .mode: return s.mode.rawValue
        case .parser: return s.parser.rawValue
        case .scale: return s.scale.rawValue
        case .failurePolicy: return s.failurePolicy.rawValue
        case .ties: return s.ties.rawValue
        case .model: return s.model
        case .baseURL: return s.baseURL ?? ""
        case .temperature: return (s.temperature ?? 0).formatted(decimals: 1)
        case .maxTokens: return String(s.maxTokens ?? 100)
        case .topK: return s.topK.map(String.init) ?? ""
        case .samples: return String(s.samples)
        case .concurrency: return String(s.concurrency)
        case .cutoff: return s.metrics.cutoffs.map(String.init).joined(separator: ",")
        }
    }

    static func applySetting(_ state: inout WorkbenchState, _ field: SettingField, _ text: String) {
        var s = state.settings
        let t = text.trimmingCharacters(in: .whitespaces)
        var bad = false
        switch field {
        case .provider:
            if Self.providerNames.contains(t) { switchProvider(&state, &s, to: t) } else { bad = true }
        case .mode: if let v = PromptMode(rawValue: t) { s.mode = v } else { bad = true }
        case .parser:
            if let v = ScoreParserKind(rawValue: t) {
                s.parser = v
                s.topLogprobs = v == .logprob ? 20 : nil
            } else { bad = true }
        case .scale: if let v = ScoreScale(name: t) { s.scale = v } else { bad = true }
        case .failurePolicy: if let v = FailurePolicy(rawValue: t) { s.failurePolicy = v } else { bad = true }
        case .ties: if let v = TiePolicy(rawValue: t) { s.ties = v } else { bad = true }
        case .model: if t.isEmpty { bad = true } else { s.model = t }
        case .baseURL: s.baseURL = t.isEmpty ? nil : t
        case .temperature: if let v = Double(t), v >= 0, v <= 2 { s.temperature = v } else { bad = true }
        case .maxTokens: if let v = Int(t), v > 0 { s.maxTokens = v } else { bad = true }
        case .topK: if t.isEmpty || t == "0" { s.topK = nil } else if let v = Int(t), v > 0 { s.topK = v } else { bad = true }
        case .samples: if let v = Int(t), v > 0 { s.samples = v } else { bad = true }
        case .concurrency: if let v = Int(t), v > 0 { s.concurrency = v } else { bad = true }
        case .cutoff:
            let ks = t.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 > 0 }
            if ks.isEmpty { bad = true } else { s.metrics = MetricSettings(cutoffs: ks, relevanceThreshold: s.metrics.relevanceThreshold, gain: s.metrics.gain, judged: s.metrics.judged) }
        }
        if bad {
            setStatus(&state, "\(field.label): \"\(t)\" is not a valid value", error: true)
            return
        }
        state.settings = s
        rebuildReport(&state)
    }

    /// Writes the prompt card. Metrics go in only from a complete LLM run of exactly this
    /// text (by hash), with the run's own dataset, provider and model; otherwise none.
    static func savePromptCard(_ state: inout WorkbenchState, name: String) -> [Effect] {
        let parent = state.prompt
        let text = state.editor.text
        let runMatches = state.runPrompt.map { Digest.sha256(text) == $0.textHash } ?? false
        let report = state.report
        let usable = runMatches && !state.results.isEmpty && report?.complete == true && report?.providerIgnoresPrompt == false
        let settings = usable ? reportSettings(state) : state.settings
        let renamed = name != parent.name || parent.path == nil
        let description = renamed || parent.description.isEmpty
            ? "Edited in RerankBench from \(parent.name) (sha256 \(parent.textHash.prefix(12)))"
            : parent.description
        let lineage = PromptCard.Lineage(parentName: parent.name, parentSHA256: parent.textHash, source: parent.extraFrontMatter["source"])
        let card = PromptCard.text(name: name, description: description, prompt: text, settings: settings,
                                   report: usable ? report : nil, lineage: lineage)
        state.pendingPromptName = name
        state.pendingPromptDescription = description
        if !usable && !state.results.isEmpty {
            setStatus(&state, "saving without metrics: the shown run " + (runMatches ? (state.providerIsBaseline ? "is the lexical baseline" : "is not complete") : "used different prompt text"))
        }
        return [.savePrompt(path: "\(state.promptsDirectory)/\(PromptCard.fileName(name))", contents: card, overwrite: false)]
    }

    // MARK: modals

    static func handleModal(_ state: inout WorkbenchState, _ modal: Modal, _ key: Key) -> [Effect] {
        func close() { state.modals.removeLast() }
        switch modal {
        case let .help(scroll):
            switch key {
            case .down, .char("j"): state.modals[state.modals.count - 1] = .help(scroll: scroll + 1)
            case .up, .char("k"): state.modals[state.modals.count - 1] = .help(scroll: max(0, scroll - 1))
            case .pageDown: state.modals[state.modals.count - 1] = .help(scroll: scroll + 10)
            case .pageUp: state.modals[state.modals.count - 1] = .help(scroll: max(0, scroll - 10))
            default: close()
            }
            return []
        case let .detail(scroll), let .compare(scroll):
            let isDetail: Bool = { if case .detail = modal { return true } else { return false } }()
            func set(_ s: Int) { state.modals[state.modals.count - 1] = isDetail ? .detail(scroll: max(0, s)) : .compare(scroll: max(0, s)) }
            switch key {
            case .down, .char("j"): set(scroll + 1)
            case .up, .char("k"): set(scroll - 1)
            case .pageDown, .char(" "): set(scroll + 10)
            case .pageUp: set(scroll - 10)
            case .escape, .char("q"), .enter, .char("c"): close()
            default: break
            }
            return []
        case .confirmQuit:
            switch key {
            case .char("y"), .char("Y"):
                close()
                state.wantsQuit = true
                return [.cancelRun, .saveSession, .quit]
            case .char("s"), .char("S"):
                close()
                // Save first, then quit once the file is written (a refused or cancelled
                // save leaves the workbench open).
                state.quitAfterSave = true
                return perform(&state, .savePrompt)
            default:
                close()
                return []
            }
        case let .confirm(question):
            close()
            guard key == .char("y") || key == .char("Y") else {
                state.quitAfterSave = false
                setStatus(&state, "nothing changed")
                return []
            }
            switch question {
            case let .overwritePrompt(path, contents):
                return [.savePrompt(path: path, contents: contents, overwrite: true)]
            case .stopRunAndQuit:
                guard state.isRunning else {
                    state.wantsQuit = true
                    return [.saveSession, .quit]
                }
                state.quitWhenStopped = true
                setStatus(&state, "stopping the run; it is stored as cancelled (resume it with rerank-eval run --resume last), then the workbench quits")
                return [.cancelRun]
            }
        case .message:
            close()
            return []
        case let .input(purpose, text):
            switch key {
            case .escape:
                close()
                state.quitAfterSave = false
            case .backspace:
                state.modals[state.modals.count - 1] = .input(purpose, text: String(text.dropLast()))
            case .ctrl("u"):
                // As in a shell: Ctrl-U clears the whole field.
                state.modals[state.modals.count - 1] = .input(purpose, text: "")
            case let .char(c):
                state.modals[state.modals.count - 1] = .input(purpose, text: text + String(c))
            case .enter:
                close()
                switch purpose {
                case let .setting(field):
                    applySetting(&state, field, text)
                    return [.saveSession]
                case let .apiKey(provider):
                    let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    guard !key.isEmpty else { return [] }
                    state.sessionKeyProviders.insert(provider)
                    setStatus(&state, "key for \(provider) kept in memory for this session only (never written anywhere)")
                    return [.setSessionKey(provider: provider, key: key)]
                case .promptName:
                    let name = text.trimmingCharacters(in: .whitespaces)
                    guard !name.isEmpty else {
                        // Keep the dialog open, with the reason, instead of losing it.
                        state.modals.append(.input(.promptName, text: text))
                        setStatus(&state, "a prompt needs a name: type one, or Esc to cancel", error: true)
                        return []
                    }
                    return savePromptCard(&state, name: name)
                }
            default: break
            }
            return []
        case let .palette(query, selection):
            let matches = paletteMatches(query)
            switch key {
            case .escape: close()
            case .down, .ctrl("n"): state.modals[state.modals.count - 1] = .palette(query: query, selection: min(max(0, matches.count - 1), selection + 1))
            case .up: state.modals[state.modals.count - 1] = .palette(query: query, selection: max(0, selection - 1))
            case .backspace: state.modals[state.modals.count - 1] = .palette(query: String(query.dropLast()), selection: 0)
            case let .char(c): state.modals[state.modals.count - 1] = .palette(query: query + String(c), selection: 0)
            case .enter:
                close()
                if selection < matches.count { return perform(&state, matches[selection]) }
            default: break
            }
            return []
        case let .filePicker(directory, entries, selection):
            switch key {
            case .escape: close()
            case .down, .char("j"): state.modals[state.modals.count - 1] = .filePicker(directory: directory, entries: entries, selection: min(max(0, entries.count - 1), selection + 1))
            case .up, .char("k"): state.modals[state.modals.count - 1] = .filePicker(directory: directory, entries: entries, selection: max(0, selection - 1))
            case .backspace, .left, .char("h"): return [.listDirectory(directory + "/..")]
            case .enter, .right:
                guard selection < entries.count else { return [] }
                let entry = entries[selection]
                let path = directory == "." ? entry.name : "\(directory)/\(entry.name)"
                if entry.isDirectory { return [.listDirectory(path)] }
                close()
                return [.loadDataset(path)]
            default: break
            }
            return []
        }
    }

    /// Commands whose title contains every word typed in the palette.
    public static func paletteMatches(_ query: String) -> [Command] {
        let words = query.lowercased().split(separator: " ")
        let listed: [Command] = [.run, .cancelRun, .openDataset, .savePrompt, .exportConfig, .pinA, .compare, .clearPin,
                                 .externalEditor, .sortQueries, .filterQueries, .reloadProviders, .focusPrompt, .focusSettings,
                                 .focusQueries, .focusResults, .focusMetrics, .undo, .redo, .help, .quit]
        return listed.filter { c in words.allSatisfy { c.title.lowercased().contains($0) } }
    }
}
