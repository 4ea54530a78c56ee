import RerankCore

/// The calibration view: what the run's scores mean as numbers. The reliability table (score
/// bins against the mean label and the share relevant) and the threshold table (what keeping
/// score >= cut keeps) side by side when they fit, the suggested cuts for fixed targets, and the
/// histogram of scores by label that the metrics pane shows in small.
///
/// The tables are laid out here rather than through `ModalView.wrap`, which drops leading
/// spaces and would break the right-aligned columns.
enum CalibrationView {
    /// The targets the view suggests cuts for; any other is one flag away in `rerank-eval run`.
    static let targets: [ScoreCalibration.Target] = [.precision(0.8), .recall(0.9)]

    /// Reliability columns: score range, pairs, mean score, mean label, share relevant.
    static let reliabilityWidths = [7, 7, 7, 7, 9]
    /// Threshold columns: cut, kept per query, precision, recall.
    static let thresholdWidths = [6, 8, 10, 8]
    static let gap = 3

    static func draw(_ grid: inout ScreenGrid, _ state: WorkbenchState, scroll: Int) {
        // Wider than the other overlays: the two tables side by side need 72 columns, which an
        // 80-column terminal has only with a narrow margin.
        var title = "Score calibration"
        if state.providerIsBaseline { title += " (lexical baseline: BM25 scores)" }
        if let split = state.report?.settings.split { title += " · \(split.description)" }
        if let partial = state.partialLabel { title += " " + partial }
        let r = ModalView.frame(&grid, state, title: title, width: state.width - 4)
        guard let calibration = state.calibration else { return }
        let rows = lines(calibration, width: r.width - 2)
        let start = min(scroll, max(0, rows.count - r.height))
        for (i, row) in rows.dropFirst(start).prefix(r.height).enumerated() {
            var x = r.x + 1
            for run in row { x += grid.put(run.text, x: x, y: r.y + i, style: run.style, limit: max(0, r.right - x)) }
        }
    }

    /// The view's rows for `width` columns.
    static func lines(_ c: ScoreCalibration, width: Int) -> [[SentText.Run]] {
        func prose(_ text: String, _ style: Style = .plain) -> [[SentText.Run]] {
            ModalView.wrap(text, width: width).map { [SentText.Run(text: $0, style: style)] }
        }
        // One short line above the tables, so that at 80x24 both tables fit on the first
        // screen; the full account of what was counted follows them.
        var out = prose("\(c.pairs.count) scored, judged pairs over \(c.queryCount) quer\(c.queryCount == 1 ? "y" : "ies") · relevant = label ≥ \(c.relevanceThreshold)", .dim)
        out.append([])
        let reliability = table(c.reliabilityRows(short: true), widths: reliabilityWidths)
        let threshold = table(c.thresholdRows(short: true), widths: thresholdWidths)
        let reliabilityWidth = reliabilityWidths.reduce(0, +)
        if reliabilityWidth + gap + thresholdWidths.reduce(0, +) <= width {
            out.append([SentText.Run(text: DisplayWidth.pad("Reliability", reliabilityWidth + gap), style: .bold),
                        SentText.Run(text: "Threshold: keep score ≥ cut", style: .bold)])
            for i in 0..<max(reliability.count, threshold.count) {
                let left = i < reliability.count ? reliability[i] : SentText.Run(text: "", style: .plain)
                var row = [SentText.Run(text: DisplayWidth.pad(left.text, reliabilityWidth + gap), style: left.style)]
                if i < threshold.count { row.append(threshold[i]) }
                out.append(row)
            }
        } else {
            out.append([SentText.Run(text: "Reliability", style: .bold)])
            out += reliability.map { [$0] }
            out.append([])
            out.append([SentText.Run(text: "Threshold: keep score ≥ cut", style: .bold)])
            out += threshold.map { [$0] }
        }
        out += prose("mean: mean score; label: mean label; relevant: share relevant. kept/q: kept per query.", .dim)
        out.append([])
        out += prose("Suggested cuts", .bold)
        for t in targets { out += prose(c.suggestionLine(t)) }
        out += prose(targets.map { "\($0.metricName): \($0.rule)" }.joined(separator: "; ")
                     + ". Other targets: rerank-eval run --target-precision / --target-recall.", .dim)
        out.append([])
        out += prose("Counted: " + c.countedNote + "; " + c.relevanceNote + ".", .dim)
        out += prose(c.thresholdNote.prefix(1).uppercased() + c.thresholdNote.dropFirst() + ".", .dim)
        out.append([])
        out += prose("Scores by label, 0 to 1", .bold)
        let labels = ScoresByLabel(c.pairs).byLabel
        for (i, row) in MetricsPane.histogramRows(labels, width: width).enumerated() {
            out.append([SentText.Run(text: row.label, style: .bold),
                        SentText.Run(text: row.spark, style: labels[i].label >= c.relevanceThreshold ? .color(.green) : .color(.red)),
                        SentText.Run(text: row.tail, style: .dim)])
        }
        if labels.isEmpty { out += prose("no judged candidate has a score from the model", .dim) }
        return out
    }

    /// Rows of fixed-width columns, the first left-aligned, the header dim.
    static func table(_ rows: [[String]], widths: [Int]) -> [SentText.Run] {
        rows.enumerated().map { i, row in
            let text = zip(row, widths).enumerated().map { j, cell in
                j == 0 ? DisplayWidth.pad(cell.0, cell.1) : DisplayWidth.pad(cell.0, cell.1, right: true)
            }.joined()
            return SentText.Run(text: text, style: i == 0 ? .dim : .plain)
        }
    }
}
