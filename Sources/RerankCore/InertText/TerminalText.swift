/// Text taken from data (queries, memory texts, ids, model replies, prompt text, model names,
/// server messages), made inert for a terminal.
///
/// Memories come from users, documents and the web. Written raw, `ESC[2J` clears the screen,
/// `ESC]0;…BEL` sets the window title and `ESC]52;…` writes the clipboard; a bidi override makes
/// a memory reorder the columns printed after it. Every human-readable output of `rerank-eval`
/// and every cell of the workbench's screen grid goes through `inert`, so data is shown as text
/// and never acts on the terminal:
///
/// - C0 controls, DEL and C1 controls become visible escapes: `\e` for ESC, `\a` `\b` `\f` `\v`
///   `\0` `\t` `\n` `\r` for the usual ones, `\xHH` for the rest (C1 too: `\x9B` is CSI);
/// - bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) and the Unicode
///   line and paragraph separators (U+2028, U+2029) become `\uXXXX`.
///
/// A backslash in the data stays as it is: the escapes are for reading, not for parsing back
/// (JSON is the lossless output).
public enum TerminalText {
    /// What happens to tab, newline and carriage return, which a layout may or may not allow.
    public enum Layout: Sendable {
        /// One line (a table cell, an id, a one-line message): all three become visible escapes.
        case line
        /// Several lines (a prompt, a multi-line message): newline and tab are kept, CRLF becomes
        /// a newline, and a lone CR is shown as `\r` (it would let later text overwrite the line).
        case lines
        /// A row already laid out (the workbench grid): each becomes one space, CRLF too.
        case row
    }

    /// `text` with every control character and bidi control replaced by a visible escape.
    public static func inert(_ text: String, layout: Layout = .line) -> String {
        // Nearly all text is clean: check first, so the common case allocates nothing.
        guard text.unicodeScalars.contains(where: needsAttention) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            i += 1
            switch (s.value, layout) {
            case (0x0D, .lines) where i < scalars.count && scalars[i] == "\n",
                 (0x0D, .row) where i < scalars.count && scalars[i] == "\n":
                out.append(layout == .row ? " " : "\n")
                i += 1
            case (0x09, .lines), (0x0A, .lines):
                out.append(s)
            case (0x09, .row), (0x0A, .row), (0x0D, .row):
                out.append(" ")
            default:
                if let e = escape(s) { out.append(contentsOf: e.unicodeScalars) } else { out.append(s) }
            }
        }
        return String(out)
    }

    /// `text` made inert on one line and put in double quotes, for messages that quote data
    /// (`duplicate id "m7"`).
    public static func quoted(_ text: String) -> String {
        "\"" + inert(text, layout: .line) + "\""
    }

    /// Whether `text` would be changed by `inert` in some layout.
    public static func isInert(_ text: String) -> Bool {
        !text.unicodeScalars.contains(where: needsAttention)
    }

    /// The visible form of one scalar, or nil when it is shown as itself.
    public static func escape(_ scalar: Unicode.Scalar) -> String? {
        let v = scalar.value
        switch v {
        case 0x1B: return "\\e"
        case 0x00: return "\\0"
        case 0x07: return "\\a"
        case 0x08: return "\\b"
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0B: return "\\v"
        case 0x0C: return "\\f"
        case 0x0D: return "\\r"
        case 0x00...0x1F, 0x7F...0x9F: return "\\x" + hex(v, digits: 2)
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return "\\u" + hex(v, digits: 4)
        default: return nil
        }
    }

    static func needsAttention(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        return v >= 0x2028 && v <= 0x2069 && ((0x2028...0x202E).contains(v) || (0x2066...0x2069).contains(v))
    }

    static func hex(_ v: UInt32, digits: Int) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
