import RerankCore

/// A rectangle on the screen.
public struct Rect: Sendable, Hashable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The area inside a one-cell border.
    public var inner: Rect { Rect(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }
    public var bottom: Int { y + height }
    public var right: Int { x + width }
}

/// One cell: a grapheme (empty for the right half of a wide one) and its style.
public struct Cell: Sendable, Hashable {
    public var text: String
    public var style: Style

    public static let blank = Cell(text: " ", style: .plain)
}

/// An in-memory screen the UI draws into; the terminal adapter copies it to curses, tests
/// compare it with snapshots. Everything is measured in display columns and clipped.
public struct ScreenGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The one-character strings of ASCII, made once.
    static let ascii: [String] = (0..<128).map { String(UnicodeScalar(UInt8($0))) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Writes `text` at (x, y), never past `limit` columns (default: the grid's edge) and never
    /// splitting a wide character. Returns the columns written.
    ///
    /// Everything drawn passes through here, and most of it is data (memories, queries, replies,
    /// the prompt): `TerminalText` turns tab, newline and CR into a space and every other control
    /// or bidi character into a visible escape (`\e[2J`), so no cell can hold a character that
    /// would act on the terminal when the adapter copies the grid to it. An escape is drawn whole
    /// or, at the edge, not at all, as `DisplayWidth` measures it.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let end = min(width, limit.map { x + $0 } ?? width)
        var col = x
        if DisplayWidth.isPrintableASCII(text) {
            for byte in text.utf8 {
                if col + 1 > end { break }
                if col >= 0 { self[col, y] = Cell(text: Self.ascii[Int(byte)], style: style) }
                col += 1
            }
            return col - x
        }
        for ch in text {
            // Printable ASCII, most of what is drawn: one column, no escape, no allocation.
            if let ascii = ch.asciiValue, ascii >= 0x20, ascii < 0x7F {
                if col + 1 > end { break }
                if col >= 0 { self[col, y] = Cell(text: String(ch), style: style) }
                col += 1
                continue
            }
            let first = ch.unicodeScalars.first!
            let glyphs: [Character] = TerminalText.escape(first) == nil ? [ch] : Array(TerminalText.inert(String(ch), layout: .row))
            let w = glyphs.reduce(0) { $0 + DisplayWidth.of($1) }
            if w == 0 { continue }
            if col + w > end { break }
            for g in glyphs {
                let gw = DisplayWidth.of(g)
                if col >= 0 {
                    self[col, y] = Cell(text: String(g), style: style)
                    if gw == 2, col + 1 < width { self[col + 1, y] = Cell(text: "", style: style) }
                }
                col += gw
            }
        }
        return col - x
    }

    /// Fills a rectangle with spaces in `style`.
    public mutating func fill(_ r: Rect, style: Style = .plain) {
        for yy in max(0, r.y)..<min(height, r.bottom) {
            for xx in max(0, r.x)..<min(width, r.right) { self[xx, yy] = Cell(text: " ", style: style) }
        }
    }

    /// Applies `style` to the cells of a row segment, keeping their text.
    public mutating func restyle(x: Int, y: Int, width w: Int, style: Style) {
        guard y >= 0, y < height else { return }
        for xx in max(0, x)..<min(width, x + w) { self[xx, y].style = style }
    }

    /// Replaces every cell's foreground and background colour through `change`.
    public mutating func recolor(_ change: (TermColor) -> TermColor) {
        for i in cells.indices {
            cells[i].style.fg = change(cells[i].style.fg)
            cells[i].style.bg = change(cells[i].style.bg)
        }
    }

    /// A box with a title on its top border; focused boxes are drawn bold.
    public mutating func box(_ r: Rect, title: String, focused: Bool, style: Style = .plain) {
        guard r.width >= 2, r.height >= 2 else { return }
        // White stands for the theme's `pane` colour (the terminal's own in the dark theme).
        let s = focused ? Style(fg: .cyan, bold: true) : Style(fg: .white, dim: style.dim)
        let h = focused ? "━" : "─"
        let v = focused ? "┃" : "│"
        // Box glyphs are one column each: set the cells directly (through `put`, measuring
        // every border character was a quarter of a frame).
        func set(_ glyph: String, _ x: Int, _ y: Int) {
            if x >= 0, x < width, y >= 0, y < height { self[x, y] = Cell(text: glyph, style: s) }
        }
        set(focused ? "┏" : "┌", r.x, r.y)
        set(focused ? "┓" : "┐", r.right - 1, r.y)
        set(focused ? "┗" : "└", r.x, r.bottom - 1)
        set(focused ? "┛" : "┘", r.right - 1, r.bottom - 1)
        for xx in (r.x + 1)..<(r.right - 1) {
            set(h, xx, r.y)
            set(h, xx, r.bottom - 1)
        }
        for yy in (r.y + 1)..<(r.bottom - 1) {
            set(v, r.x, yy)
            set(v, r.right - 1, yy)
        }
        if r.width > 6 {
            put(" " + DisplayWidth.clip(title, r.width - 6) + " ", x: r.x + 2, y: r.y, style: focused ? Style(fg: .cyan, bold: true) : Style(fg: .white, bold: true))
        }
    }

    /// The characters, one line per row, trailing spaces removed: what snapshots compare.
    public var text: String {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width { line += self[x, y].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
