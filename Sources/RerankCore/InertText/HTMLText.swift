/// Text from data written into an HTML page (text content or a quoted attribute value) so that
/// it is shown as text: no tag, attribute, entity or script from the data is live.
public enum HTMLText {
    /// `text` with control characters made visible and `&`, `<`, `>`, `"` and `'` written as
    /// character references. `layout: .lines` keeps newlines, for a `<pre>` block.
    public static func escape(_ text: String, layout: TerminalText.Layout = .line) -> String {
        var out = ""
        for ch in TerminalText.inert(text, layout: layout) {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
