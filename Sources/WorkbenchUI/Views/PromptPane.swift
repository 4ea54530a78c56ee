import RerankCore

/// The prompt editor: line numbers, `{query}` / `{document}` highlighted, cursor, horizontal
/// scroll, and validation problems shown inline under the text.
enum PromptPane {
    static func draw(_ grid: inout ScreenGrid, _ rect: Rect, _ state: WorkbenchState, focused: Bool) {
        var title = "1 Prompt: \(state.prompt.name)\(state.editor.isDirty ? " *" : "")  [\(state.settings.mode.rawValue) mode]"
        if state.editor.overwrite { title += " OVR" }
        grid.box(rect, title: title, focused: focused)
        let inner = rect.inner
        guard inner.height > 0, inner.width > 6 else { return }
        let problems = state.promptProblems
        let problemLines = min(problems.count, max(0, inner.height / 3))
        let textHeight = inner.height - problemLines
        let gutter = max(3, String(state.editor.lines.count).count + 1)
        let textWidth = inner.width - gutter - 1
        var editor = state.editor
        // Only the editor in focus follows the cursor sideways (a modal over it keeps its
        // place); once the focus leaves, the pane shows each line from its start again.
        let editing = state.focus == .prompt
        if !editing { editor.left = 0 }
        editor.scrollToCursor(height: textHeight, width: editing ? textWidth : 0)
        let errorLines = Set(problems.filter { $0.severity == .error && $0.line > 0 }.map(\.line))
        for i in 0..<textHeight {
            let lineIndex = editor.top + i
            let y = inner.y + i
            guard lineIndex < editor.lines.count else { break }
            let number = String(lineIndex + 1)
            let numberStyle = errorLines.contains(lineIndex + 1) ? Style(fg: .red, bold: true) : Style.dim
            grid.put(String(repeating: " ", count: gutter - number.count) + number, x: inner.x, y: y, style: numberStyle)
            drawLine(&grid, editor.lines[lineIndex], x: inner.x + gutter + 1, y: y, width: textWidth, left: editor.left)
            if focused, lineIndex == editor.row {
                let cursorColumn = DisplayWidth.of(String(editor.lines[lineIndex].prefix(editor.column))) - editor.left
                if cursorColumn >= 0, cursorColumn < textWidth {
                    let x = inner.x + gutter + 1 + cursorColumn
                    var cell = grid[x, y]
                    cell.style.reverse.toggle()
                    grid[x, y] = cell
                }
            }
        }
        for (i, p) in problems.prefix(problemLines).enumerated() {
            let style = p.severity == .error ? Style(fg: .red, bold: true) : Style(fg: .yellow)
            grid.put(DisplayWidth.clip("\(p.severity == .error ? "✗" : "!") \(p)", inner.width), x: inner.x, y: inner.y + textHeight + i, style: style)
        }
    }

    /// One line with placeholders highlighted, starting at display column `left`.
    static func drawLine(_ grid: inout ScreenGrid, _ line: [Character], x: Int, y: Int, width: Int, left: Int) {
        let text = String(line)
        var highlight = [Bool](repeating: false, count: line.count)
        for token in ["{query}", "{document}"] {
            var search = text.startIndex
            while let r = text.range(of: token, range: search..<text.endIndex) {
                let start = text.distance(from: text.startIndex, to: r.lowerBound)
                for k in start..<(start + token.count) where k < highlight.count { highlight[k] = true }
                search = r.upperBound
            }
        }
        var column = 0
        var col = x
        for (i, c) in line.enumerated() {
            let w = DisplayWidth.of(c)
            defer { column += w }
            if column < left { continue }
            if col + w > x + width { break }
            col += grid.put(String(c), x: col, y: y, style: highlight[i] ? Style(fg: .magenta, bold: true) : .plain)
        }
    }
}
