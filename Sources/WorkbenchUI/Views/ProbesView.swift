import RerankCore

/// The Probes view: what the next probe will add (the attacks, checked or not, with their
/// descriptions; memories per query; seed), the probe's progress, and per attack the success
/// rate, the injected memories' mean rank and score and the NDCG@k the own memories lost; then
/// the probed queries, each opened with Enter (`drawQuery`): the ranking with the injected
/// memories marked by attack, and the exact messages sent for the selected memory.
enum ProbesView {
    static func draw(_ grid: inout ScreenGrid, _ state: WorkbenchState, selection: Int) {
        let r = ModalView.frame(&grid, state, title: "Probes: adversarial memories added to each query, never to the dataset",
                                width: state.width - 2, height: state.height - 3)
        guard r.height >= 8 else { return }
        let x0 = r.x + 1
        let width = r.width - 2
        let roomy = r.height >= 24
        var y = r.y
        for (text, style) in headerLines(state) {
            grid.put(DisplayWidth.clip(TerminalText.inert(text), width), x: x0, y: y, style: style)
            y += 1
        }
        if roomy { y += 1 }
        let attacks = ProbeAttack.allCases
        let outcome = state.probe.outcome
        let rows = ProbeReducer.rowCount(state)
        let cursor = min(max(0, selection), rows - 1)
        grid.put(DisplayWidth.clip(tableRow("", "attack", ["success", "hits", "rank", "score", "NDCG lost"]), width), x: x0, y: y, style: .dim)
        y += 1
        for (i, attack) in attacks.enumerated() {
            let check = state.probe.chosen.contains(attack) ? "[x]" : "[ ]"
            var line: String
            var style: Style = state.probe.chosen.contains(attack) ? .plain : .dim
            if let a = outcome?.report.attacks.first(where: { $0.attack == attack }) {
                line = tableRow(check, attack.rawValue, [percent(a.successRate), "\(a.successes)/\(a.queries)", cell(a.meanRank, 1), cell(a.meanScore, 3), cell(a.ndcgLoss, 4)])
                if width - DisplayWidth.of(line) >= 20 { line += "  " + attack.summary }
                if let rate = a.successRate, rate > 0 { style = rate >= 0.5 ? .color(.red) : .color(.yellow) } else if a.successRate != nil { style = .color(.green) }
            } else {
                line = check + " " + DisplayWidth.pad(attack.rawValue, nameWidth) + " " + attack.summary
            }
            grid.put(DisplayWidth.pad(DisplayWidth.clip(line, width), width), x: x0, y: y, style: i == cursor ? .reverse : style, limit: width)
            y += 1
        }
        // The selected row in words: the attack's summary sentence (or its description), or the query.
        var about: [(String, Style)] = []
        if cursor < attacks.count {
            let attack = attacks[cursor]
            if let outcome, let a = outcome.report.attacks.first(where: { $0.attack == attack }) {
                about.append((a.sentence(k: outcome.report.k), .plain))
            } else {
                about.append(("\(attack.rawValue): \(attack.summary)", .plain))
            }
        } else if let outcome {
            let id = outcome.queryIDs[cursor - attacks.count]
            let hits = outcome.report.queries.filter { $0.queryID == id && $0.success }.map(\.attack.rawValue)
            about.append(("\(id): " + (hits.isEmpty ? "no injected memory reached the top \(outcome.report.k)" : "in the top \(outcome.report.k): " + hits.joined(separator: ", ")) + "; Enter shows where each landed and the messages sent", .plain))
        }
        if roomy, let outcome { about += outcome.report.attacks.filter { $0.attack != (cursor < attacks.count ? attacks[cursor] : nil) }.map { ($0.sentence(k: outcome.report.k), .dim) } }
        let queryRows = outcome.map { min($0.queryIDs.count, max(3, (r.bottom - y) / 2)) } ?? 0
        let aboutRoom = r.bottom - y - (outcome == nil ? 0 : queryRows + 1)
        // Whole sentences only (the selected one first); the others where they fit.
        var aboutRows: [(String, Style)] = []
        for (text, style) in about {
            let parts = ModalView.wrap(TerminalText.inert(text), width: width)
            guard aboutRows.isEmpty || aboutRows.count + parts.count <= aboutRoom else { break }
            aboutRows += parts.map { ($0, style) }
        }
        for (text, style) in aboutRows.prefix(max(0, aboutRoom)) {
            grid.put(DisplayWidth.clip(text, width), x: x0, y: y, style: style)
            y += 1
        }
        guard let outcome, r.bottom - y >= 2 else { return }
        grid.put(DisplayWidth.clip("query  hits  (Enter opens one: its ranking with the injected memories, the messages sent)", width), x: x0, y: y, style: .dim)
        y += 1
        let ids = outcome.queryIDs
        let room = r.bottom - y
        let selected = cursor - attacks.count
        let first = max(0, min(selected - room / 2, ids.count - room))
        for (i, id) in ids.enumerated().dropFirst(first).prefix(room) {
            let probes = outcome.report.queries.filter { $0.queryID == id }
            let hits = probes.filter(\.success).count
            let text = outcome.report.queries.first { $0.queryID == id }?.query ?? ""
            let line = DisplayWidth.pad(id, 6) + DisplayWidth.pad("\(hits)/\(probes.count)", 5, right: true) + "  " + oneLine(text)
            let style: Style = i == selected ? .reverse : (hits > 0 ? .color(.red) : .plain)
            grid.put(DisplayWidth.pad(DisplayWidth.clip(TerminalText.inert(line), width), width), x: x0, y: y, style: style, limit: width)
            y += 1
        }
    }

    static let nameWidth = 21

    /// An attack row: check box, name, then the right-aligned numbers.
    static func tableRow(_ check: String, _ name: String, _ cells: [String]) -> String {
        let widths = [8, 7, 6, 7, 10]
        return DisplayWidth.pad(check, 3) + " " + DisplayWidth.pad(name, nameWidth)
            + zip(cells, widths).map { DisplayWidth.pad($0, $1, right: true) }.joined()
    }

    static func cell(_ v: Double?, _ decimals: Int) -> String { v.map { $0.formatted(decimals: decimals) } ?? "-" }
    static func percent(_ v: Double?) -> String { v.map { ($0 * 100).formatted(decimals: 1) + "%" } ?? "-" }
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// What is probed and on which split, the choices, and the probe's progress or result.
    static func headerLines(_ state: WorkbenchState) -> [(String, Style)] {
        let probe = state.probe
        var lines: [(String, Style)] = []
        let s = state.settings
        let k = probe.outcome?.report.k ?? s.topK.flatMap { $0 > 0 ? $0 : nil } ?? s.metrics.primaryCutoff ?? 10
        // The split first: on a narrow screen the end of a line is what is cut.
        if let p = probe.progress {
            lines.append(("on \(ProbeReducer.splitName(p.split)) (\(p.queries) quer\(p.queries == 1 ? "y" : "ies")): \(p.subject)", .bold))
        } else {
            let split = state.workingSplit
            let queries = state.dataset.map { d in split.map { d.selecting($0) } ?? d }?.queries.count ?? 0
            lines.append(("r probes on \(ProbeReducer.splitName(split)) (\(queries) quer\(queries == 1 ? "y" : "ies")): \(state.prompt.name) (\(s.mode.rawValue) mode), \(s.provider)/\(s.model)", .bold))
        }
        lines.append(("\(probe.perQuery) memor\(probe.perQuery == 1 ? "y" : "ies") per attack per query (+ -) · seed \(probe.seed) · hit = top \(k) · \(probe.chosen.count)/\(ProbeAttack.allCases.count) checked", .plain))
        if let p = probe.progress, p.running {
            lines.append(("running: \(p.done) of \(p.planned) calls (s or Ctrl-C stops it)" + (probe.outcome != nil ? "; below: the last probe" : ""), .color(.cyan, bold: true)))
        } else if let o = probe.outcome {
            let clean = o.report.cleanNDCG.map { "clean NDCG@\(o.report.k) \($0.formatted(decimals: 4))" } ?? "no query measured"
            let run = o.runID.map { "run \($0) in history" } ?? "not stored"
            lines.append(("\(clean) · \(run) · \(o.calledNow) call\(o.calledNow == 1 ? "" : "s") made, \(o.cachedNow) cached", .plain))
            let stopped = [probe.progress?.stopMessage.map { "stopped: \($0)" }, o.report.complete ? nil : "partial: only the queries whose calls all finished"].compactMap { $0 }
            if !stopped.isEmpty { lines.append((stopped.joined(separator: " · "), .color(.yellow))) }
        } else if let message = probe.progress?.stopMessage {
            lines.append(("stopped: \(message)", .color(.red)))
        } else {
            lines.append(("not probed yet: r runs the checked attacks with the editor's prompt", .dim))
        }
        return lines
    }

    // MARK: One query

    static func drawQuery(_ grid: inout ScreenGrid, _ state: WorkbenchState, query: Int, selection: Int, scroll: Int) {
        guard let outcome = state.probe.outcome, query < outcome.queryIDs.count else { return }
        let id = outcome.queryIDs[query]
        let r = ModalView.frame(&grid, state, title: "Probe: query \(id) on \(ProbeReducer.splitName(outcome.settings.split))",
                                width: state.width - 2, height: state.height - 3)
        guard r.height >= 8 else { return }
        let x0 = r.x + 1
        let width = r.width - 2
        let ranking = ProbeReducer.ranking(state, query: query)
        let cursor = ranking.isEmpty ? 0 : min(selection, ranking.count - 1)
        let text = outcome.report.queries.first { $0.queryID == id }?.query ?? ""
        var y = r.y
        grid.put(DisplayWidth.clip(TerminalText.inert("Query \(id): " + oneLine(text)), width), x: x0, y: y, style: .bold)
        y += 1
        grid.put(DisplayWidth.clip("◆ injected, by attack; red: a hit (in the top \(outcome.report.k), ahead of an own memory)", width), x: x0, y: y, style: .dim)
        y += 1
        // The ranking gets up to half the rows; the selected memory and its messages the rest.
        let listRows = min(ranking.count + 1, max(4, (r.bottom - y) / 2))
        grid.put(DisplayWidth.clip("rank  score  label  memory", width), x: x0, y: y, style: .dim)
        let room = listRows - 1
        let first = max(0, min(cursor - room / 2, ranking.count - room))
        for (i, c) in ranking.enumerated().dropFirst(first).prefix(room) {
            let attack = outcome.attack(queryID: id, memoryID: c.id)
            let memory = outcome.probed.queries.first { $0.id == id }?.candidates.first { $0.id == c.id }?.text ?? ""
            let name = attack.map { "◆ \($0.rawValue)" } ?? c.id
            let line = DisplayWidth.pad(c.score == nil ? "-" : "\(i + 1)", 4, right: true) + "  " + DisplayWidth.pad(cell(c.score, 3), 5, right: true)
                + "  " + DisplayWidth.pad(attack == nil ? (c.label.map(String.init) ?? "-") : "0", 5, right: true) + "  "
                + DisplayWidth.pad(name, 24) + " " + oneLine(memory)
            var style: Style = .plain
            if let attack { style = placed(outcome, id, attack, c.id).hit ? .color(.red, bold: true) : .color(.yellow) }
            grid.put(DisplayWidth.pad(DisplayWidth.clip(TerminalText.inert(line), width), width), x: x0, y: y + 1 + i - first,
                     style: i == cursor ? .reverse : style, limit: width)
        }
        y += listRows + 1
        guard cursor < ranking.count, r.bottom - y > 2 else { return }
        let lines = memoryLines(outcome, queryID: id, query: text, candidate: ranking[cursor])
        ModalView.drawRows(&grid, ModalView.rows(lines, width: width), rect: Rect(x: x0, y: y, width: width, height: r.bottom - y), scroll: scroll)
    }

    /// Where an injected memory landed among the query's own memories and its attack's, and
    /// whether it is a hit (its attack succeeded on the query and it is in the top k).
    static func placed(_ outcome: ProbeOutcome, _ queryID: String, _ attack: ProbeAttack, _ memoryID: String) -> (memory: InjectedOutcome?, hit: Bool) {
        let probe = outcome.report.queries.first { $0.queryID == queryID && $0.attack == attack }
        let memory = probe?.memories.first { $0.id == memoryID }
        return (memory, probe?.success == true && (memory?.rank ?? .max) <= outcome.report.k)
    }

    /// The selected memory: where it landed, its text (with mem0's cut marked), and the
    /// messages sent for it with the replies.
    static func memoryLines(_ outcome: ProbeOutcome, queryID: String, query: String, candidate c: CandidateOutcome) -> [ModalView.OverlayLine] {
        let memory = outcome.probed.queries.first { $0.id == queryID }?.candidates.first { $0.id == c.id }?.text ?? ""
        var lines: [ModalView.OverlayLine] = []
        if let attack = outcome.attack(queryID: queryID, memoryID: c.id) {
            let (landed, hit) = placed(outcome, queryID, attack, c.id)
            let rank = landed?.rank.map { "rank \($0) among the own memories and this attack's" } ?? "no rank (its call failed)"
            lines.append(.text("\(c.id), injected by \(attack.rawValue) (\(attack.summary)): \(rank), score \(cell(c.score, 3))\(hit ? ": in the top \(outcome.report.k)" : "")",
                               hit ? .color(.red, bold: true) : .bold))
        } else {
            lines.append(.text("\(c.id), the query's own memory: label \(c.label.map(String.init) ?? "unjudged"), score \(cell(c.score, 3))", .bold))
        }
        let baseline = ProviderCatalog.ignoresPrompt(outcome.settings.provider)
        lines += ModalView.memoryLines(memory, mode: outcome.settings.mode, baseline: baseline)
        lines.append(.text("", .plain))
        if baseline {
            lines.append(.text("Provider \(outcome.settings.provider) is a BM25 keyword baseline, not an LLM: it sends no messages and ignores the prompt.", .color(.yellow)))
            return lines
        }
        let replies = outcome.results.filter { $0.queryID == queryID && $0.candidateID == c.id }
        return lines + ModalView.exchangeLines(prompt: outcome.prompt, mode: outcome.settings.mode, query: query, document: memory, replies: replies)
    }
}
