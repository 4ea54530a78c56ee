import CNCursesW
import Foundation
import WorkbenchUI

/// The only code that calls curses: starts and restores the terminal, copies a `ScreenGrid` to
/// it (changed cells only; curses then sends the minimal update, so nothing flickers) and turns
/// curses key codes into `Key`s. Main thread only.
@MainActor
final class CursesTerminal {
    private var screen: OpaquePointer?
    private var previous: ScreenGrid?
    private var pairs: [Int: Int16] = [:]
    private(set) var colors = false
    let monochrome: Bool
    /// Clicks and the wheel (`--no-mouse` and `mouse = false` leave the mouse to the terminal).
    let mouse: Bool
    /// The characters the keymap binds with Alt (`Keymap.altCharacters`).
    var altCharacters: Set<Character> = []
    nonisolated(unsafe) static var active = false

    // Codes this program asks curses to report for sequences it does not know by itself.
    static let pasteStartCode: Int32 = 0x1F00
    static let pasteEndCode: Int32 = 0x1F01
    static let ctrlLeftCode: Int32 = 0x1F02
    static let ctrlRightCode: Int32 = 0x1F03
    static let ctrlHomeCode: Int32 = 0x1F04
    static let ctrlEndCode: Int32 = 0x1F05

    init(monochrome: Bool, mouse: Bool) {
        self.monochrome = monochrome
        self.mouse = mouse
    }

    /// Starts curses; nil when the terminal cannot be driven (unknown TERM, not a terminal).
    func start() -> String? {
        setlocale(LC_ALL, "")
        // Without a UTF-8 locale curses garbles every non-ASCII character; terminals today are
        // UTF-8, so fall back to C.UTF-8 for character handling when the environment sets none.
        if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) != "UTF-8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            return "rerankbench needs a terminal; for scripts and CI use rerank-eval"
        }
        // A parent may start us with signals blocked (a blocked mask survives exec), and then
        // curses never hears SIGWINCH and the screen never follows a resize. Unblock them.
        var none = sigset_t()
        sigemptyset(&none)
        sigprocmask(SIG_SETMASK, &none, nil)
        signal(SIGWINCH, SIG_DFL)
        // TERM=dumb (or none) promises no cursor addressing; draw with plain VT100 sequences,
        // which every terminal emulator understands, and no colour.
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        screen = (term.isEmpty || term == "dumb") ? rb_newterm("vt100") : rb_newterm(nil)
        guard screen != nil else {
            return "cannot drive the terminal type '\(ProcessInfo.processInfo.environment["TERM"] ?? "")'; try TERM=xterm-256color"
        }
        Self.active = true
        raw()
        noecho()
        nonl()
        keypad(rb_stdscr(), true)
        set_escdelay(25)
        wtimeout(rb_stdscr(), 50)
        curs_set(0)
        if !monochrome, has_colors() {
            start_color()
            use_default_colors()
            colors = true
        }
        define_key("\u{1B}[200~", Self.pasteStartCode)
        define_key("\u{1B}[201~", Self.pasteEndCode)
        define_key("\u{1B}[1;5D", Self.ctrlLeftCode)
        define_key("\u{1B}[1;5C", Self.ctrlRightCode)
        // Ctrl-Home and Ctrl-End as xterm (and tmux, which follows it) and rxvt send them.
        define_key("\u{1B}[1;5H", Self.ctrlHomeCode)
        define_key("\u{1B}[1;5F", Self.ctrlEndCode)
        define_key("\u{1B}[7^", Self.ctrlHomeCode)
        define_key("\u{1B}[8^", Self.ctrlEndCode)
        Self.write("\u{1B}[?2004h")  // bracketed paste on
        if mouse { _ = rb_mouse(1) }
        return nil
    }

    /// Restores the terminal. Safe to call more than once, and from exit and signal paths
    /// (hence nonisolated: by then the UI loop is not running).
    nonisolated static func restore() {
        guard active else { return }
        active = false
        write("\u{1B}[?2004l")
        // Mouse reporting off (normal and SGR), so the shell after us gets no mouse reports
        // even if the process ends without curses' own cleanup.
        _ = rb_mouse(0)
        write("\u{1B}[?1006l\u{1B}[?1000l")
        endwin()
    }

    /// Suspends curses for an external program ($EDITOR) and resumes after it.
    func suspend(_ body: () -> Void) {
        // The editor gets the mouse as the terminal gives it, and ours comes back after.
        if mouse { _ = rb_mouse(0) }
        Self.write("\u{1B}[?2004l")
        def_prog_mode()
        endwin()
        body()
        reset_prog_mode()
        Self.write("\u{1B}[?2004h")
        if mouse { _ = rb_mouse(1) }
        previous = nil
        clearok(rb_stdscr(), true)
        wrefresh(rb_stdscr())
    }

    nonisolated static func write(_ s: String) {
        _ = s.withCString { Foundation.write(STDOUT_FILENO, $0, strlen($0)) }
    }

    var size: (width: Int, height: Int) { (Int(rb_cols()), Int(rb_lines())) }

    private func pair(_ style: Style) -> Int16 {
        guard colors, style.fg != .standard || style.bg != .standard else { return 0 }
        let key = Int(style.fg.rawValue) * 16 + Int(style.bg.rawValue)
        if let p = pairs[key] { return p }
        let p = Int16(pairs.count + 1)
        init_pair(p, Int16(style.fg.rawValue) - 1, style.bg == .standard ? -1 : Int16(style.bg.rawValue) - 1)
        pairs[key] = p
        return p
    }

    private func attributes(_ style: Style) -> Int32 {
        var a: Int32 = 0
        if style.bold { a |= rb_a_bold() }
        if style.dim { a |= rb_a_dim() }
        if style.reverse { a |= rb_a_reverse() }
        if style.underline { a |= rb_a_underline() }
        return a
    }

    /// Copies the cells that changed since the last frame, then refreshes once.
    func draw(_ grid: ScreenGrid) {
        let full = previous == nil || previous!.width != grid.width || previous!.height != grid.height
        if full { werase(rb_stdscr()) }
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if !full, previous![x, y] == cell { continue }
                if cell.text.isEmpty { continue }  // right half of a wide character
                var scalars = cell.text.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
                scalars.append(0)
                _ = rb_put_cell(Int32(y), Int32(x), scalars, attributes(cell.style), pair(cell.style))
            }
        }
        previous = grid
        wrefresh(rb_stdscr())
    }

    /// Forgets the last frame so the next draw repaints everything (after a resize).
    func invalidate() {
        previous = nil
        clearok(rb_stdscr(), true)
    }

    /// A key whose terminfo entry names it with a modifier (xterm's kHOM5 is Ctrl-Home): curses
    /// gives such keys codes it numbers at start-up, so they are known by name, not number.
    static func extendedKey(_ code: Int32) -> Input? {
        guard let name = keyname(code).map({ String(cString: $0) }) else { return nil }
        switch name {
        case "kHOM5": return .key(.ctrlHome)
        case "kEND5": return .key(.ctrlEnd)
        case "kLFT5": return .key(.ctrlLeft)
        case "kRIT5": return .key(.ctrlRight)
        default: return nil
        }
    }

    /// Esc alone, or Alt with a key: a terminal sends Alt-W as Esc then `w` at once. Esc typed
    /// just before another key looks the same (and tmux's send-keys sends `Escape q` so), so
    /// only a character the keymap binds with Alt makes an Alt key; anything else after the
    /// Esc is put back for the next read.
    func altOrEscape() -> Key {
        var next: wint_t = 0
        wtimeout(rb_stdscr(), 0)
        let rc = wget_wch(rb_stdscr(), &next)
        wtimeout(rb_stdscr(), 50)
        guard rc != ERR else { return .escape }
        if rc != rb_key_code_yes(), let scalar = UnicodeScalar(UInt32(next)), altCharacters.contains(Character(scalar)) {
            return .alt(Character(scalar))
        }
        if rc == rb_key_code_yes() { ungetch(Int32(next)) } else { unget_wch(wchar_t(next)) }
        return .escape
    }

    enum Input {
        case key(Key)
        case resize
        /// The terminal went away (window closed, ssh dropped): quit instead of spinning.
        case hangup
    }

    /// Waits up to 50 ms for a key.
    func read() -> Input? {
        var wch: wint_t = 0
        let rc = wget_wch(rb_stdscr(), &wch)
        if rc == ERR {
            // ERR is also what a dead terminal gives, at once and forever; tell it from a timeout.
            var pfd = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, 0) >= 0, pfd.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return .hangup }
            if isatty(STDIN_FILENO) != 1 { return .hangup }
            return nil
        }
        let code = Int32(wch)
        if rc == rb_key_code_yes() {
            switch code {
            case KEY_RESIZE: return .resize
            case KEY_UP: return .key(.up)
            case KEY_DOWN: return .key(.down)
            case KEY_LEFT: return .key(.left)
            case KEY_RIGHT: return .key(.right)
            case KEY_HOME: return .key(.home)
            case KEY_END: return .key(.end)
            case KEY_PPAGE: return .key(.pageUp)
            case KEY_NPAGE: return .key(.pageDown)
            case KEY_BACKSPACE: return .key(.backspace)
            case KEY_DC: return .key(.delete)
            case KEY_IC: return .key(.insert)
            case KEY_BTAB: return .key(.backTab)
            case KEY_ENTER: return .key(.enter)
            case Self.pasteStartCode: return .key(.pasteStart)
            case Self.pasteEndCode: return .key(.pasteEnd)
            case Self.ctrlLeftCode: return .key(.ctrlLeft)
            case Self.ctrlRightCode: return .key(.ctrlRight)
            case Self.ctrlHomeCode: return .key(.ctrlHome)
            case Self.ctrlEndCode: return .key(.ctrlEnd)
            case KEY_F0 + 1...KEY_F0 + 24: return .key(.function(Int(code - KEY_F0)))
            case KEY_MOUSE:
                var x: Int32 = 0
                var y: Int32 = 0
                switch rb_get_mouse(&x, &y) {
                case 1: return .key(.mouse(MouseEvent(.press, x: Int(x), y: Int(y))))
                case 4: return .key(.mouse(MouseEvent(.wheelUp, x: Int(x), y: Int(y))))
                case 5: return .key(.mouse(MouseEvent(.wheelDown, x: Int(x), y: Int(y))))
                default: return nil
                }
            default: return Self.extendedKey(code)
            }
        }
        switch code {
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(altOrEscape())
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.ctrl(Character(UnicodeScalar(UInt8(code) + 96))))
        default:
            guard let scalar = UnicodeScalar(UInt32(code)) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }
}
