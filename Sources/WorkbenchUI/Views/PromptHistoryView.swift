import Foundation
import RerankCore

/// The prompt history: the versions run on this dataset (newest run first) with their best
/// primary metric, run count, last run and the dataset version of the best run; below, the
/// selected version's first lines. And the line diff of two versions.
enum PromptHistoryView {
    static func draw(_ grid: inout ScreenGrid, _ state: WorkbenchState, selection: Int, marked: Int?) {
        let versions = state.promptHistory
        let r = ModalView.frame(&grid, state, title: "Prompt history: \(versions.count) version\(versions.count == 1 ? "" : "s") run on \(state.datasetFileName ?? "this dataset")",
                                width: state.width - 2, height: state.height - 3)
        guard r.height >= 6, !versions.isEmpty else { return }
        let x0 = r.x + 1
        let width = r.width - 2
        let metric = state.settings.metrics.primaryMetric
        let current = state.labels.baseHash ?? state.dataset?.contentHash
        let split = state.workingSplit.map { " on \($0.rawValue)" } ?? ""
        grid.put(DisplayWidth.clip("best: top \(metric.heading) of complete runs\(split); data: its dataset version (* loaded)", width), x: x0, y: r.y, style: .dim)
        let header = "  " + DisplayWidth.pad("version", 8) + DisplayWidth.pad("best", 8, right: true) + DisplayWidth.pad("runs", 6, right: true) + "  "
            + DisplayWidth.pad("last run", 17) + DisplayWidth.pad("data", 9) + "name"
        grid.put(DisplayWidth.clip(header, width), x: x0, y: r.y + 1, style: .dim)
        // The list takes what the preview of the selected text leaves.
        let listRows = max(2, min(versions.count, (r.height - 3) * 3 / 5))
        let cursor = min(selection, versions.count - 1)
        let top = max(0, min(cursor - listRows + 1, versions.count - listRows))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        for (i, v) in versions.dropFirst(max(0, top)).prefix(listRows).enumerated() {
            let index = max(0, top) + i
            let y = r.y + 2 + i
            let data = v.bestDatasetHash.map { "#" + $0.prefix(6) + ($0 == current ? "*" : "") } ?? "-"
            let line = (marked == index ? "A " : "  ") + DisplayWidth.pad("#" + v.hash.prefix(6), 8)
                + DisplayWidth.pad(v.best.map { $0.formatted(decimals: 4) } ?? "-", 8, right: true) + DisplayWidth.pad(String(v.runs), 6, right: true) + "  "
                + DisplayWidth.pad(formatter.string(from: v.lastRun), 17) + DisplayWidth.pad(data, 9) + TerminalText.inert(v.name, layout: .row)
            let selected = index == cursor
            if selected { grid.fill(Rect(x: r.x, y: y, width: r.width, height: 1), style: .reverse) }
            grid.put(DisplayWidth.clip(line, width), x: x0, y: y, style: selected ? .reverse : (marked == index ? .bold : .plain))
        }
        // The selected version's text, as much as fits.
        let previewTop = r.y + 3 + listRows
        guard previewTop < r.bottom else { return }
        let v = versions[cursor]
        let inEditor = v.text == state.editor.text ? " (the editor's text now)" : ""
        grid.put(DisplayWidth.clip("#\(v.hash.prefix(6)) \(TerminalText.inert(v.name, layout: .row))\(inEditor):", width), x: x0, y: previewTop - 1, style: .bold)
        for (i, line) in v.text.components(separatedBy: "\n").prefix(r.bottom - previewTop).enumerated() {
            grid.put(DisplayWidth.clip(TerminalText.inert(line, layout: .row), width), x: x0, y: previewTop + i, style: .dim)
        }
    }

    /// The diff of two versions: removed lines red with `-`, added green with `+`.
    static func diffLines(_ state: WorkbenchState) -> [ModalView.OverlayLine] {
        guard let diff = state.promptDiff else { return [] }
        var lines: [ModalView.OverlayLine] = [
            .text("A: \(diff.a)", .bold), .text("B: \(diff.b)", .bold),
            .text(diff.removed + diff.added == 0 ? "the two texts are the same" : "\(diff.removed) line\(diff.removed == 1 ? "" : "s") removed, \(diff.added) added (A → B)", .dim),
            .text("", .plain),
        ]
        for line in diff.lines {
            switch line.kind {
            case .same: lines.append(.marked("  ", TerminalText.inert(line.text, layout: .row), .plain))
            case .removed: lines.append(.marked("- ", TerminalText.inert(line.text, layout: .row), .color(.red)))
            case .added: lines.append(.marked("+ ", TerminalText.inert(line.text, layout: .row), .color(.green)))
            }
        }
        return lines
    }
}
