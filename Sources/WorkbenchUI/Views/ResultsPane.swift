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

    static func draw(_ grid: inout ScreenGrid, _ rect: Rect, _ state: WorkbenchState, focused: Bool) {
        let q = state.selectedQuery
        grid.box(rect, title: "4 Results" + (q.map { ": \($0.queryID) \($0.query)" } ?? ""), focused: focused)
        let inner = rect.inner
        guard let q, inner.height > 1 else { return }
        let textByID = Dictionary(state.dataset?.queries.first { $0.id == q.queryID }?.candidates.map { ($0.id, $0.text) } ?? [], uniquingKeysWith: { a, _ in a })
        let idWidth = max(3, min(8, q.candidates.map { DisplayWidth.of($0.id) }.max() ?? 3))
        let header = " #  " + DisplayWidth.pad("id", idWidth) + "  move        score    lab  flag     memory"
        grid.put(DisplayWidth.clip(header, inner.width), x: inner.x, y: inner.y, style: .dim)
        let rows = inner.height - 1
        let cursor = min(state.resultCursor, max(0, q.candidates.count - 1))
        let top = max(0, min(cursor - rows + 1 > 0 ? cursor - rows + 1 : 0, max(0, q.candidates.count - rows)))
        for (i, c) in q.candidates.dropFirst(top).prefix(rows).enumerated() {
            let y = inner.y + 1 + i
            let selected = focused && top + i == cursor
            if selected { grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: .reverse) }
            let base: Style = selected ? .reverse : (c.newRank == nil ? .dim : .plain)
            var x = inner.x
            x += grid.put(DisplayWidth.pad(c.newRank.map(String.init) ?? "-", 2, right: true) + "  ", x: x, y: y, style: base)
            x += grid.put(DisplayWidth.pad(c.id, idWidth) + "  ", x: x, y: y, style: base)
            let move: String
            var moveStyle = base
            if let change = c.rankChange, let newRank = c.newRank {
                let arrow = change > 0 ? "↑" : (change < 0 ? "↓" : "=")
                move = "\(c.baselineRank)→\(newRank) \(arrow)\(change == 0 ? "" : String(abs(change)))"
                if !selected { moveStyle = change > 0 ? .color(.green) : (change < 0 ? .color(.red) : .dim) }
            } else {
                move = "\(c.baselineRank)→cut"
            }
            x += grid.put(DisplayWidth.pad(move, 10) + "  ", x: x, y: y, style: moveStyle)
            var score = c.score.map { $0.formatted(decimals: 3) } ?? "  -  "
            if let spread = c.spread, spread > 0 { score += "±\(spread.formatted(decimals: 2))" }
            x += grid.put(DisplayWidth.pad(score, 7) + "  ", x: x, y: y, style: base)
            let label = c.label.map(String.init) ?? "?"
            let labelStyle: Style = selected ? base : (c.label ?? 0 >= 2 ? .color(.green, bold: true) : (c.label ?? 0 >= 1 ? .color(.green) : .dim))
            x += grid.put(DisplayWidth.pad(label, 3, right: true) + "  ", x: x, y: y, style: labelStyle)
            let (tag, tagStyle) = outcomeTag(c)
            x += grid.put(DisplayWidth.pad(tag, 7) + "  ", x: x, y: y, style: selected ? base : tagStyle)
            grid.put(DisplayWidth.clip(textByID[c.id] ?? "", max(0, inner.right - x)), x: x, y: y, style: base)
        }
    }
}
