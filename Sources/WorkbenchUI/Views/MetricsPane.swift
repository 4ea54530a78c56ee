import RerankCore

/// Mean metrics for first stage, reranked and delta; a histogram of scores by label (do the
/// scores separate relevant from irrelevant?); failures and cost.
enum MetricsPane {
    static func draw(_ grid: inout ScreenGrid, _ rect: Rect, _ state: WorkbenchState, focused: Bool) {
        // A partial run's means are labelled as such, with how many pairs they cover.
        // The split every number here comes from, first: it is what makes dev and test differ.
        let split = state.shownSplit.map { " · " + ($0 == .all ? "dev+test" : $0.rawValue) } ?? ""
        grid.box(rect, title: "5 Metrics" + split + (state.providerIsBaseline ? " (lexical baseline)" : "") + (state.partialLabel.map { " " + $0 } ?? ""), focused: focused)
        let inner = rect.inner
        if state.metricsPending, let measuring = state.measuring, inner.height > 1 {
            drawMeasuring(&grid, inner, measuring, state: state)
            return
        }
        guard let report = state.report, inner.height > 1 else { return }
        let s = state.settings.metrics
        var names: [MetricName] = [s.primaryMetric, .ndcg, .map, .mrr]
        // P and R at the same cutoff as the headline NDCG (MetricSettings.primaryCutoff).
        if let k = s.primaryCutoff { names += [.precisionAt(k), .recallAt(k)] }
        names.append(.kendallTau)
        // The ceiling column: the best any reordering of the candidates reaches.
        let tableWidth = min(inner.width, 42)
        grid.put(DisplayWidth.pad("", 8) + DisplayWidth.pad("first", 8, right: true) + DisplayWidth.pad("rerank", 8, right: true) + DisplayWidth.pad("Δ", 9, right: true) + DisplayWidth.pad("ceil", 8, right: true), x: inner.x, y: inner.y, style: .dim, limit: tableWidth)
        let scored = !state.results.isEmpty
        // Rows: the table, the headroom line when there is a row for it (else it joins the
        // calls line), and the calls line at the bottom.
        // From the second look at the test split its warning always has a row: above the last
        // table rows if need be, since it says whether the numbers can be trusted at all.
        let warning = state.testLookWarning
        let tableRows = max(0, min(names.count, inner.height - 2 - (warning != nil ? 1 : 0)))
        let headroomRow = inner.height - 2 > tableRows
        for (i, name) in names.prefix(tableRows).enumerated() {
            let y = inner.y + 1 + i
            let b = report.baselineMean[name], r = scored ? report.rerankedMean[name] : nil
            let d = (b != nil && r != nil) ? r! - b! : nil
            var x = inner.x
            x += grid.put(DisplayWidth.pad(name.heading, 8), x: x, y: y, style: .bold, limit: tableWidth)
            x += grid.put(DisplayWidth.pad(b.map { $0.formatted(decimals: 4) } ?? "n/a", 8, right: true), x: x, y: y, limit: max(0, inner.x + tableWidth - x))
            x += grid.put(DisplayWidth.pad(r.map { $0.formatted(decimals: 4) } ?? "·", 8, right: true), x: x, y: y, limit: max(0, inner.x + tableWidth - x))
            x += grid.put(DisplayWidth.pad(d.map { $0.signed(decimals: 4) } ?? "", 9, right: true), x: x, y: y, style: QueriesPane.deltaStyle(d), limit: max(0, inner.x + tableWidth - x))
            let ceiling = name.isAgreement ? nil : report.ceilingMean?[name]
            grid.put(DisplayWidth.pad(ceiling.map { $0.formatted(decimals: 4) } ?? "", 8, right: true), x: x, y: y, style: .dim, limit: max(0, inner.x + tableWidth - x))
        }
        if headroomRow {
            if let warning {
                grid.put(DisplayWidth.clip("⚠ " + warning, inner.width), x: inner.x, y: inner.y + 1 + tableRows, style: .color(.yellow, bold: true))
            } else {
                grid.put(DisplayWidth.clip(headroomLine(report, state: state), inner.width), x: inner.x, y: inner.y + 1 + tableRows, style: .dim)
            }
        }
        let c = report.counts
        var summary = "calls \(c.ok)/\(c.planned)"
        if c.failed > 0 { summary += "  failed \(c.failed)" }
        if c.fallback > 0 { summary += "  \(ParseOutcome.fallback.label) \(c.fallback)" }
        if c.empty > 0 { summary += "  \(ParseOutcome.empty.label) \(c.empty)" }
        if c.clamped > 0 { summary += "  clamped \(c.clamped)" }
        if c.truncated > 0 { summary += "  cut \(c.truncated)" }
        if let cost = report.cost { summary += "  $\(cost.formatted(decimals: 4))" }
        if !headroomRow || warning != nil { summary += " · " + headroomLine(report, state: state) }
        grid.put(DisplayWidth.clip(summary, inner.width), x: inner.x, y: inner.bottom - 1, style: c.failed > 0 ? .color(.red) : .dim)
        // Histogram to the right of the table when there is room.
        let hx = inner.x + tableWidth + 2
        let hw = inner.right - hx
        guard hw >= 20, scored else { return }
        drawHistogram(&grid, Rect(x: hx, y: inner.y, width: hw, height: inner.height - 2), state.scoresByLabel)
    }

    /// The queries are listed but their metrics not yet measured: what is being measured and
    /// for how long so far, in place of any number (none is shown until it is measured).
    static func drawMeasuring(_ grid: inout ScreenGrid, _ inner: Rect, _ measuring: MetricsMeasuring, state: WorkbenchState) {
        let what = measuring.describe(now: state.now)
        var lines: [(String, Style)] = [
            (what.prefix(1).uppercased() + what.dropFirst() + ".", .bold),
            ("Every mean, ceiling and count shows here once measured; the queries and their memories can be read meanwhile.", .dim),
        ]
        if let run = state.run {
            lines.append(("The run's \(run.done)/\(run.total) answered calls are kept and scored into them when they arrive.", .plain))
        } else if !state.results.isEmpty {
            lines.append(("The run's \(state.results.count) results are kept and scored into them when they arrive.", .plain))
        }
        let wrapped = lines.flatMap { text, style in ModalView.wrap(text, width: inner.width).map { ($0, style) } }
        for (i, line) in wrapped.prefix(inner.height).enumerated() {
            grid.put(line.0, x: inner.x, y: inner.y + i, style: line.1, limit: inner.width)
        }
    }

    /// How much of the pool's headroom the reranker took, and how much the pool can hold at all.
    static func headroomLine(_ report: RunReport, state: WorkbenchState) -> String {
        let primary = state.settings.metrics.primaryMetric
        var parts: [String] = []
        if !state.results.isEmpty {
            parts.append("captured " + (report.capturedShare(primary).map { ($0 * 100).formatted(decimals: 0) + "%" } ?? "n/a") + " of headroom")
        }
        parts.append("pool R " + (report.poolRecallMean.map { $0.formatted(decimals: 2) } ?? "n/a"))
        let nothing = report.nothingToRerankCount
        if nothing > 0 { parts.append("\(nothing) ∅ nothing to rerank") }
        if state.settings.metrics.judged == .pool { parts.append("judged: pool only") }
        return parts.joined(separator: " · ")
    }

    /// Score distribution per label over 0..1, one row per label: the label, a sparkline and
    /// the mean. The rows take the widest form that fits them all: fewer words and bins before a
    /// cut number, so the mean, what a reader compares, is always whole.
    static func drawHistogram(_ grid: inout ScreenGrid, _ rect: Rect, _ scores: ScoresByLabel) {
        grid.put(DisplayWidth.clip(rect.width >= 40 ? "scores by label, 0 to 1" : "scores by label", rect.width), x: rect.x, y: rect.y, style: .dim)
        let shown = Array(scores.byLabel.prefix(max(0, rect.height - 1)))
        for (i, row) in histogramRows(shown, width: rect.width).enumerated() {
            let y = rect.y + 1 + i
            var x = rect.x
            x += grid.put(row.label, x: x, y: y, style: .bold, limit: rect.right - x)
            x += grid.put(row.spark, x: x, y: y, style: shown[i].label >= 1 ? .color(.green) : .color(.red), limit: rect.right - x)
            grid.put(row.tail, x: x, y: y, style: .dim, limit: rect.right - x)
        }
    }

    /// The rows of labels and their scores, all in the widest form that fits `width` columns.
    static func histogramRows(_ labels: [(label: Int, row: ScoresByLabel.Row)], width: Int) -> [(label: String, spark: String, tail: String)] {
        let forms = labels.map { label, scores in
            let m = scores.mean.formatted(decimals: 2)
            let n = scores.count
            return [("label \(label) ", 10, " mean \(m) n=\(n)"), ("\(label) ", 10, " mean \(m) n=\(n)"), ("\(label) ", 10, " μ\(m) n=\(n)"),
                    ("\(label) ", 5, " μ\(m) n=\(n)"), ("\(label) ", 10, " μ\(m)"), ("\(label) ", 5, " μ\(m)")]
        }
        func fits(_ form: (String, Int, String)) -> Bool { DisplayWidth.of(form.0) + form.1 + 2 + DisplayWidth.of(form.2) <= width }
        let count = forms.first?.count ?? 0
        guard count > 0 else { return [] }
        let chosen = (0..<count).first { i in forms.allSatisfy { fits($0[i]) } } ?? count - 1
        return zip(labels, forms).map { entry, form in
            (form[chosen].0, "│" + sparkline(entry.row.bins(form[chosen].1)) + "│", form[chosen].2)
        }
    }

    static func sparkline(_ bins: [Int]) -> String {
        let bars = Array(" ▁▂▃▄▅▆▇█")
        let maxBin = max(1, bins.max() ?? 0)
        return String(bins.map { bars[$0 == 0 ? 0 : max(1, $0 * 8 / maxBin)] })
    }
}
