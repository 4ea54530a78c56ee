/// A multi-line text editor's state: lines, cursor, scroll, undo and redo.
///
/// Columns of the cursor count Characters (grapheme clusters); the view converts them to
/// display columns. Undo groups consecutive typing into one step, as editors people know do.
public struct TextEditor: Sendable, Equatable {
    public private(set) var lines: [[Character]]
    public private(set) var row = 0
    public private(set) var column = 0
    /// First visible line and first visible display column (horizontal scroll).
    public var top = 0
    public var left = 0
    public var overwrite = false
    private var undoStack: [Snapshot] = []
    private var redoStack: [Snapshot] = []
    private var lastEdit: EditKind?
    /// The text as it was when last saved or loaded.
    public private(set) var savedText: String

    struct Snapshot: Sendable, Equatable {
        var lines: [[Character]]
        var row: Int
        var column: Int
    }

    enum EditKind: Equatable { case typing, deleting, other }

    public init(text: String) {
        lines = Self.split(text)
        savedText = text
    }

    static func split(_ text: String) -> [[Character]] {
        let parts = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        return parts.isEmpty ? [[]] : parts.map { Array($0) }
    }

    public var text: String { lines.map { String($0) }.joined(separator: "\n") }
    public var isDirty: Bool { text != savedText }
    public var canUndo: Bool { !undoStack.isEmpty }
    public var canRedo: Bool { !redoStack.isEmpty }

    public mutating func markSaved() { savedText = text }

    /// Replaces the whole text (after an external editor), as one undoable step.
    public mutating func replaceAll(_ text: String) {
        record(.other)
        lines = Self.split(text)
        row = min(row, lines.count - 1)
        column = min(column, lines[row].count)
    }

    private mutating func record(_ kind: EditKind) {
        if kind == .other || kind != lastEdit {
            undoStack.append(Snapshot(lines: lines, row: row, column: column))
            if undoStack.count > 500 { undoStack.removeFirst() }
        }
        redoStack.removeAll()
        lastEdit = kind
    }

    public mutating func undo() {
        guard let s = undoStack.popLast() else { return }
        redoStack.append(Snapshot(lines: lines, row: row, column: column))
        restore(s)
    }

    public mutating func redo() {
        guard let s = redoStack.popLast() else { return }
        undoStack.append(Snapshot(lines: lines, row: row, column: column))
        restore(s)
    }

    private mutating func restore(_ s: Snapshot) {
        lines = s.lines
        row = s.row
        column = s.column
        lastEdit = nil
    }

    public mutating func insert(_ c: Character) {
        if c == "\n" || c == "\r\n" { return newline() }
        record(c == " " ? .other : .typing)
        if overwrite, column < lines[row].count {
            lines[row][column] = c
        } else {
            lines[row].insert(c, at: column)
        }
        column += 1
    }

    /// Inserts pasted text as one undo step, newlines included.
    public mutating func insert(text: String) {
        record(.other)
        lastEdit = .other
        for c in text {
            if c == "\n" || c == "\r\n" || c == "\r" {
                let rest = Array(lines[row][column...])
                lines[row].removeSubrange(column...)
                lines.insert(rest, at: row + 1)
                row += 1
                column = 0
            } else {
                lines[row].insert(c, at: column)
                column += 1
            }
        }
    }

    public mutating func newline() {
        record(.other)
        let rest = Array(lines[row][column...])
        lines[row].removeSubrange(column...)
        lines.insert(rest, at: row + 1)
        row += 1
        column = 0
    }

    public mutating func backspace() {
        if column > 0 {
            record(.deleting)
            lines[row].remove(at: column - 1)
            column -= 1
        } else if row > 0 {
            record(.other)
            let line = lines.remove(at: row)
            row -= 1
            column = lines[row].count
            lines[row].append(contentsOf: line)
        }
    }

    public mutating func deleteForward() {
        if column < lines[row].count {
            record(.deleting)
            lines[row].remove(at: column)
        } else if row + 1 < lines.count {
            record(.other)
            let next = lines.remove(at: row + 1)
            lines[row].append(contentsOf: next)
        }
    }

    public mutating func moveLeft() {
        lastEdit = nil
        if column > 0 { column -= 1 } else if row > 0 { row -= 1; column = lines[row].count }
    }

    public mutating func moveRight() {
        lastEdit = nil
        if column < lines[row].count { column += 1 } else if row + 1 < lines.count { row += 1; column = 0 }
    }

    public mutating func moveUp(_ n: Int = 1) {
        lastEdit = nil
        row = max(0, row - n)
        column = min(column, lines[row].count)
    }

    public mutating func moveDown(_ n: Int = 1) {
        lastEdit = nil
        row = min(lines.count - 1, row + n)
        column = min(column, lines[row].count)
    }

    public mutating func home() { lastEdit = nil; column = 0 }
    public mutating func end() { lastEdit = nil; column = lines[row].count }
    /// The start and the end of the whole text (Ctrl-Home, Ctrl-End).
    public mutating func textStart() { lastEdit = nil; row = 0; column = 0 }
    public mutating func textEnd() { lastEdit = nil; row = lines.count - 1; column = lines[row].count }

    static func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    public mutating func wordLeft() {
        lastEdit = nil
        if column == 0 { return moveLeft() }
        let line = lines[row]
        var c = column
        while c > 0, !Self.isWord(line[c - 1]) { c -= 1 }
        while c > 0, Self.isWord(line[c - 1]) { c -= 1 }
        column = c
    }

    public mutating func wordRight() {
        lastEdit = nil
        let line = lines[row]
        if column == line.count { return moveRight() }
        var c = column
        while c < line.count, Self.isWord(line[c]) { c += 1 }
        while c < line.count, !Self.isWord(line[c]) { c += 1 }
        column = c
    }

    /// Puts the cursor at a line and character, clamped to the text (a search match, a click).
    public mutating func moveTo(row: Int, column: Int) {
        lastEdit = nil
        self.row = max(0, min(lines.count - 1, row))
        self.column = max(0, min(lines[self.row].count, column))
    }

    /// Keeps the cursor visible in a viewport of `height` lines and `width` display columns.
    public mutating func scrollToCursor(height: Int, width: Int) {
        if row < top { top = row }
        if height > 0, row >= top + height { top = row - height + 1 }
        let cursorColumn = DisplayWidth.of(String(lines[row].prefix(column)))
        if cursorColumn < left { left = max(0, cursorColumn - 4) }
        if width > 0, cursorColumn >= left + width { left = cursorColumn - width + 1 }
    }
}
