import RerankCore

/// Every query with first-stage and reranked NDCG@k and the delta; sortable and filterable.
enum QueriesPane {
    static func deltaStyle(_ d: Double?) -> Style {
        guard let d else { return .dim }
        if d > 1e-9 { return .color(.green) }
        if d < -1e-9 { return .color(.red) }
        return .dim
    }

    static func draw(_ grid: inout ScreenGrid, _ rect: Rect, _ state: WorkbenchState, focused: Bool) {
        let metric = state.settings.metrics.primaryMetric
        let list = state.visibleQueries
        let pending = state.metricsPending
        let total = state.report?.queries.count ?? state.measuring?.builder.dataset.queries.count ?? 0
        // Which split the listed queries (and so every number beside them) come from.
        let split = state.shownSplit.map { $0 == .all ? " dev+test" : " \($0.rawValue)" } ?? ""
        var title = "3 Queries\(split) \(list.count)/\(total)  sort: \(state.querySort.rawValue)"
        // A metric sort cannot order queries whose metrics are not measured yet: it says so.
        if state.sortWaitsForMetrics { title += " (once measured)" }
        if !state.filter.isEmpty || state.filtering { title += "  /\(state.filter)\(state.filtering ? "▏" : "")" }
        grid.box(rect, title: title, focused: focused)
        let inner = rect.inner
        guard inner.height > 1 else { return }
        guard state.report != nil || pending else {
            if let loading = state.loading {
                drawLoading(&grid, inner, loading, now: state.now)
            } else {
                grid.put("No dataset loaded. Press o to open one (Datasets/ has samples).", x: inner.x, y: inner.y, style: .dim, limit: inner.width)
            }
            return
        }
        let (top, rows) = window(state, inner: inner, count: list.count)
        // Measured on the rows shown: every frame walks only what it draws (a large file's
        // queries, or its results, walked in full every frame kept keys waiting).
        let shown = list.dropFirst(top).prefix(rows)
        let idWidth = max(6, min(12, shown.map { DisplayWidth.of($0.queryID) }.max() ?? 6))
        let header = DisplayWidth.pad("query", idWidth) + "  " + DisplayWidth.pad("first", 6, right: true) + "  " + DisplayWidth.pad("rerank", 6, right: true) + "  " + DisplayWidth.pad("Δ \(metric.heading)", 9, right: true) + "  " + DisplayWidth.pad("ceil", 5, right: true) + "  text"
        grid.put(DisplayWidth.clip(header, inner.width), x: inner.x, y: inner.y, style: .dim)
        let showsHeadroom = inner.height >= 5
        let cursor = min(state.queryCursor, max(0, list.count - 1))
        for (i, q) in shown.enumerated() {
            let y = inner.y + 1 + i
            let selected = top + i == cursor
            if selected { grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: focused ? .reverse : Style(bold: true)) }
            let base: Style = selected ? (focused ? .reverse : .bold) : .plain
            var x = inner.x
            x += grid.put(DisplayWidth.pad(q.queryID, idWidth), x: x, y: y, style: base) + 2
            // While the metrics are measured every metric cell says so ("…"), never "n/a" or 0.
            x += grid.put(DisplayWidth.pad(pending ? "…" : q.baseline[metric].map { $0.formatted(decimals: 3) } ?? "n/a", 6, right: true), x: x, y: y, style: pending ? .dim : base) + 2
            let hasScores = isScored(q)
            let rerank = hasScores ? q.reranked[metric].map { $0.formatted(decimals: 3) } ?? "n/a" : (pending && !state.results.isEmpty ? "…" : "·")
            x += grid.put(DisplayWidth.pad(rerank, 6, right: true), x: x, y: y, style: base) + 2
            let d = hasScores ? q.delta(metric) : nil
            var ds = deltaStyle(d)
            if selected && focused { ds.reverse = true }
            x += grid.put(DisplayWidth.pad(d.map { $0.signed(decimals: 3) } ?? "", 9, right: true), x: x, y: y, style: ds) + 2
            x += grid.put(DisplayWidth.pad(pending ? "…" : q.ceiling?[metric].map { $0.formatted(decimals: 2) } ?? "", 5, right: true), x: x, y: y, style: selected ? base : .dim) + 2
            grid.put(DisplayWidth.clip((q.nothingToRerank ? "∅ " : "") + q.query, max(0, inner.right - x)), x: x, y: y, style: base)
        }
        if showsHeadroom, list.indices.contains(cursor) {
            let line = pending ? "\(list[cursor].queryID): first-stage metrics being measured (\(Int(max(0, state.now - (state.measuring?.startedAt ?? state.now)))) s so far)"
                : headroom(list[cursor], metric: metric, scored: isScored(list[cursor]))
            grid.put(DisplayWidth.clip(line, inner.width), x: inner.x, y: inner.bottom - 1, style: .dim)
        }
    }

    /// The first screen of a file still being read: what, how long so far, and what works now.
    static func drawLoading(_ grid: inout ScreenGrid, _ inner: Rect, _ loading: DatasetLoading, now: Double) {
        let what = loading.describe(now: now)
        let lines: [(String, Style)] = [
            (what.prefix(1).uppercased() + what.dropFirst(), .bold),
            ("Its queries appear here once it is read.", .dim),
            ("Meanwhile: 1 edits the prompt, 2 the settings, ? shows the keys, q quits.", .dim),
        ].flatMap { text, style in ModalView.wrap(text, width: inner.width).map { ($0, style) } }
        for (i, line) in lines.prefix(inner.height).enumerated() {
            grid.put(line.0, x: inner.x, y: inner.y + i, style: line.1, limit: inner.width)
        }
    }

    /// Whether any call of the query has come back (scored, or failed).
    static func isScored(_ q: QueryReport) -> Bool {
        q.candidates.contains { $0.score != nil || $0.failed }
    }

    /// The first query shown and how many rows show queries (under the header; the last row
    /// tells the selected query's headroom when there is room for it). The mouse reads it too.
    static func window(_ state: WorkbenchState, inner: Rect, count: Int) -> (top: Int, rows: Int) {
        let rows = inner.height - 1 - (inner.height >= 5 ? 1 : 0)
        let cursor = min(state.queryCursor, max(0, count - 1))
        var top = state.queryTop
        if cursor < top { top = cursor }
        if cursor >= top + rows { top = cursor - rows + 1 }
        return (max(0, min(top, max(0, count - rows))), rows)
    }

    /// The selected query's ceiling, captured share and pool recall, in words.
    static func headroom(_ q: QueryReport, metric: MetricName, scored: Bool) -> String {
        if q.nothingToRerank { return "\(q.queryID): ∅ nothing to rerank (no relevant candidate in the pool)" }
        var text = "\(q.queryID): ceiling \(q.ceiling?[metric].map { $0.formatted(decimals: 3) } ?? "n/a")"
        if scored { text += " · captured " + (q.capturedShare(metric).map { ($0 * 100).formatted(decimals: 0) + "%" } ?? "n/a (no headroom)") }
        if let inside = q.relevantInPool, let outside = q.relevantOutsidePool {
            text += " · pool R \(q.poolRecall.map { $0.formatted(decimals: 2) } ?? "n/a") (\(inside)/\(inside + outside) relevant)"
        }
        return text
    }
}
