/// CSV cells for text from data (ids, query text, memory text, model replies), safe to open in a
/// spreadsheet and to print on a terminal.
///
/// Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` as a
/// formula (`=HYPERLINK(...)`, `=cmd|' /C calc'!A0`), and some strip a leading tab or carriage
/// return first. Such a text cell gets a `'` in front, the common spreadsheet-safe form: the
/// spreadsheet shows the text and does not evaluate it. A cell that already starts with `'`s
/// before one of those characters gets one more, so a reader can always remove exactly one
/// (`text(ofCell:)`). Numbers are never passed through here, so a negative delta stays a number.
public enum CSVText {
    /// Characters that make a spreadsheet read a cell as a formula.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]

    /// One text cell: formula guard, control characters made visible (newlines and tabs kept; they
    /// are legal inside a quoted field), then RFC 4180 quoting when needed.
    public static func cell(_ text: String) -> String {
        var s = text
        if needsGuard(s.unicodeScalars[...]) { s = "'" + s }
        s = TerminalText.inert(s, layout: .lines)
        return quoted(s)
    }

    /// RFC 4180 quoting when the field holds a comma, a quote or a line break.
    public static func quoted(_ s: String) -> String {
        if s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// The text a (parsed, unquoted) cell was made from: the guard's `'` removed. Exact for text
    /// without control characters, which a cell shows in their visible form (JSON is lossless).
    public static func text(ofCell value: String) -> String {
        let scalars = value.unicodeScalars
        if scalars.first == "'", needsGuard(scalars.dropFirst()) { return String(scalars.dropFirst()) }
        return value
    }

    /// Starts with a formula character, after any number of `'`.
    static func needsGuard(_ scalars: Substring.UnicodeScalarView) -> Bool {
        guard let first = scalars.first(where: { $0 != "'" }) else { return false }
        return formulaStarts.contains(first)
    }
}
