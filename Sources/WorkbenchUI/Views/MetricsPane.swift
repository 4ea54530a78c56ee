import RerankKit

/// Mean metrics for first stage, reranked and delta; a histogram of scores by label (do the
/// scores separate relevant from irrelevant?); failures and cost.
enum MetricsPane {
    static func draw(_ grid: inout ScreenGrid, _ rect: Rect, _ state: WorkbenchState, focused: Bool) {
        grid.box(rect, title: "5 Metrics" + (state.providerIsBaseline ? " (lexical baseline)" : ""), focused: focused)
        let inner = rect.inner
        guard let report = state.report, inner.height > 1 else { return }
        let s = state.settings.metrics
        var names: [MetricName] = [s.primaryMetric, .ndcg, .map, .mrr]
        if let k = s.cutoffs.first { names += [.precisionAt(k), .recallAt(k)] }
        names.append(.kendallTau)
        let tableWidth = min(inner.width, 34)
        grid.put(DisplayWidth.pad("", 8) + DisplayWidth.pad("first", 8, right: true) + DisplayWidth.pad("rerank", 8, right: true) + DisplayWidth.pad("Δ", 9, right: true), x: inner.x, y: inner.y, style: .dim, limit: tableWidth)
        let scored = !state.results.isEmpty
        for (i, name) in names.prefix(inner.height - 2).enumerated() {
            let y = inner.y + 1 + i
            let b = report.baselineMean[name], r = scored ? report.rerankedMean[name] : nil
            let d = (b != nil && r != nil) ? r! - b! : nil
            var x = inner.x
            x += grid.put(DisplayWidth.pad(name.heading, 8), x: x, y: y, style: .bold, limit: tableWidth)
            x += grid.put(DisplayWidth.pad(b.map { $0.formatted(decimals: 4) } ?? "n/a", 8, right: true), x: x, y: y, limit: max(0, inner.x + tableWidth - x))
            x += grid.put(DisplayWidth.pad(r.map { $0.formatted(decimals: 4) } ?? "·", 8, right: true), x: x, y: y, limit: max(0, inner.x + tableWidth - x))
            grid.put(DisplayWidth.pad(d.map { $0.signed(decimals: 4) } ?? "", 9, right: true), x: x, y: y, style: QueriesPane.deltaStyle(d), limit: max(0, inner.x + tableWidth - x))
        }
        let c = report.counts
        var summary = "calls \(c.ok)/\(c.planned)"
        if c.failed > 0 { summary += "  failed \(c.failed)" }
        if c.fallback + c.empty > 0 { summary += "  0.5-fallback \(c.fallback + c.empty)" }
        if c.clamped > 0 { summary += "  clamped \(c.clamped)" }
        if c.truncated > 0 { summary += "  cut \(c.truncated)" }
        if let cost = report.cost { summary += "  $\(cost.formatted(decimals: 4))" }
        grid.put(DisplayWidth.clip(summary, inner.width), x: inner.x, y: inner.bottom - 1, style: c.failed > 0 ? .color(.red) : .dim)
        // Histogram to the right of the table when there is room.
        let hx = inner.x + tableWidth + 2
        let hw = inner.right - hx
        guard hw >= 24, scored else { return }
        drawHistogram(&grid, Rect(x: hx, y: inner.y, width: hw, height: inner.height - 1), report)
    }

    /// Score distribution per label in 5 bins over 0..1, one row per label.
    static func drawHistogram(_ grid: inout ScreenGrid, _ rect: Rect, _ report: RunReport) {
        var byLabel: [Int: [Double]] = [:]
        for q in report.queries {
            for c in q.candidates {
                guard let score = c.score, let label = c.label else { continue }
                byLabel[label, default: []].append(score)
            }
        }
        grid.put(DisplayWidth.clip("scores by label, 0 to 1", rect.width), x: rect.x, y: rect.y, style: .dim)
        let bars = Array(" ▁▂▃▄▅▆▇█")
        for (i, label) in byLabel.keys.sorted(by: >).prefix(rect.height - 1).enumerated() {
            let scores = byLabel[label]!
            var bins = [Int](repeating: 0, count: 10)
            for s in scores { bins[min(9, max(0, Int(s * 10)))] += 1 }
            let maxBin = max(1, bins.max()!)
            let spark = String(bins.map { bars[$0 == 0 ? 0 : max(1, $0 * 8 / maxBin)] })
            let mean = scores.reduce(0, +) / Double(scores.count)
            let y = rect.y + 1 + i
            var x = rect.x
            x += grid.put("label \(label) ", x: x, y: y, style: .bold)
            x += grid.put("│" + spark + "│", x: x, y: y, style: label >= 1 ? .color(.green) : .color(.red))
            grid.put(DisplayWidth.clip(" mean \(mean.formatted(decimals: 2)) n=\(scores.count)", max(0, rect.right - x)), x: x, y: y, style: .dim)
        }
    }
}
