import RerankCore

/// The Diff view: A and B query by query. Left, the queries by change in the primary metric
/// (largest loss first); right, the selected query's memories in B's order with their label,
/// rank and score in A and in B, and the move. A move is green when it helps the ranking (a
/// relevant memory up, an irrelevant one down) and red when it hurts.
enum DiffView {
    static func draw(_ grid: inout ScreenGrid, _ state: WorkbenchState, selection: Int, worseOnly: Bool) {
        // Two lists side by side need the whole screen.
        let r = ModalView.frame(&grid, state, title: "Diff: A (pinned) vs B (current), query by query", width: state.width - 2, height: state.height - 3)
        guard let diff = state.diff, r.height >= 8 else { return }
        let list = worseOnly ? diff.worse : diff.queries
        let x0 = r.x + 1
        let width = r.width - 2
        grid.put(DisplayWidth.clip("A: \(state.pinnedLabel)", width), x: x0, y: r.y, style: .bold)
        grid.put(DisplayWidth.clip("B: \(state.compareLabelB)", width), x: x0, y: r.y + 1, style: .bold)
        let filter = worseOnly ? "worse only: \(list.count) of \(diff.queries.count) queries (w: all)"
                               : "all \(diff.queries.count) queries, \(diff.worse.count) worse (w: worse only)"
        let split = state.report?.settings.split.map { " · \($0.description)" } ?? ""
        grid.put(DisplayWidth.clip("\(diff.metric.heading) by query, largest loss first · \(filter)\(split)", width), x: x0, y: r.y + 2, style: .dim)

        let top = r.y + 5
        let rows = r.bottom - top
        let leftWidth = min(28, width / 2)
        let idWidth = max(5, min(8, list.map { DisplayWidth.of($0.queryID) }.max() ?? 4))
        grid.put(DisplayWidth.clip(DisplayWidth.pad("query", idWidth) + "     A      B      Δ", leftWidth), x: x0, y: top - 1, style: .dim)
        guard !list.isEmpty else {
            grid.put("no query got worse", x: x0, y: top, style: .dim)
            return
        }
        let cursor = min(selection, list.count - 1)
        let first = max(0, min(cursor - rows / 2, list.count - rows))
        for (i, q) in list.dropFirst(first).prefix(rows).enumerated() {
            let y = top + i
            let line = DisplayWidth.pad(q.queryID, idWidth) + " " + DisplayWidth.pad(q.a.formatted(decimals: 3), 5, right: true)
                + "  " + DisplayWidth.pad(q.b.formatted(decimals: 3), 5, right: true) + " " + DisplayWidth.pad(q.delta.signed(decimals: 3), 6, right: true)
            let selected = first + i == cursor
            grid.put(DisplayWidth.pad(DisplayWidth.clip(line, leftWidth), leftWidth), x: x0, y: y,
                     style: selected ? .reverse : QueriesPane.deltaStyle(q.delta), limit: leftWidth)
        }

        // The selected query's memories, side by side.
        let q = list[cursor]
        let rx = x0 + leftWidth + 2
        let rw = r.right - 1 - rx
        guard rw > 20 else { return }
        grid.put(DisplayWidth.clip("\(q.queryID): \(q.query)", rw), x: rx, y: top - 2, style: .bold)
        let header = "memory  lab   A#  A score   B#  B score  move"
        grid.put(DisplayWidth.clip(header, rw), x: rx, y: top - 1, style: .dim)
        let texts = state.datasetIndex.texts(q.queryID)
        // When the memories do not fit, the last row says how many more there are.
        let fits = q.rows.count <= rows ? rows : rows - 1
        for (i, row) in q.rows.prefix(fits).enumerated() {
            let y = top + i
            var x = rx
            let cells = DisplayWidth.pad(DisplayWidth.clip(row.candidateID, 6), 6) + "  " + DisplayWidth.pad(row.label.map(String.init) ?? "?", 3, right: true)
                + "  " + DisplayWidth.pad(row.rankA.map(String.init) ?? "cut", 3, right: true) + "  " + DisplayWidth.pad(row.scoreA.map { $0.formatted(decimals: 3) } ?? "-", 7, right: true)
                + "  " + DisplayWidth.pad(row.rankB.map(String.init) ?? "cut", 3, right: true) + "  " + DisplayWidth.pad(row.scoreB.map { $0.formatted(decimals: 3) } ?? "-", 7, right: true) + "  "
            x += grid.put(cells, x: x, y: y, limit: max(0, rx + rw - x))
            x += grid.put(DisplayWidth.pad(row.moveMark, 5), x: x, y: y, style: moveStyle(row), limit: max(0, rx + rw - x))
            if let text = texts[row.candidateID], rx + rw - x > 8 {
                grid.put(DisplayWidth.clip(TerminalText.inert(text, layout: .row), rx + rw - x - 1), x: x + 1, y: y, style: .dim)
            }
        }
        if q.rows.count > rows {
            grid.put("… \(q.rows.count - fits) more memories", x: rx, y: top + fits, style: .dim, limit: rw)
        }
    }

    /// Green when the move helps the ranking, red when it hurts, plain when nothing moved.
    static func moveStyle(_ row: RunDiff.Row) -> Style {
        guard let move = row.move, move != 0, let label = row.label else { return .dim }
        let helps = (label >= 1) == (move > 0)
        return .color(helps ? .green : .red)
    }
}
