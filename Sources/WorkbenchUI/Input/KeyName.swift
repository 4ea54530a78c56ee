/// Keys by name, as a config file writes them: the names help and the key bar show (`Ctrl-R`,
/// `F5`, `S-Tab`, `PgDn`, `Space`, `q`) and a few spellings people type (`Up`, `Shift-Tab`,
/// `C-r`, `Escape`, `Shift-F3`).
public enum KeyName {
    /// The key a name means, or nil for a name no key has.
    public static func key(_ name: String) -> Key? {
        let trimmed = String(name.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
        let lower = trimmed.lowercased()
        if let named = named[lower] { return named }
        if trimmed.count == 1, let c = trimmed.first { return c.isLetter || c.isNumber || c.isPunctuation || c.isSymbol ? .char(c) : nil }
        for (prefixes, alt) in [(ctrlPrefixes, false), (altPrefixes, true)] {
            for prefix in prefixes where lower.hasPrefix(prefix) {
                let rest = trimmed.dropFirst(prefix.count)
                if rest.count == 1, let c = rest.first, c.isLetter {
                    let letter = Character(c.lowercased())
                    return alt ? .alt(letter) : .ctrl(letter)
                }
            }
        }
        // Shift with a function key: Shift-F3 is what xterm's terminfo calls F15.
        for prefix in ["s-", "shift-"] where lower.hasPrefix(prefix) {
            if let n = functionNumber(String(lower.dropFirst(prefix.count))), n <= 12 { return .function(n + 12) }
        }
        if let n = functionNumber(lower), n <= 24 { return .function(n) }
        return nil
    }

    /// The names a config file may use, for the message that rejects one.
    public static let hint = "a single character (q, ?, :), Ctrl-X, Alt-X, F1-F12, S-F1-S-F12, Enter, Esc, Tab, S-Tab, Space, Bksp, Del, Ins, Up, Down, Left, Right, Home, End, PgUp, PgDn"

    private static func functionNumber(_ s: String) -> Int? {
        guard s.hasPrefix("f"), let n = Int(s.dropFirst()), n >= 1 else { return nil }
        return n
    }

    private static let ctrlPrefixes = ["ctrl-", "control-", "c-", "^"]
    private static let altPrefixes = ["alt-", "meta-", "m-"]

    private static let named: [String: Key] = [
        "enter": .enter, "return": .enter, "tab": .tab, "s-tab": .backTab, "shift-tab": .backTab, "backtab": .backTab,
        "esc": .escape, "escape": .escape, "bksp": .backspace, "backspace": .backspace, "del": .delete, "delete": .delete,
        "ins": .insert, "insert": .insert, "space": .char(" "),
        "up": .up, "↑": .up, "down": .down, "↓": .down, "left": .left, "←": .left, "right": .right, "→": .right,
        "home": .home, "end": .end, "pgup": .pageUp, "pageup": .pageUp, "pgdn": .pageDown, "pagedown": .pageDown,
        "c-←": .ctrlLeft, "c-→": .ctrlRight, "c-home": .ctrlHome, "c-end": .ctrlEnd,
        "ctrl-left": .ctrlLeft, "ctrl-right": .ctrlRight, "ctrl-home": .ctrlHome, "ctrl-end": .ctrlEnd,
    ]
}
