import RerankCore

/// The selected query's candidates in reranked order: rank, first-stage rank -> new rank with
/// the move coloured, score (± spread), label, parse outcome, memory text.
enum ResultsPane {
    static func outcomeTag(_ c: CandidateOutcome) -> (String, Style) {
        if c.failed && c.score == nil { return ("FAILED", .color(.red, bold: true)) }
        if c.failed { return ("fail→0.5", .color(.red)) }
        if c.truncated { return ("cut", .color(.yellow, bold: true)) }
        switch c.outcome {
        case .some(.fallback): return (ParseOutcome.fallback.label, .color(.yellow))
        case .some(.empty): return (ParseOutcome.empty.label, .color(.yellow))
        case .some(.clamped): return (ParseOutcome.clamped.label, .color(.magenta))
        case .some(.parsed): return ("", .plain)
        case .none: return ("·", .dim)
        }
    }

    /// One candidate's cells, before columns are sized.
    struct Row {
        var rank: String, id: String, move: String, change: Int?, score: String, label: String, labelValue: Int?, tag: (String, Style), dimmed: Bool
    }

    static func row(_ c: CandidateOutcome, edited: Bool = false) -> Row {
        var move = "\(c.baselineRank)→cut"
        if let change = c.rankChange, let newRank = c.newRank {
            move = "\(c.baselineRank)→\(newRank) \(change > 0 ? "↑" : (change < 0 ? "↓" : "="))\(change == 0 ? "" : String(abs(change)))"
        }
        var score = c.score.map { $0.formatted(decimals: 3) } ?? "  -  "
        if let spread = c.spread, spread > 0 { score += "±\(spread.formatted(decimals: 2))" }
        return Row(rank: c.newRank.map(String.init) ?? "-", id: c.id, move: move, change: c.newRank == nil ? nil : c.rankChange,
                   score: score, label: (c.label.map(String.init) ?? "?") + (edited ? "*" : ""), labelValue: c.label, tag: outcomeTag(c), dimmed: c.newRank == nil)
    }

    /// The first candidate shown: the list scrolls just enough to keep the cursor in view.
    static func firstShown(cursor: Int, visible: Int, count: Int) -> Int {
        max(0, min(cursor - visible + 1 > 0 ? cursor - visible + 1 : 0, max(0, count - visible)))
    }

    static func draw(_ grid: inout ScreenGrid, _ rect: Rect, _ state: WorkbenchState, focused: Bool) {
        let q = state.selectedQuery
        // Unsaved label edits are named first, where a clipped title still shows them.
        let unsaved = state.labels.unsaved
        let edits = unsaved.isEmpty ? "" : " · \(unsaved.count) label edit\(unsaved.count == 1 ? "" : "s") unsaved (S)"
        grid.box(rect, title: "4 Results" + edits + (q.map { ": \($0.queryID) \($0.query)" } ?? ""), focused: focused)
        let inner = rect.inner
        guard let q, inner.height > 1 else { return }
        let textByID = state.datasetIndex.texts(q.queryID)
        // Each column as wide as its widest cell in this query (flags are never cut), so the
        // memory text gets all the room that is left; sized over the whole query, not the rows
        // in view, so columns do not shift while scrolling.
        let rows = q.candidates.map { row($0, edited: unsaved.keys.contains(LabelKey(queryID: q.queryID, memoryID: $0.id))) }
        func width(_ header: String, _ cell: (Row) -> String, atMost: Int = .max) -> Int {
            min(atMost, max(DisplayWidth.of(header), rows.map { DisplayWidth.of(cell($0)) }.max() ?? 0))
        }
        let w = (rank: width("#", \.rank), id: width("id", \.id, atMost: 8), move: width("move", \.move), score: width("score", \.score),
                 label: width("lab", \.label), flag: width("flag", \.tag.0))
        let gap = "  "
        let header = DisplayWidth.pad("#", w.rank, right: true) + gap + DisplayWidth.pad("id", w.id) + gap + DisplayWidth.pad("move", w.move) + gap
            + DisplayWidth.pad("score", w.score) + gap + DisplayWidth.pad("lab", w.label, right: true) + gap + DisplayWidth.pad("flag", w.flag) + gap + "memory"
        grid.put(DisplayWidth.clip(header, inner.width), x: inner.x, y: inner.y, style: .dim)
        let visible = inner.height - 1
        let cursor = min(state.resultCursor, max(0, q.candidates.count - 1))
        let top = firstShown(cursor: cursor, visible: visible, count: q.candidates.count)
        for (i, (c, r)) in zip(q.candidates, rows).dropFirst(top).prefix(visible).enumerated() {
            let y = inner.y + 1 + i
            let selected = focused && top + i == cursor
            if selected { grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: .reverse) }
            let base: Style = selected ? .reverse : (r.dimmed ? .dim : .plain)
            var x = inner.x
            func cell(_ text: String, _ columns: Int, right: Bool = false, style: Style) {
                x += grid.put(DisplayWidth.pad(text, columns, right: right) + gap, x: x, y: y, style: style, limit: max(0, inner.right - x))
            }
            cell(r.rank, w.rank, right: true, style: base)
            cell(r.id, w.id, style: base)
            var moveStyle = base
            if !selected, let change = r.change { moveStyle = change > 0 ? .color(.green) : (change < 0 ? .color(.red) : .dim) }
            cell(r.move, w.move, style: moveStyle)
            cell(r.score, w.score, style: base)
            // An edited label is yellow (with its *) until it is saved.
            let labelStyle: Style = selected ? base : r.label.hasSuffix("*") ? .color(.yellow, bold: true) : (r.labelValue ?? 0 >= 2 ? .color(.green, bold: true) : (r.labelValue ?? 0 >= 1 ? .color(.green) : .dim))
            cell(r.label, w.label, right: true, style: labelStyle)
            cell(r.tag.0, w.flag, style: selected ? base : r.tag.1)
            grid.put(DisplayWidth.clip(textByID[c.id] ?? "", max(0, inner.right - x)), x: x, y: y, style: base)
        }
    }
}
