/// The colours the workbench draws with, by what they mean.
///
/// Views draw in the dark theme's colours (focus cyan, rises green, drops red, flags yellow,
/// placeholders magenta, folders blue, and white for the frames of panes not in focus), each
/// colour standing for one role; `apply` then repaints every cell in the user's theme, so no
/// view needs to know which theme is on. `NO_COLOR` and `TERM=dumb` skip this and drop colour.
public struct Theme: Sendable, Hashable {
    /// A role a config file can recolour, by the name it uses there.
    public enum Role: String, Sendable, CaseIterable, Hashable {
        /// Frames and titles of the panes not in focus.
        case pane
        /// The pane in focus, the tab in focus, the progress bar and other accents.
        case focus
        /// Metrics and ranks that went up, good labels, ready providers.
        case up
        /// Metrics and ranks that went down, failures, errors.
        case down
        /// Flags on results (cut, no number, fail→0.5), warnings, the keys of the key bar.
        case flag
        /// `{query}` and `{document}` in the prompt, clamped scores, search matches.
        case highlight
        /// Folders in the file picker.
        case folder

        /// The colour views draw this role in (the dark theme's).
        var drawnAs: TermColor {
            switch self {
            case .pane: return .white
            case .focus: return .cyan
            case .up: return .green
            case .down: return .red
            case .flag: return .yellow
            case .highlight: return .magenta
            case .folder: return .blue
            }
        }

        /// What the role covers, for the README and messages.
        public var meaning: String {
            switch self {
            case .pane: return "frames of panes not in focus"
            case .focus: return "the pane and tab in focus, the progress bar"
            case .up: return "rises, good labels, ready providers"
            case .down: return "drops, failures, errors"
            case .flag: return "flags, warnings, the key bar's keys"
            case .highlight: return "{query}/{document}, clamped scores, search matches"
            case .folder: return "folders in the file picker"
            }
        }
    }

    public var name: String
    public var colors: [Role: TermColor]

    public init(name: String, colors: [Role: TermColor]) {
        self.name = name
        self.colors = colors
    }

    /// Today's look: colours on the terminal's own (usually dark) background.
    public static let dark = Theme(name: "dark", colors: [
        .pane: .standard, .focus: .cyan, .up: .green, .down: .red, .flag: .yellow, .highlight: .magenta, .folder: .blue,
    ])

    /// For light backgrounds, where yellow and cyan are hard to read.
    public static let light = Theme(name: "light", colors: [
        .pane: .black, .focus: .blue, .up: .green, .down: .red, .flag: .magenta, .highlight: .blue, .folder: .blue,
    ])

    public static let builtIn: [Theme] = [.dark, .light]

    public static func named(_ name: String) -> Theme? { builtIn.first { $0.name == name } }

    /// The colour a role is shown in.
    public func color(_ role: Role) -> TermColor { colors[role] ?? Theme.dark.colors[role]! }

    /// The grid with each role's colour replaced by this theme's.
    public func apply(to grid: ScreenGrid) -> ScreenGrid {
        // A table by raw value, not a dictionary: this runs for both colours of every cell of
        // every frame (a hash per lookup was a tenth of a 200x60 frame).
        var table = TermColor.allCases
        for role in Role.allCases { table[Int(role.drawnAs.rawValue)] = color(role) }
        if table == TermColor.allCases { return grid }
        var g = grid
        g.recolor { table[Int($0.rawValue)] }
        return g
    }
}

extension TermColor {
    /// The names a config file uses for colours (`default` is the terminal's own).
    public var name: String { self == .standard ? "default" : String(describing: self) }

    public static func named(_ name: String) -> TermColor? { allCases.first { $0.name == name.lowercased() } }
}
