/// A key press as the UI understands it; the terminal adapter translates curses codes to these.
public enum Key: Hashable, Sendable {
    case char(Character)
    case ctrl(Character)
    /// Alt (Meta) with a character: the terminal sends Esc, then the character at once.
    case alt(Character)
    case enter, tab, backTab, escape, backspace, delete, insert
    case up, down, left, right, home, end, pageUp, pageDown
    case ctrlLeft, ctrlRight, ctrlHome, ctrlEnd
    /// F1-F12, and F13-F24 for Shift-F1 to Shift-F12 (as xterm's terminfo numbers them).
    case function(Int)
    case pasteStart, pasteEnd
    /// A click or a wheel turn: the reducers place it with the layout's pane rectangles.
    case mouse(MouseEvent)

    /// How help and the key bar spell it.
    public var label: String {
        switch self {
        case let .char(c): return c == " " ? "Space" : String(c)
        case let .ctrl(c): return "Ctrl-\(String(c).uppercased())"
        case let .alt(c): return "Alt-\(String(c).uppercased())"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .escape: return "Esc"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .ctrlLeft: return "C-←"
        case .ctrlRight: return "C-→"
        case .ctrlHome: return "C-Home"
        case .ctrlEnd: return "C-End"
        case let .function(n): return n > 12 ? "S-F\(n - 12)" : "F\(n)"
        case .pasteStart, .pasteEnd: return "paste"
        case .mouse: return "mouse"
        }
    }
}
