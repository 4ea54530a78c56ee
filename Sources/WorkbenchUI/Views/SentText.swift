/// Text a provider received, laid out so that a reader can check it character by character.
///
/// Prose wrapping (`ModalView.wrap`) drops the spaces it breaks at and a line's leading spaces,
/// and the grid draws a tab as one space: fine for a memory, wrong for a message whose every
/// byte reached the server. Here each line sent starts with a bar and each row it wraps onto with
/// a dotted bar, so blank lines and a final newline show; a space at the start or end of a line
/// is a dim `·`, a tab a dim `→`, a carriage return a dim `␍`; no character is dropped.
enum SentText {
    struct Run: Equatable {
        var text: String
        var style: Style
    }

    static let lineStart = "│ "
    static let continuation = "┆ "
    static let mark = Style(fg: .cyan, dim: true)
    /// What the marks mean, shown once above the messages.
    static let legend = "│ starts each line sent, ┆ continues it on screen; · a space at a line's start or end, → a tab"

    /// Rows of styled runs, each at most `width` display columns, gutter included.
    static func rows(_ text: String, width: Int, style: Style = .plain) -> [[Run]] {
        let room = max(1, width - DisplayWidth.of(lineStart))
        var out: [[Run]] = []
        for line in lines(text) {
            let glyphs = marked(line)
            var start = 0
            repeat {
                let end = rowEnd(glyphs, from: start, room: room)
                var row = [Run(text: start == 0 ? lineStart : continuation, style: mark)]
                for g in glyphs[start..<end] {
                    let s = g.marked ? mark : style
                    if let last = row.indices.last, row.count > 1, row[last].style == s { row[last].text.append(g.character) } else { row.append(Run(text: String(g.character), style: s)) }
                }
                out.append(row)
                start = end
            } while start < glyphs.count
        }
        return out
    }

    /// The lines of `text` as sent: split at each newline, a CRLF's CR kept to be shown.
    static func lines(_ text: String) -> [[Character]] {
        var out: [[Character]] = [[]]
        for c in text {
            switch c {
            case "\n": out.append([])
            // One grapheme in Swift, two bytes on the wire: show the CR, break the line.
            case "\r\n": out[out.count - 1].append("\r"); out.append([])
            default: out[out.count - 1].append(c)
            }
        }
        return out
    }

    struct Glyph {
        var character: Character
        var marked: Bool
        /// A space inside the line, where a row may wrap.
        var breakable: Bool
    }

    /// The characters of one line with whitespace made visible where it would otherwise hide.
    static func marked(_ line: [Character]) -> [Glyph] {
        let firstText = line.firstIndex { $0 != " " } ?? line.count
        let lastText = line.lastIndex { $0 != " " } ?? -1
        return line.enumerated().map { i, c -> Glyph in
            switch c {
            case " " where i < firstText || i > lastText: return Glyph(character: "·", marked: true, breakable: false)
            case " ": return Glyph(character: " ", marked: false, breakable: true)
            case "\t": return Glyph(character: "→", marked: true, breakable: false)
            case "\r": return Glyph(character: "␍", marked: true, breakable: false)
            default: return Glyph(character: c, marked: false, breakable: false)
            }
        }
    }

    /// Where the row starting at `start` ends: after the last inner space that fits, else at
    /// the width (a word longer than the row is cut, never dropped).
    static func rowEnd(_ glyphs: [Glyph], from start: Int, room: Int) -> Int {
        var used = 0
        var lastBreak: Int?
        var i = start
        while i < glyphs.count {
            let w = max(0, DisplayWidth.of(glyphs[i].character))
            if used + w > room { break }
            used += w
            if glyphs[i].breakable { lastBreak = i + 1 }
            i += 1
        }
        if i == glyphs.count { return i }
        if let lastBreak, lastBreak > start { return lastBreak }
        return max(i, start + 1)
    }
}
