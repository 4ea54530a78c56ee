/// Text from data written into a Markdown report so that it is shown as text: never emphasis,
/// links, images, code or raw HTML, which many Markdown previewers render
/// (`what <img src=x onerror=alert(1)>` would run in some of them).
public enum MarkdownText {
    /// Characters that start inline markup anywhere in a line: code spans, emphasis, links and
    /// images (`[`, `]`; `!` and `(` mean nothing without them), table pipes, GFM strikethrough,
    /// math, and an ATX heading's closing `#`s. CommonMark makes a backslash-escaped ASCII
    /// punctuation character literal. Data never starts a line of the report, so line-start
    /// markup (`-`, `+`, `1.`, `>`) needs no escape and model names stay readable (`gpt-4o`).
    static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "|", "~", "$", "#"]

    /// Inline text (a table cell, a heading, a sentence): control characters and line breaks made
    /// visible (a newline as `\n`), Markdown punctuation backslash-escaped, and `<`, `>` and `&`
    /// written as entities so no tag, autolink or entity from the data is live.
    public static func inline(_ text: String) -> String {
        var out = ""
        for ch in TerminalText.inert(text, layout: .line) {
            switch ch {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default:
                if special.contains(ch) { out.append("\\") }
                out.append(ch)
            }
        }
        return out
    }

    /// A fenced code block holding `text` verbatim (control characters made visible): the fence
    /// is longer than any run of backticks in the text, so no line can close it early, and
    /// nothing inside a code block is parsed as Markdown or HTML.
    public static func codeBlock(_ text: String) -> String {
        let body = TerminalText.inert(text, layout: .lines)
        var longest = 0, run = 0
        for ch in body {
            run = ch == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + "text\n" + body + (body.hasSuffix("\n") ? "" : "\n") + fence
    }
}
