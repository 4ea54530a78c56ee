import RerankCore

/// The prompt editor: line numbers, `{query}` / `{document}` highlighted, search matches,
/// cursor, soft wrap (or horizontal scroll with it off), and validation problems shown inline
/// under the text.
enum PromptPane {
    /// One screen row of the text: a line's characters `start..<end`.
    struct Row: Equatable {
        var line: Int
        var start: Int
        var end: Int
    }

    static func draw(_ grid: inout ScreenGrid, _ rect: Rect, _ state: WorkbenchState, focused: Bool) {
        var title = "1 Prompt: \(state.prompt.name)\(state.editor.isDirty ? " *" : "")  [\(state.settings.mode.rawValue) mode]"
        if state.editor.overwrite { title += " OVR" }
        grid.box(rect, title: title, focused: focused)
        // On the bottom border, where a long title cannot push it out of sight.
        if !state.softWrap, rect.width > 14 { grid.put(" no wrap ", x: rect.right - 11, y: rect.bottom - 1, style: .dim) }
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
        if !editing || state.softWrap { editor.left = 0 }
        editor.scrollToCursor(height: textHeight, width: editing && !state.softWrap ? textWidth : 0)
        let rows = state.softWrap ? wrapped(editor.lines, width: textWidth) : editor.lines.indices.map { Row(line: $0, start: 0, end: editor.lines[$0].count) }
        let cursorRow = rows.lastIndex { $0.line == editor.row && $0.start <= editor.column } ?? 0
        var top = rows.firstIndex { $0.line == editor.top } ?? 0
        if cursorRow >= top + textHeight { top = cursorRow - textHeight + 1 }
        if cursorRow < top { top = cursorRow }
        let errorLines = Set(problems.filter { $0.severity == .error && $0.line > 0 }.map(\.line))
        let search = state.promptSearch
        for (i, row) in rows.dropFirst(top).prefix(textHeight).enumerated() {
            let y = inner.y + i
            let line = editor.lines[row.line]
            if row.start == 0 {
                let number = String(row.line + 1)
                let numberStyle = errorLines.contains(row.line + 1) ? Style(fg: .red, bold: true) : Style.dim
                grid.put(String(repeating: " ", count: gutter - number.count) + number, x: inner.x, y: y, style: numberStyle)
            }
            drawLine(&grid, line, row: row, x: inner.x + gutter + 1, y: y, width: textWidth, left: editor.left, search: search)
            if focused, top + i == cursorRow {
                let cursorColumn = DisplayWidth.of(String(line[row.start..<max(row.start, editor.column)])) - editor.left
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

    /// The screen rows of `lines` folded at `width` display columns: after the last space that
    /// fits when there is one (words stay whole), else at the edge. An empty line is one row.
    static func wrapped(_ lines: [[Character]], width: Int) -> [Row] {
        var out: [Row] = []
        let room = max(1, width)
        for (index, line) in lines.enumerated() {
            var start = 0
            repeat {
                var end = start
                var used = 0
                var lastSpace: Int?
                while end < line.count {
                    let w = DisplayWidth.of(line[end])
                    if used + w > room { break }
                    used += w
                    if line[end] == " " { lastSpace = end }
                    end += 1
                }
                // A row cut inside a word breaks after its last space; the cursor stays at the
                // end of the last row, which may be one past the text.
                if end < line.count, let space = lastSpace, space + 1 > start { end = space + 1 }
                if end == start, start < line.count { end = start + 1 }
                out.append(Row(line: index, start: start, end: end))
                start = end
            } while start < line.count
        }
        return out
    }

    /// One screen row with placeholders and search matches highlighted, starting at display
    /// column `left` (always 0 with soft wrap).
    static func drawLine(_ grid: inout ScreenGrid, _ line: [Character], row: Row, x: Int, y: Int, width: Int, left: Int, search: PromptSearch?) {
        let text = String(line)
        var highlight = [Bool](repeating: false, count: line.count)
        for token in ["{query}", "{document}"] {
            var from = text.startIndex
            while let r = text.range(of: token, range: from..<text.endIndex) {
                let start = text.distance(from: text.startIndex, to: r.lowerBound)
                for k in start..<(start + token.count) where k < highlight.count { highlight[k] = true }
                from = r.upperBound
            }
        }
        var found = [Bool](repeating: false, count: line.count)
        for r in search?.ranges(in: line) ?? [] { for k in r { found[k] = true } }
        var column = 0
        var col = x
        for i in row.start..<row.end {
            let c = line[i]
            let w = DisplayWidth.of(c)
            defer { column += w }
            if column < left { continue }
            if col + w > x + width { break }
            let style = found[i] ? Style(fg: .magenta, bold: true, underline: true) : (highlight[i] ? Style(fg: .magenta, bold: true) : .plain)
            col += grid.put(String(c), x: col, y: y, style: style)
        }
    }
}
