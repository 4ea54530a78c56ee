import RerankCore

/// Overlays: help, command palette, candidate detail, compare A/B, calibration, file picker,
/// inputs, messages.
/// Their key bars come from the keymap (`Keymap.bar(for: KeyContext)`), as their keys do.
enum ModalView {
    static func frame(_ grid: inout ScreenGrid, _ state: WorkbenchState, title: String, width: Int? = nil, height: Int? = nil) -> Rect {
        let w = min(state.width - 2, width ?? state.width - 8)
        let h = min(state.height - 3, height ?? state.height - 6)
        let r = Rect(x: (state.width - w) / 2, y: max(1, (state.height - h) / 2), width: w, height: h)
        grid.fill(r)
        grid.box(r, title: title, focused: true)
        return r.inner
    }

    static func draw(_ grid: inout ScreenGrid, _ modal: Modal, _ state: WorkbenchState) {
        switch modal {
        case let .help(scroll): drawHelp(&grid, state, scroll)
        case let .palette(query, selection): drawPalette(&grid, state, query, selection)
        case let .detail(scroll): drawLines(&grid, state, title: "Detail", lines: detailLines(state), scroll: scroll)
        case let .calibration(scroll): CalibrationView.draw(&grid, state, scroll: scroll)
        case let .compare(scroll): drawLines(&grid, state, title: "Compare A (pinned) vs B (current)", lines: compareOverlay(state), scroll: scroll)
        case let .diff(selection, worseOnly): DiffView.draw(&grid, state, selection: selection, worseOnly: worseOnly)
        case let .tune(selection, scroll): TuneView.draw(&grid, state, selection: selection, scroll: scroll)
        case let .probes(selection): ProbesView.draw(&grid, state, selection: selection)
        case let .probeQuery(query, selection, scroll): ProbesView.drawQuery(&grid, state, query: query, selection: selection, scroll: scroll)
        case let .filePicker(directory, entries, selection): drawPicker(&grid, state, directory, entries, selection)
        case .confirmQuit:
            let prompt = state.editor.isDirty, labels = state.labels.unsaved.count
            let what = [prompt ? "prompt edits" : nil, labels > 0 ? "\(labels) label edit\(labels == 1 ? "" : "s")" : nil].compactMap { $0 }.joined(separator: " and ")
            let r = frame(&grid, state, title: "Unsaved " + what, width: 66, height: 7)
            let saved = labels > 0 && prompt ? "the labels, then the prompt," : labels > 0 ? "the labels to \(state.datasetFileName ?? "the dataset")" : "the prompt to Prompts/"
            grid.put("Not saved to a file yet: \(what).", x: r.x + 1, y: r.y, limit: r.width - 1)
            grid.put("(They are kept in the session either way.)", x: r.x + 1, y: r.y + 1, style: .dim, limit: r.width - 1)
            grid.put("s save \(saved) first, then quit", x: r.x + 1, y: r.y + 3, style: .bold, limit: r.width - 1)
            grid.put("y quit   any other key stay", x: r.x + 1, y: r.y + 4, style: .bold, limit: r.width - 1)
        case let .labelConflict(edits):
            let file = state.datasetFileName ?? "the dataset"
            let lines = ["\(file) changed on disk since it was loaded", "(another editor, a git checkout?). Nothing was written.",
                         "m keep mine: write my \(edits) label edit\(edits == 1 ? "" : "s") into the file as it is now",
                         "  (its other changes stay; the log names every change)",
                         "f take the file's: reload it and drop my label edits",
                         "any other key: cancel, keep my edits unsaved"]
            let r = frame(&grid, state, title: "The dataset file changed", width: 70, height: lines.count + 2)
            for (i, line) in lines.enumerated() { grid.put(line, x: r.x + 1, y: r.y + i, style: i >= 2 && !line.hasPrefix(" ") ? .bold : .plain, limit: r.width - 1) }
        case let .promptHistory(selection, marked): PromptHistoryView.draw(&grid, state, selection: selection, marked: marked)
        case let .promptDiff(scroll): drawLines(&grid, state, title: "Prompt diff, line by line", lines: PromptHistoryView.diffLines(state), scroll: scroll)
        case let .confirm(question):
            let (title, lines): (String, [String]) = {
                switch question {
                case let .overwritePrompt(path, _):
                    return ("Overwrite \(path)?", ["\(path) already exists.", "y replaces it with this prompt (its card: name, lineage, metrics).", "Any other key keeps it; save under another name with Ctrl-S."])
                case .stopRunAndQuit:
                    return ("A run is going", ["Quitting stops it first: the completed scores are stored and the run", "is kept as cancelled, resumable with rerank-eval run --resume last.", "y stop the run and quit   any other key keep running"])
                case let .paidRun(e):
                    return ("Run on a paid API?", ["\(e.calls) calls to \(e.provider) \(e.model).", costLine(e),
                                                   "Asked once per provider and model in a session.",
                                                   "y run   any other key cancel"])
                case let .testLook(queries, looks):
                    let seen: String
                    switch looks {
                    case nil: seen = "The store could not say how often the test split was looked at."
                    case 0?: seen = "This is the first look at this dataset's test split: a clean estimate."
                    case let n?: seen = "Looked at \(n) time\(n == 1 ? "" : "s") before: after this, its numbers are no longer clean."
                    }
                    return ("Confirm on the test split?", ["Runs the current prompt on the \(queries) held-out test quer\(queries == 1 ? "y" : "ies").", seen,
                                                          "Each look lets later choices lean on these queries: confirm once,",
                                                          "with the prompt you mean to keep. Runs with r stay on dev.",
                                                          "y run on test   any other key cancel"])
                case let .startTune(e):
                    let cost = e.cost.map { "about $\($0.formatted(decimals: 4)) at most" } ?? "cost unknown (no price for \(e.model))"
                    return ("Start a tune?", ["Scorer and proposer: \(e.provider) \(e.model). Searches on the \(e.devQueries) dev queries:",
                                              "\(e.rounds) rounds of \(e.candidates) edited prompts, up to \(e.roundCalls) calls a round.",
                                              "At most \(e.calls) calls in all, \(cost); cached replies are free.",
                                              "At the end the best meets the start prompt once on the \(e.testQueries) test queries.",
                                              "It runs in the background; s in the Tune view stops it (resumable).",
                                              "y start   any other key cancel"])
                case let .stopTuneAndQuit(id):
                    let resume = id.map { "rerank-eval tune --resume \($0)" } ?? "rerank-eval tune --resume last"
                    return ("A tune is going", ["Quitting stops it: every step done so far is stored,",
                                                "and \(resume) continues it.",
                                                "y stop the tune and quit   any other key keep tuning"])
                case let .paidProbe(e):
                    return ("Probe on a paid API?", ["\(e.calls) calls to \(e.provider) \(e.model): the queries' own memories",
                                                     "and the injected ones.", costLine(e),
                                                     "Asked once per provider and model in a session.",
                                                     "y probe   any other key cancel"])
                case .stopProbeAndQuit:
                    return ("A probe is going", ["Quitting stops it: the calls finished are stored (in history),",
                                                 "and the same probe again answers them from the cache.",
                                                 "y stop the probe and quit   any other key keep probing"])
                case let .loadPromptVersion(_, name):
                    return ("Replace the unsaved edits?", ["The editor has edits not saved to a file.",
                                                          "y puts \(name) from the history in the editor;",
                                                          "Ctrl-Z there brings your text back.",
                                                          "y load   any other key keep editing"])
                }
            }()
            let r = frame(&grid, state, title: title, width: 76, height: lines.count + 3)
            for (i, line) in lines.enumerated() { grid.put(line, x: r.x + 1, y: r.y + i, style: i == lines.count - 1 ? .bold : .plain, limit: r.width - 1) }
        case let .input(purpose, text):
            let title: String
            switch purpose {
            case let .setting(field): title = "Set \(field.label)"
            case .promptName: title = "Save prompt to Prompts/ as (name)"
            case let .apiKey(provider): title = "API key for \(provider), this session only (never stored)"
            }
            let r = frame(&grid, state, title: title, width: 64, height: 5)
            // A key is never drawn: only how many characters were typed.
            let visible: String = { if case .apiKey = purpose { return String(repeating: "•", count: text.count) } else { return text } }()
            let shown = DisplayWidth.of(visible) > r.width - 3 ? String(visible.suffix(r.width - 3)) : visible
            let x = r.x + 1 + grid.put(shown, x: r.x + 1, y: r.y + 1, style: .bold)
            grid.put("▏", x: x, y: r.y + 1, style: .color(.cyan))
        case let .message(title, body):
            let lines = wrap(body, width: min(state.width - 12, 76))
            let r = frame(&grid, state, title: title, width: min(state.width - 4, 80), height: min(state.height - 4, lines.count + 4))
            for (i, line) in lines.prefix(r.height - 1).enumerated() {
                grid.put(line, x: r.x + 1, y: r.y + i, limit: r.width - 1)
            }
            grid.put("press any key", x: r.x + 1, y: r.bottom - 1, style: .dim, limit: r.width - 1)
        }
    }

    /// The keymap's help lines in three columns sized to their contents: keys, what they do,
    /// where. When the three do not fit side by side, the lines are grouped under their scope
    /// instead, and a title too long for its column wraps: every word stays on screen, at any
    /// width.
    static func drawHelp(_ grid: inout ScreenGrid, _ state: WorkbenchState, _ scroll: Int) {
        let r = frame(&grid, state, title: "Help")
        let lines = helpText(width: r.width - 2, keymap: state.keymap)
        for (i, line) in lines.dropFirst(min(scroll, max(0, lines.count - r.height))).prefix(r.height).enumerated() {
            grid.put(line.0, x: r.x + 1, y: r.y + i, style: line.1, limit: r.width - 1)
        }
    }

    /// The help overlay's lines for `width` columns.
    static func helpText(width: Int, keymap: Keymap = .standard) -> [(String, Style)] {
        let entries = keymap.helpLines
        let keysWidth = (entries.map { DisplayWidth.of($0.keys) }.max() ?? 0) + 2
        let titleWidth = (entries.map { DisplayWidth.of($0.title) }.max() ?? 0) + 2
        let scopeWidth = entries.map { DisplayWidth.of($0.scope) }.max() ?? 0
        let sideBySide = keysWidth + titleWidth + scopeWidth <= width
        var lines: [(String, Style)] = wrap("Keys (generated from the keymap; the bar at the bottom shows the ones for the current pane)", width: width).map { ($0, .dim) }
        lines.append(("", .plain))
        if sideBySide {
            for entry in entries {
                lines.append((DisplayWidth.pad(entry.keys, keysWidth) + DisplayWidth.pad(entry.title, titleWidth) + entry.scope, .plain))
            }
        } else {
            let indent = String(repeating: " ", count: keysWidth)
            var scopes: [String] = []
            for entry in entries where !scopes.contains(entry.scope) { scopes.append(entry.scope) }
            for scope in scopes {
                // "everywhere", "outside the editor" and "in the editor" read as headings;
                // a list of panes gets an "In".
                let heading = scope.first?.isLowercase == true ? scope.prefix(1).uppercased() + scope.dropFirst() : "In " + scope
                lines += wrap(heading + ":", width: width).map { ($0, .bold) }
                for entry in entries where entry.scope == scope {
                    for (i, part) in wrap(entry.title, width: max(1, width - keysWidth)).enumerated() {
                        lines.append(((i == 0 ? DisplayWidth.pad(entry.keys, keysWidth) : indent) + part, .plain))
                    }
                }
                lines.append(("", .plain))
            }
        }
        if sideBySide { lines.append(("", .plain)) }
        lines += wrap("In the prompt editor: arrows, Home/End, Ctrl-Home/End to the start/end of the text, PgUp/PgDn, Ctrl-←/→ by word, Enter new line, Bksp/Del, paste keeps newlines. {query} and {document} are highlighted.", width: width).map { ($0, .dim) }
        return lines
    }

    static func drawPalette(_ grid: inout ScreenGrid, _ state: WorkbenchState, _ query: String, _ selection: Int) {
        let matches = WorkbenchReducer.paletteMatches(query)
        let r = frame(&grid, state, title: "Command palette", width: 70, height: min(state.height - 4, matches.count + 4))
        grid.put(": " + query + "▏", x: r.x + 1, y: r.y, style: .bold, limit: r.width - 1)
        for (i, c) in matches.prefix(r.height - 2).enumerated() {
            let selected = i == selection
            let y = r.y + 2 + i
            if selected { grid.fill(Rect(x: r.x, y: y, width: r.width, height: 1), style: .reverse) }
            let key = state.keymap.key(for: c, focus: state.focus)?.label ?? ""
            grid.put(DisplayWidth.pad(c.title, r.width - 12) + key, x: r.x + 1, y: y, style: selected ? .reverse : .plain, limit: r.width - 1)
        }
    }

    static func drawPicker(_ grid: inout ScreenGrid, _ state: WorkbenchState, _ directory: String, _ entries: [FileEntry], _ selection: Int) {
        let r = frame(&grid, state, title: "Open dataset: \(directory)", width: 76)
        if entries.isEmpty { grid.put("(no folders or .jsonl files here; Bksp goes up)", x: r.x + 1, y: r.y, style: .dim) }
        let top = max(0, selection - r.height + 1)
        for (i, e) in entries.dropFirst(top).prefix(r.height).enumerated() {
            let y = r.y + i
            let selected = top + i == selection
            if selected { grid.fill(Rect(x: r.x, y: y, width: r.width, height: 1), style: .reverse) }
            grid.put((e.isDirectory ? "▸ " : "  ") + e.name + (e.isDirectory ? "/" : ""), x: r.x + 1, y: y,
                     style: selected ? .reverse : (e.isDirectory ? .color(.blue, bold: true) : .plain), limit: r.width - 1)
        }
    }

    /// What the calls of a paid run or probe may cost, for the question before them.
    static func costLine(_ e: PaidRunEstimate) -> String {
        guard let likely = e.likelyCost, let most = e.maxCost else { return "Cost unknown: no price for \(e.model) in the price table." }
        return "Cost: about $\(likely.formatted(decimals: 4)), at most $\(most.formatted(decimals: 4)); cached calls are free."
    }

    /// A line of a scrolling overlay: prose, wrapped at spaces; or text as a provider received
    /// it, shown exactly, whitespace included (`SentText`).
    enum OverlayLine {
        case text(String, Style)
        case sent(String)
        /// Prose after a marker (a diff's `+ `), wrapped under the text, not under the marker.
        case marked(String, String, Style)
        /// A row of a long table: one screen row, cut at the edge. Thousands of them cost a
        /// frame nothing to lay out (each wrapped every frame did).
        case row(String, Style)
    }

    static func drawLines(_ grid: inout ScreenGrid, _ state: WorkbenchState, title: String, lines: [OverlayLine], scroll: Int) {
        let r = frame(&grid, state, title: title)
        drawRows(&grid, rows(lines, width: r.width - 2), rect: Rect(x: r.x + 1, y: r.y, width: r.width - 1, height: r.height), scroll: scroll)
    }

    /// The screen rows of overlay lines `width` columns wide.
    static func rows(_ lines: [OverlayLine], width: Int) -> [[SentText.Run]] {
        var rows: [[SentText.Run]] = []
        for line in lines {
            switch line {
            case let .text(text, style): rows += wrap(text, width: width).map { [SentText.Run(text: $0, style: style)] }
            case let .row(text, style): rows.append([SentText.Run(text: text, style: style)])
            case let .sent(text): rows += SentText.rows(text, width: width)
            case let .marked(marker, text, style):
                let indent = String(repeating: " ", count: DisplayWidth.of(marker))
                rows += wrap(text, width: width - indent.count).enumerated().map { [SentText.Run(text: ($0.offset == 0 ? marker : indent) + $0.element, style: style)] }
            }
        }
        return rows
    }

    /// Rows from `scroll` on (the last page stays whole past the end), clipped to `rect`.
    static func drawRows(_ grid: inout ScreenGrid, _ rows: [[SentText.Run]], rect: Rect, scroll: Int) {
        let start = min(scroll, max(0, rows.count - rect.height))
        for (i, row) in rows.dropFirst(start).prefix(rect.height).enumerated() {
            var x = rect.x
            for run in row { x += grid.put(run.text, x: x, y: rect.y + i, style: run.style, limit: max(0, rect.right - x)) }
        }
    }

    /// Wraps text to `width` display columns, keeping existing line breaks.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 4 else { return [text] }
        var out: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            var lineWidth = 0
            for word in raw.split(separator: " ", omittingEmptySubsequences: false) {
                let w = DisplayWidth.of(String(word))
                if lineWidth > 0, lineWidth + 1 + w > width {
                    out.append(line)
                    line = ""
                    lineWidth = 0
                }
                var piece = String(word)
                while DisplayWidth.of(piece) > width, piece.count > 1 {
                    var (head, _) = DisplayWidth.prefix(piece, fitting: width)
                    // A character wider than the line (a control shown as `\u202E`) goes on a
                    // line of its own, clipped when drawn; taking none would loop for ever.
                    if head.isEmpty { head = String(piece.prefix(1)) }
                    out.append(head)
                    piece = String(piece.dropFirst(head.count))
                }
                if lineWidth > 0 { line += " "; lineWidth += 1 }
                line += piece
                lineWidth += DisplayWidth.of(piece)
            }
            out.append(line)
        }
        return out
    }

    /// The selected candidate: its text, its score, and what the run sent and got back. All of
    /// it from the run on screen (its prompt, mode and provider), not from what the editor and
    /// the settings hold now.
    static func detailLines(_ state: WorkbenchState) -> [OverlayLine] {
        guard let q = state.selectedQuery, let c = state.selectedCandidate,
              let query = state.datasetIndex.query(q.queryID),
              let candidate = query.candidates.first(where: { $0.id == c.id }) else { return [.text("nothing selected", .dim)] }
        let replies = state.results.filter { $0.queryID == q.queryID && $0.candidateID == c.id }
        // Before any run the view shows what a run would send now.
        let ran = !replies.isEmpty
        let settings = ran ? (state.runSettings ?? state.settings) : state.settings
        let prompt = ran ? (state.runPrompt ?? state.currentPrompt) : state.currentPrompt
        let baseline = ProviderCatalog.ignoresPrompt(settings.provider)
        var lines: [OverlayLine] = [
            .text("Query \(q.queryID): \(q.query)", .bold),
            .text("Memory \(c.id)  label \(c.label.map(String.init) ?? "unjudged")  first-stage rank \(c.baselineRank)\(c.firstStageScore.map { " (score \($0))" } ?? "")  new rank \(c.newRank.map(String.init) ?? "cut")", .plain),
            .text("", .plain),
        ]
        lines += memoryLines(candidate.text, mode: settings.mode, baseline: baseline)
        lines.append(.text("", .plain))
        if baseline {
            // A keyword score: no reply was parsed, no tokens spent, nothing was cut.
            lines.append(.text("BM25 score \(c.score.map { $0.formatted(decimals: 4) } ?? "none") (keyword match, scaled to 0-1)", .bold))
        } else {
            lines.append(.text("Score \(c.score.map { $0.formatted(decimals: 4) } ?? "none")\(c.sampleScores.count > 1 ? "  samples " + c.sampleScores.map { $0.formatted(decimals: 3) }.joined(separator: ", ") : "")  outcome \(c.outcome?.rawValue ?? "no reply")\(c.truncated ? ", cut by max tokens" : "")", .bold))
        }
        if let error = c.error { lines.append(.text("Error: \(error)", .color(.red))) }
        lines.append(.text("", .plain))
        if baseline {
            lines.append(.text("Provider \(settings.provider) is a BM25 keyword baseline, not an LLM: it sends no messages and ignores the prompt.", .color(.yellow)))
            return lines
        }
        return lines + exchangeLines(prompt: prompt, mode: settings.mode, query: query.text, document: candidate.text, replies: replies)
    }

    /// The messages sent for one pair, exactly (or those a run would send, before any reply),
    /// and each raw reply: the Detail view's and the Probes view's.
    static func exchangeLines(prompt: ScoringPrompt, mode: PromptMode, query: String, document: String, replies: [PairResult]) -> [OverlayLine] {
        var lines: [OverlayLine] = []
        if let renderer = try? PromptRenderer(prompt: prompt, mode: mode) {
            lines.append(.text("\(replies.isEmpty ? "Messages a run would send" : "Messages sent") (\(mode.rawValue) mode):", .bold))
            lines.append(.text(SentText.legend, .dim))
            for m in renderer.messages(query: query, document: document) {
                lines.append(.text("[\(m.role.rawValue)]", .color(.cyan)))
                lines.append(.sent(m.content))
            }
        }
        for r in replies {
            lines.append(.text("", .plain))
            lines.append(.text("Raw reply (sample \(r.sampleIndex), \(r.attempts) attempt\(r.attempts == 1 ? "" : "s"), \((r.latency * 1000).formatted(decimals: 0)) ms):", .bold))
            if let reply = r.reply {
                if let text = reply.text, !text.isEmpty { lines.append(.sent(text)) } else { lines.append(.text(reply.text == nil ? "(null content)" : "(empty)", .plain)) }
                lines.append(.text("finish \(reply.finishReason ?? "?"), tokens \(reply.usage.promptTokens)+\(reply.usage.completionTokens)", .dim))
            } else {
                lines.append(.text(r.error ?? "failed", .color(.red)))
            }
        }
        return lines
    }

    /// The memory, with a mark where mem0's cut falls on a long one: in system mode mem0 sends
    /// only the first 4000 code points (`PromptRenderer.systemModeLimit`), and the reader should
    /// see which part the model never read.
    static func memoryLines(_ text: String, mode: PromptMode, baseline: Bool) -> [OverlayLine] {
        let limit = PromptRenderer.systemModeLimit
        guard !baseline, mode == .system, text.unicodeScalars.count > limit else { return [.text(text, .plain)] }
        let scalars = text.unicodeScalars
        let cut = scalars.index(scalars.startIndex, offsetBy: limit)
        let kept = String(scalars[..<cut])
        let dropped = String(scalars[cut...])
        return [
            .text(kept, .plain),
            .text("✂── mem0 cuts here: it sends the first \(limit) of \(scalars.count) characters; the \(scalars.count - limit) below never reach the model ──", .color(.yellow, bold: true)),
            .text(dropped, .dim),
        ]
    }

    /// The compare view's lines as text and style.
    static func compareLines(_ state: WorkbenchState) -> [(String, Style)] {
        compareOverlay(state).map { line in
            switch line {
            case let .text(text, style), let .row(text, style): return (text, style)
            case let .sent(text): return (text, .plain)
            case let .marked(marker, text, style): return (marker + text, style)
            }
        }
    }

    /// The compare view: A and B named, the tests, then a row per query (its delta, largest
    /// loss first) and the selected query's ranks in A and B.
    static func compareOverlay(_ state: WorkbenchState) -> [OverlayLine] {
        guard let a = state.pinned, let b = state.report else { return [.text("pin a run (p) and run again", .dim)] }
        var lines: [(String, Style)] = [
            ("A: \(state.pinnedLabel)", .bold),
            // B is the run on screen, named by its own prompt and hash (not the editor's text).
            ("B: \(state.compareLabelB.isEmpty ? WorkbenchReducer.shownRunLabel(state) : state.compareLabelB)", .bold),
        ]
        if let split = b.settings.split {
            lines.append(("on the \(split.description)" + (a.settings.split != split ? " (A: \(a.settings.split?.description ?? "every query"))" : ""), .plain))
        }
        if let note = state.compareNote { lines.append(("note: " + note, .color(.yellow))) }
        if let split = b.settings.split, TestLook.includesTest(split), let warning = state.testLookWarning {
            lines.append(("warning: " + warning, .color(.yellow, bold: true)))
        }
        // The best of many prompts tried on the same queries is partly luck (issue 15): say how
        // many this session tried on this split, and where the clean estimate is.
        if let tried = state.promptsTried[b.settings.split ?? .all]?.count, tried >= 3, b.settings.split != .test {
            if b.settings.split == .dev {
                lines.append(("note: \(tried) prompts tried on the dev split in this session; the best of many tries is partly luck: confirm the one you keep on test (T)", .color(.yellow)))
            } else {
                lines.append(("note: \(tried) prompts tried on these queries in this session; the best of many tries is partly luck: hold out a test split (rerank-eval split) to confirm the one you keep", .color(.yellow)))
            }
        }
        if state.compareLeftOut > 0 {
            lines.append(("note: \(state.compareLeftOut) quer\(state.compareLeftOut == 1 ? "y" : "ies") left out: not completed by both runs (compared on \(state.comparisons.first?.queryIDs.count ?? 0))", .color(.yellow)))
        }
        lines.append(("", .plain))
        guard let main = state.comparisons.first else { return (lines + [comparisonHeader]).map { .text($0.0, $0.1) } }
        let metric = main.metric
        lines += comparisonLines(state.comparisons)
        lines.append(("", .plain))
        lines.append(("Per-query \(metric.heading) delta, largest loss first:", .bold))
        var overlay: [OverlayLine] = lines.map { .text($0.0, $0.1) }
        let order = main.queryIDs.indices.sorted { main.deltas[$0] < main.deltas[$1] }
        // Looked up by id: a walk of B's queries for each line was quadratic in the file.
        let texts = Dictionary(b.queries.map { ($0.queryID, $0.query) }, uniquingKeysWith: { first, _ in first })
        for i in order {
            let d = main.deltas[i]
            let text = texts[main.queryIDs[i]] ?? ""
            overlay.append(.row(DisplayWidth.pad(main.queryIDs[i], 10) + DisplayWidth.pad(main.a[i].formatted(decimals: 3), 7, right: true) + " → "
                                + DisplayWidth.pad(main.b[i].formatted(decimals: 3), 6) + DisplayWidth.pad(d.signed(decimals: 3), 8, right: true) + "  " + text,
                                d < -1e-9 ? .color(.red) : (d > 1e-9 ? .color(.green) : .dim)))
        }
        if let q = state.selectedQuery, let qa = a.queries.first(where: { $0.queryID == q.queryID }) {
            overlay += [.text("", .plain), .text("Ranks in A vs B for \(q.queryID) (\(q.query)):", .bold)]
            let rankA = Dictionary(qa.candidates.map { ($0.id, $0.newRank) }, uniquingKeysWith: { x, _ in x })
            for c in q.candidates {
                let ra = rankA[c.id].flatMap { $0 }.map(String.init) ?? "cut"
                let rb = c.newRank.map(String.init) ?? "cut"
                overlay.append(.row("  \(DisplayWidth.pad(c.id, 8)) label \(c.label.map(String.init) ?? "?")  A \(DisplayWidth.pad(ra, 4, right: true))  B \(DisplayWidth.pad(rb, 4, right: true))", .plain))
            }
        }
        return overlay
    }

    static let comparisonHeader: (String, Style) =
        (DisplayWidth.pad("metric", 10) + DisplayWidth.pad("A", 9, right: true) + DisplayWidth.pad("B", 9, right: true) + DisplayWidth.pad("B-A", 9, right: true) + "   significance", .dim)

    /// A paired comparison as the compare view shows it: a row per metric (coloured only by a
    /// verdict), then the verdict, the detectable effect and how the tests were run. The Tune
    /// view shows its test-split confirmation with the same lines.
    static func comparisonLines(_ comparisons: [PairedComparison]) -> [(String, Style)] {
        guard let main = comparisons.first else { return [] }
        var lines = [comparisonHeader]
        for cmp in comparisons {
            // Colour only a verdict: a significant difference within sample noise stays plain.
            let style: Style = switch cmp.outcome {
            case .better: .color(.green, bold: true)
            case .worse: .color(.red, bold: true)
            case .notSignificant, .withinSampleNoise: .plain
            }
            let sig = "p=\(cmp.p.formatted(decimals: 3)) (t-test \(cmp.tTestP.map { $0.formatted(decimals: 3) } ?? "n/a")), \(cmp.wins)W/\(cmp.ties)T/\(cmp.losses)L"
            lines.append((DisplayWidth.pad(cmp.metric.heading, 10) + DisplayWidth.pad(cmp.meanA.formatted(decimals: 4), 9, right: true)
                          + DisplayWidth.pad(cmp.meanB.formatted(decimals: 4), 9, right: true) + DisplayWidth.pad(cmp.meanDelta.signed(decimals: 4), 9, right: true) + "   " + sig, style))
        }
        lines += [("", .plain), (main.verdict(), .bold), (main.powerStatement, .plain),
                  ("(randomization: \(main.permutations) sign flips, seed \(main.seed); CI: \(main.resamples) bootstrap resamples)", .dim)]
        return lines
    }
}
