import RerankCore

/// Draws the whole screen for a state. Pure: same state, same grid.
public enum WorkbenchView {
    public static let minimumWidth = 60
    public static let minimumHeight = 16

    /// The pane rectangles for a screen size. Two columns from 100 columns up; below that one
    /// column where the focused pane takes the main area.
    public static func layout(width: Int, height: Int, focus: Focus) -> [Focus: Rect] {
        let top = 1
        let bodyHeight = height - 3  // title, status, key bar
        if width >= 100 {
            let leftWidth = width * 9 / 20
            let promptHeight = bodyHeight * 11 / 20
            let rightWidth = width - leftWidth
            let queriesHeight = bodyHeight * 7 / 20
            let metricsHeight = min(14, max(8, bodyHeight * 6 / 20))
            let resultsHeight = bodyHeight - queriesHeight - metricsHeight
            return [
                .prompt: Rect(x: 0, y: top, width: leftWidth, height: promptHeight),
                .settings: Rect(x: 0, y: top + promptHeight, width: leftWidth, height: bodyHeight - promptHeight),
                .queries: Rect(x: leftWidth, y: top, width: rightWidth, height: queriesHeight),
                .results: Rect(x: leftWidth, y: top + queriesHeight, width: rightWidth, height: resultsHeight),
                .metrics: Rect(x: leftWidth, y: top + queriesHeight + resultsHeight, width: rightWidth, height: metricsHeight),
            ]
        }
        // One column: a tab strip, then the focused pane.
        return [focus: Rect(x: 0, y: top + 1, width: width, height: bodyHeight - 1)]
    }

    public static func render(_ state: WorkbenchState) -> ScreenGrid {
        var grid = ScreenGrid(width: state.width, height: state.height)
        guard state.width >= minimumWidth, state.height >= minimumHeight else {
            let lines = ["Terminal too small", "need \(minimumWidth)x\(minimumHeight), have \(state.width)x\(state.height)", "enlarge the window, or q to quit"]
            for (i, line) in lines.enumerated() {
                let y = state.height / 2 - 1 + i
                grid.put(DisplayWidth.clip(line, state.width), x: max(0, (state.width - DisplayWidth.of(line)) / 2), y: y, style: i == 0 ? .bold : .plain)
            }
            return finish(grid, state)
        }
        drawTitle(&grid, state)
        let rects = layout(width: state.width, height: state.height, focus: state.focus)
        if state.width < 100 { drawTabs(&grid, state) }
        for (pane, rect) in rects {
            let focused = pane == state.focus && state.modals.isEmpty
            switch pane {
            case .prompt: PromptPane.draw(&grid, rect, state, focused: focused)
            case .settings: SettingsPane.draw(&grid, rect, state, focused: focused)
            case .queries: QueriesPane.draw(&grid, rect, state, focused: focused)
            case .results: ResultsPane.draw(&grid, rect, state, focused: focused)
            case .metrics: MetricsPane.draw(&grid, rect, state, focused: focused)
            }
        }
        drawStatus(&grid, state)
        drawKeyBar(&grid, state)
        if let modal = state.modals.last { ModalView.draw(&grid, modal, state) }
        return finish(grid, state)
    }

    /// The last pass over the screen: monochrome (NO_COLOR, TERM=dumb) drops every colour and
    /// wins over the theme; otherwise the theme repaints the roles in its colours.
    static func finish(_ grid: ScreenGrid, _ state: WorkbenchState) -> ScreenGrid {
        guard state.monochrome else { return state.theme.apply(to: grid) }
        var g = grid
        for y in 0..<g.height { for x in 0..<g.width { g[x, y].style = g[x, y].style.monochrome } }
        return g
    }

    static func drawTitle(_ grid: inout ScreenGrid, _ state: WorkbenchState) {
        grid.fill(Rect(x: 0, y: 0, width: state.width, height: 1), style: .reverse)
        var title = " RerankBench"
        if let d = state.dataset {
            let shown = state.shownSplit.flatMap { $0 == .all ? nil : "\(state.shownDataset?.queries.count ?? 0) \($0.rawValue) of " } ?? ""
            title += "  │ \(d.path) (\(shown)\(d.queries.count) queries)"
        } else if state.loading == nil { title += "  │ no dataset (o to open)" }
        if let loading = state.loading { title += "  │ loading \(loading.path)…" }
        title += "  │ \(state.settings.provider) \(state.settings.model)"
        if state.providerIsBaseline { title += " (BM25 baseline, not an LLM)" }
        if state.pinned != nil { title += "  │ A pinned" }
        grid.put(DisplayWidth.clip(title, state.width), x: 0, y: 0, style: Style(bold: true, reverse: true))
    }

    static func tabLabel(_ pane: Focus) -> String { "\(pane.rawValue) \(pane.name)" }

    /// The tab strip of the one-column layout (row 1): each pane's columns, for drawing and clicks.
    static let tabs: [(Focus, Range<Int>)] = {
        var x = 0
        return Focus.allCases.map { pane in
            let w = DisplayWidth.of(tabLabel(pane))
            defer { x += w + 1 }
            return (pane, x..<(x + w))
        }
    }()

    static func drawTabs(_ grid: inout ScreenGrid, _ state: WorkbenchState) {
        var x = 0
        for (pane, span) in tabs {
            let style = pane == state.focus ? Style(fg: .cyan, bold: true, reverse: true) : Style.dim
            grid.put(tabLabel(pane), x: span.lowerBound, y: 1, style: style)
            x = span.upperBound + 1
        }
        // The headline numbers stay in sight while one pane fills the screen.
        if let report = state.report, !state.results.isEmpty {
            let m = state.settings.metrics.primaryMetric
            let value = "\(m.heading) \(report.rerankedMean[m].map { $0.formatted(decimals: 3) } ?? "n/a")"
            // A cancelled or running run's mean covers only the pairs answered: it says so
            // rather than pass for the whole run's number (the Metrics pane has the counts).
            let text = state.partialLabel != nil ? value + " partial" : value + " (\(report.deltaMean[m].map { $0.signed(decimals: 3) } ?? "n/a"))"
            let w = DisplayWidth.of(text)
            if x + w + 1 <= state.width { grid.put(text, x: state.width - w, y: 1, style: QueriesPane.deltaStyle(report.deltaMean[m])) }
        }
    }

    static func drawStatus(_ grid: inout ScreenGrid, _ state: WorkbenchState) {
        let y = state.height - 2
        grid.fill(Rect(x: 0, y: y, width: state.width, height: 1))
        if let run = state.run {
            let elapsed = max(0.001, state.now - run.startedAt)
            let rate = Double(run.done) / elapsed
            let eta = rate > 0 ? Double(run.total - run.done) / rate : 0
            let fraction = run.total > 0 ? Double(run.done) / Double(run.total) : 0
            let barWidth = max(10, min(30, state.width / 5))
            let filled = Int(fraction * Double(barWidth))
            var text = " \(run.done)/\(run.total)  \(rate.formatted(decimals: 1)) calls/s  ETA \(Int(eta.rounded()))s  \(run.tokens) tokens"
            if let cost = state.report?.cost, cost > 0 { text += "  $\(cost.formatted(decimals: 4))" }
            if run.failures > 0 { text += "  \(run.failures) failed" }
            if run.retries > 0 { text += "  \(run.retries) retries" }
            if let e = run.lastError { text += "  last error: \(e)" }
            let x = grid.put("[" + String(repeating: "█", count: filled) + String(repeating: "░", count: barWidth - filled) + "]", x: 0, y: y, style: .color(.cyan))
            grid.put(DisplayWidth.clip(text, state.width - x), x: x, y: y, style: run.failures > 0 ? .color(.yellow) : .plain)
        } else if let search = state.promptSearch, search.typing {
            let x = grid.put(" Search the prompt: ", x: 0, y: y, style: .bold)
            let end = x + grid.put(DisplayWidth.clip(search.query, max(0, state.width - x - 1)), x: x, y: y, style: Style(fg: .magenta, bold: true))
            grid.put("▏", x: end, y: y, style: .color(.cyan))
            if !state.status.isEmpty, DisplayWidth.of(state.status) + end + 4 <= state.width {
                grid.put(state.status, x: state.width - DisplayWidth.of(state.status) - 1, y: y, style: .dim)
            }
        } else if !state.status.isEmpty {
            grid.put(DisplayWidth.clip(" " + state.status, state.width), x: 0, y: y, style: state.statusIsError ? .color(.red, bold: true) : .plain)
        }
    }

    static func drawKeyBar(_ grid: inout ScreenGrid, _ state: WorkbenchState) {
        let y = state.height - 1
        grid.fill(Rect(x: 0, y: y, width: state.width, height: 1), style: .reverse)
        var entries: [(String, String)]
        if let modal = state.modals.last {
            entries = state.keymap.bar(for: KeyContext(modal))
        } else if state.promptSearch?.typing == true {
            entries = state.keymap.bar(for: .search)
        } else if state.filtering {
            entries = state.keymap.bar(for: .filter)
        } else {
            entries = state.keymap.bar(for: state.focus)
            if state.isRunning { entries.insert(("Esc", "cancel run"), at: 0) }
        }
        var x = 0
        for (key, word) in entries {
            let need = DisplayWidth.of(key) + DisplayWidth.of(word) + 3
            if x + need > state.width { break }
            x += grid.put(" \(key)", x: x, y: y, style: Style(fg: .yellow, bold: true, reverse: true))
            x += grid.put(" \(word) ", x: x, y: y, style: .reverse)
        }
    }
}
