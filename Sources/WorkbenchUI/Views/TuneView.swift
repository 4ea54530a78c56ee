import RerankCore

/// The Tune view: the lineage as a tree (each candidate's round, fate, minibatch and dev score,
/// its change against its parent and the calls it took), the budget spent, and for the selected
/// candidate its critique and its line diff against its parent. Once the tune has looked at the
/// test split, the confirmation is shown with the compare view's own lines. Wide screens put
/// the list and the candidate side by side; 80 columns stack them.
enum TuneView {
    static func draw(_ grid: inout ScreenGrid, _ state: WorkbenchState, selection: Int, scroll: Int) {
        let id = state.tune?.tuneID.map { " \($0)" } ?? ""
        let r = ModalView.frame(&grid, state, title: "Tune\(id): dev split to search, test split to confirm once", width: state.width - 2, height: state.height - 3)
        guard let tune = state.tune, r.height >= 8 else { return }
        let x0 = r.x + 1
        let width = r.width - 2
        let metric = state.settings.metrics.primaryMetric
        var y = r.y
        for (text, style) in headerLines(tune, metric: metric) {
            grid.put(DisplayWidth.clip(text, width), x: x0, y: y, style: style)
            y += 1
        }
        y += 1
        let order = tune.treeOrder
        let cursor = order.isEmpty ? 0 : min(selection, order.count - 1)
        let selected = order.isEmpty ? nil : order[cursor].candidate
        if width >= 100 {
            // Wide: the confirmation across the whole width (its rows are a compare table's),
            // then the lineage and the candidate side by side.
            if let confirmation = tune.lineage.confirmation {
                for (text, style) in confirmationLines(confirmation) {
                    for part in ModalView.wrap(text, width: width) where y < r.bottom - 4 {
                        grid.put(DisplayWidth.clip(part, width), x: x0, y: y, style: style)
                        y += 1
                    }
                }
                y += 1
            }
            let detail = detailLines(tune, selected, metric: metric)
            drawList(&grid, order, cursor: cursor, metric: metric, rect: Rect(x: x0, y: y, width: listWidth, height: r.bottom - y))
            drawLines(&grid, detail, scroll: scroll, rect: Rect(x: x0 + listWidth + 2, y: y, width: width - listWidth - 2, height: r.bottom - y))
        } else {
            // Narrow: the verdict leads the candidate's text, which PgDn scrolls.
            let detail = (tune.lineage.confirmation.map { confirmationLines($0) + [("", .plain)] } ?? []) + detailLines(tune, selected, metric: metric)
            // Stacked: the list gets up to half the rows, the candidate the rest.
            let listRows = min(order.count + 1, max(4, (r.bottom - y) / 2))
            drawList(&grid, order, cursor: cursor, metric: metric, rect: Rect(x: x0, y: y, width: width, height: listRows))
            drawLines(&grid, detail, scroll: scroll, rect: Rect(x: x0, y: y + listRows + 1, width: width, height: r.bottom - y - listRows - 1))
        }
    }

    /// Who scores and proposes, what it is doing, the budget, the best so far, the test look.
    static func headerLines(_ tune: TuneProgress, metric: MetricName) -> [(String, Style)] {
        let l = tune.lineage
        let state = tune.running ? "running: \(tune.activity)" : tune.activity
        var lines: [(String, Style)] = [("scorer and proposer \(tune.scorer) · \(state)", tune.running ? .color(.cyan, bold: true) : .bold)]
        let bound = tune.callBound.map { " of at most \($0)" } ?? ""
        let rounds = "round \(l.roundsCompleted) of \(tune.settings.rounds) done"
        let discarded = l.discarded > 0 ? " · \(l.discarded) discarded" : ""
        // Each proposal is one call; the stored count catches up when the tune saves.
        let proposer = max(l.proposerCalls, l.candidates.count - 1)
        lines.append(("\(rounds) · calls \(l.calls)\(bound) (\(proposer) to the proposer) · $\(l.cost.formatted(decimals: 4))\(discarded)", .plain))
        let best = l.bestCandidate
        let start = l.start
        if let b = best.devMean, let s = start.devMean {
            lines.append(("best #\(best.number): dev \(metric.heading) \(b.formatted(decimals: 4)) (start \(s.formatted(decimals: 4)), \((b - s).signed(decimals: 4)))", best.number == 0 ? .plain : .color(.green)))
        } else {
            lines.append(("best #\(best.number)\(best.number == 0 ? " (the start prompt)" : "")", .plain))
        }
        if let c = l.confirmation {
            let style: Style = switch c.verdict {
            case .confirmed: .color(.green, bold: true)
            case .worseOnTest: .color(.red, bold: true)
            case .notConfirmed: .color(.yellow, bold: true)
            }
            lines.append(("test split: " + c.summary, style))
        } else {
            lines.append(("test split: not looked at yet (one look, at the end)", .dim))
        }
        if !tune.written.isEmpty {
            lines.append(("wrote " + tune.written.joined(separator: " and "), .color(.green)))
        } else if let message = tune.stopMessage, !l.finished {
            let resume = tune.tuneID.map { "rerank-eval tune --resume \($0)" } ?? "rerank-eval tune --resume last"
            lines.append(("stopped (\(message)); \(resume) continues it", .color(.yellow)))
        }
        return lines
    }

    /// The list's columns, the widest row included.
    static let listWidth = 63

    static func drawList(_ grid: inout ScreenGrid, _ order: [(candidate: TuneCandidate, depth: Int)], cursor: Int, metric: MetricName, rect: Rect) {
        guard rect.height >= 2 else { return }
        grid.put(DisplayWidth.clip("cand.      rnd status      mini    dev     Δ dev      p  calls", rect.width), x: rect.x, y: rect.y, style: .dim)
        let rows = rect.height - 1
        let first = max(0, min(cursor - rows / 2, order.count - rows))
        for (i, item) in order.dropFirst(first).prefix(rows).enumerated() {
            let c = item.candidate
            let name = String(repeating: " ", count: min(item.depth, 4)) + "#\(c.number)"
            let line = DisplayWidth.pad(name, 10) + DisplayWidth.pad("\(c.round)", 3, right: true) + " " + DisplayWidth.pad(c.status.rawValue, 10)
                + " " + DisplayWidth.pad(c.minibatchMean.map { $0.formatted(decimals: 3) } ?? "-", 5, right: true)
                + "  " + DisplayWidth.pad(c.devMean.map { $0.formatted(decimals: 4) } ?? "-", 6, right: true)
                + "  " + DisplayWidth.pad(c.devDelta.map { $0.signed(decimals: 4) } ?? "", 8, right: true)
                + "  " + DisplayWidth.pad(c.devP.map { $0.formatted(decimals: 3) } ?? "", 5, right: true)
                + " " + DisplayWidth.pad("\(c.calls)", 6, right: true)
            let selected = first + i == cursor
            grid.put(DisplayWidth.pad(DisplayWidth.clip(line, rect.width), rect.width), x: rect.x, y: rect.y + 1 + i,
                     style: selected ? .reverse : statusStyle(c.status), limit: rect.width)
        }
    }

    static func statusStyle(_ status: TuneCandidate.Status) -> Style {
        switch status {
        case .accepted: return .color(.green)
        case .discarded, .eliminated: return .dim
        case .rejected: return .color(.yellow)
        case .start, .proposed: return .plain
        }
    }

    /// The selected candidate: what it is, why it was made (the critique), and how it differs
    /// from its parent, line by line.
    static func detailLines(_ tune: TuneProgress, _ c: TuneCandidate?, metric: MetricName) -> [(String, Style)] {
        var lines: [(String, Style)] = []
        if let c {
            let from = c.parent.map { ", from #\($0)" } ?? ""
            lines.append(("#\(c.number) (round \(c.round)\(from)): \(c.status.rawValue)" + (c.note.map { ": \($0)" } ?? ""), .bold))
            if let p = c.devP, let d = c.devDelta {
                lines.append(("dev \(metric.heading) \(d.signed(decimals: 4)) vs its parent, p=\(p.formatted(decimals: 3))", QueriesPane.deltaStyle(d)))
            }
            if !c.critique.isEmpty {
                lines.append(("critique:", .dim))
                lines.append((c.critique, .plain))
            }
            if let parent = c.parent.flatMap({ tune.lineage[$0] }) {
                let diff = LineDiff(old: parent.text, new: c.text)
                lines.append(("diff against #\(parent.number): +\(diff.added) −\(diff.removed) lines (l loads #\(c.number) into the editor)", .dim))
                lines += hunks(diff)
            } else {
                lines.append(("the start prompt (l loads it into the editor):", .dim))
                lines.append((c.text, .plain))
            }
        }
        return lines
    }

    /// The one look at the test split, with the compare view's own lines.
    static func confirmationLines(_ c: TuneConfirmation) -> [(String, Style)] {
        [("Confirmation on the test split: start (A) vs #\(c.best) (B)", .bold)] + ModalView.comparisonLines([c.comparison])
    }

    /// The changed lines with one line of context around each change; longer unchanged runs
    /// are one "… N unchanged lines" row, so an edit to a long prompt is found at a glance.
    static func hunks(_ diff: LineDiff, context: Int = 1) -> [(String, Style)] {
        let changed = diff.lines.indices.filter { diff.lines[$0].kind != .same }
        var keep = Set<Int>()
        for i in changed { for j in max(0, i - context)...min(diff.lines.count - 1, i + context) { keep.insert(j) } }
        var out: [(String, Style)] = []
        var skipped = 0
        for (i, line) in diff.lines.enumerated() {
            guard keep.contains(i) else {
                skipped += 1
                continue
            }
            if skipped > 0 {
                out.append(("\u{00A0}\u{00A0}… \(skipped) unchanged line\(skipped == 1 ? "" : "s")", .dim))
                skipped = 0
            }
            switch line.kind {
            // No-break spaces: the wrapping would drop plain leading ones, and a context line
            // must not read as a removed one ("- 1.0 = ...").
            case .same: out.append(("\u{00A0}\u{00A0}" + line.text, .dim))
            case .added: out.append(("+ " + line.text, .color(.green)))
            case .removed: out.append(("- " + line.text, .color(.red)))
            }
        }
        if skipped > 0 { out.append(("\u{00A0}\u{00A0}… \(skipped) unchanged line\(skipped == 1 ? "" : "s")", .dim)) }
        return out
    }

    /// Lines wrapped to the width (data text made inert), from row `scroll` on; the last row
    /// says how many more there are (PgDn shows them).
    static func drawLines(_ grid: inout ScreenGrid, _ lines: [(String, Style)], scroll: Int, rect: Rect) {
        guard rect.width > 10, rect.height > 0 else { return }
        var rows: [(String, Style)] = []
        for (text, style) in lines {
            for part in ModalView.wrap(TerminalText.inert(text, layout: .lines), width: rect.width) { rows.append((part, style)) }
        }
        // Past the end the last page stays whole.
        let first = max(0, min(scroll, rows.count - rect.height))
        let visible = rows.dropFirst(first)
        let fits = visible.count <= rect.height ? rect.height : rect.height - 1
        for (i, row) in visible.prefix(fits).enumerated() {
            grid.put(DisplayWidth.clip(row.0, rect.width), x: rect.x, y: rect.y + i, style: row.1)
        }
        if visible.count > rect.height {
            grid.put("… \(visible.count - fits) more lines (PgDn)", x: rect.x, y: rect.y + fits, style: .dim, limit: rect.width)
        }
    }
}
