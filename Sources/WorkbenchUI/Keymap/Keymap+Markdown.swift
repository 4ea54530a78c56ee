extension Keymap {
    /// The main screen's keys as a Markdown table for the README: the same lines as the help
    /// overlay, with each command's name for `[keys]` in the config file. A test compares the
    /// README's copy with this, so the two cannot drift.
    public var markdownTable: String {
        var rows = ["| keys | does | where | config name |", "|---|---|---|---|"]
        for line in helpLines {
            let name = Command.allCases.first { $0.title == line.title }?.rawValue ?? ""
            let keys = line.keys.split(separator: " ").map { "`\($0 == "|" ? "\\|" : String($0))`" }.joined(separator: " ")
            rows.append("| \(keys) | \(line.title) | \(line.scope) | `\(name)` |")
        }
        return rows.joined(separator: "\n")
    }
}
