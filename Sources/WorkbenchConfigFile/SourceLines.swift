/// Finds the line of a key in TOML text, for messages: TOMLKit gives positions only for syntax
/// errors, so a key's line is looked up in the text under its `[table]` header.
struct SourceLines {
    let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The 1-based line where `key` is set in `table` (nil: at the top, before any header);
    /// the table's header when the key is not found on a line of its own; nil if neither is.
    func line(of key: String, in table: String?) -> Int? {
        var current: String?
        var header: Int?
        for (i, raw) in lines.enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[") {
                let name = line.dropFirst().prefix { $0 != "]" }.filter { $0 != " " && $0 != "\"" }
                current = String(name)
                if current == table { header = i + 1 }
                // A table written as the key's value (`keys = {...}`) is on the root's line.
                continue
            }
            guard current == table else { continue }
            for spelled in [key, "\"\(key)\"", "'\(key)'"] where line.hasPrefix(spelled) {
                let rest = line.dropFirst(spelled.count).drop { $0 == " " || $0 == "\t" }
                if rest.hasPrefix("=") { return i + 1 }
            }
        }
        if let header { return header }
        if let table { return line(of: table, in: nil) }
        return nil
    }
}
