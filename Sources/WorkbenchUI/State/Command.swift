/// Everything a user can do by name: the keymap binds keys to these, the key bar and the help
/// overlay list them, and the command palette runs them. One table, so they cannot drift.
public enum Command: String, Sendable, CaseIterable, Hashable {
    case run, cancelRun, focusNext, focusPrevious, focusPrompt, focusSettings, focusQueries, focusResults, focusMetrics
    case help, palette, quit, pinA, compare, clearPin, savePrompt, exportConfig, openDataset, externalEditor
    case sortQueries, filterQueries, openDetail, undo, redo, leaveEditor, moveUp, moveDown, pageUp, pageDown
    case settingNext, settingPrevious, editSetting, toggleInsert, reloadProviders, giveAPIKey

    public var title: String {
        switch self {
        case .run: return "Run the reranker on the dataset"
        case .cancelRun: return "Cancel the run (completed scores are kept)"
        case .focusNext: return "Next pane"
        case .focusPrevious: return "Previous pane"
        case .focusPrompt: return "Go to the prompt editor"
        case .focusSettings: return "Go to the run settings"
        case .focusQueries: return "Go to the queries"
        case .focusResults: return "Go to the results"
        case .focusMetrics: return "Go to the metrics"
        case .help: return "Show all keys"
        case .palette: return "Command palette"
        case .quit: return "Quit"
        case .pinA: return "Pin the current run as A"
        case .compare: return "Compare pinned A with the current run B"
        case .clearPin: return "Forget the pinned run A"
        case .savePrompt: return "Save the prompt to Prompts/ with its metrics"
        case .exportConfig: return "Export a mem0 reranker config (JSON)"
        case .openDataset: return "Open a dataset"
        case .externalEditor: return "Edit the prompt in $EDITOR"
        case .sortQueries: return "Sort queries (file, delta, NDCG, id)"
        case .filterQueries: return "Filter queries"
        case .openDetail: return "Open / detail"
        case .undo: return "Undo"
        case .redo: return "Redo"
        case .leaveEditor: return "Leave the editor"
        case .moveUp: return "Up"
        case .moveDown: return "Down"
        case .pageUp: return "Page up"
        case .pageDown: return "Page down"
        case .settingNext: return "Next value"
        case .settingPrevious: return "Previous value"
        case .editSetting: return "Type a value"
        case .toggleInsert: return "Insert / overwrite"
        case .reloadProviders: return "Re-check providers (keys, local servers)"
        case .giveAPIKey: return "Give an API key for this session (never stored)"
        }
    }

    /// A short word for the key bar.
    public var short: String {
        switch self {
        case .run: return "run"
        case .cancelRun: return "cancel"
        case .focusNext: return "pane"
        case .help: return "help"
        case .palette: return "commands"
        case .quit: return "quit"
        case .pinA: return "pin A"
        case .compare: return "compare"
        case .savePrompt: return "save"
        case .exportConfig: return "export"
        case .openDataset: return "open"
        case .externalEditor: return "$EDITOR"
        case .sortQueries: return "sort"
        case .filterQueries: return "filter"
        case .openDetail: return "detail"
        case .undo: return "undo"
        case .redo: return "redo"
        case .leaveEditor: return "leave"
        case .settingNext: return "change"
        case .editSetting: return "type"
        default: return title.lowercased()
        }
    }
}

/// Which keys do what, in which pane. The first binding of a command is the one shown.
public struct Keymap: Sendable {
    public struct Binding: Sendable {
        public var keys: [Key]
        public var command: Command
        /// Panes where it applies; empty = everywhere.
        public var focus: Set<Focus>
        /// Shown in the bottom key bar of those panes.
        public var inBar: Bool
    }

    public let bindings: [Binding]

    public static let standard = Keymap(bindings: [
        Binding(keys: [.char("r"), .function(5), .ctrl("r")], command: .run, focus: [.settings, .queries, .results, .metrics], inBar: true),
        Binding(keys: [.ctrl("r"), .function(5)], command: .run, focus: [.prompt], inBar: true),
        Binding(keys: [.escape, .ctrl("c")], command: .cancelRun, focus: [], inBar: false),
        Binding(keys: [.tab], command: .focusNext, focus: [], inBar: true),
        Binding(keys: [.backTab], command: .focusPrevious, focus: [], inBar: false),
        Binding(keys: [.char("1")], command: .focusPrompt, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.char("2")], command: .focusSettings, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.char("3")], command: .focusQueries, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.char("4")], command: .focusResults, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.char("5")], command: .focusMetrics, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.char("?"), .function(1)], command: .help, focus: [.settings, .queries, .results, .metrics], inBar: true),
        Binding(keys: [.function(1)], command: .help, focus: [.prompt], inBar: true),
        Binding(keys: [.char(":"), .ctrl("p")], command: .palette, focus: [.settings, .queries, .results, .metrics], inBar: true),
        Binding(keys: [.ctrl("p")], command: .palette, focus: [.prompt], inBar: true),
        Binding(keys: [.char("q")], command: .quit, focus: [.settings, .queries, .results, .metrics], inBar: true),
        Binding(keys: [.ctrl("q")], command: .quit, focus: [.prompt], inBar: false),
        Binding(keys: [.char("p")], command: .pinA, focus: [.queries, .results, .metrics], inBar: true),
        Binding(keys: [.char("c")], command: .compare, focus: [.queries, .results, .metrics], inBar: true),
        Binding(keys: [.char("P")], command: .clearPin, focus: [.queries, .results, .metrics], inBar: false),
        Binding(keys: [.ctrl("s")], command: .savePrompt, focus: [], inBar: false),
        Binding(keys: [.char("x")], command: .exportConfig, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.char("o"), .ctrl("o")], command: .openDataset, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.ctrl("o")], command: .openDataset, focus: [.prompt], inBar: false),
        Binding(keys: [.ctrl("e")], command: .externalEditor, focus: [], inBar: false),
        Binding(keys: [.char("s")], command: .sortQueries, focus: [.queries], inBar: true),
        Binding(keys: [.char("/")], command: .filterQueries, focus: [.queries], inBar: true),
        Binding(keys: [.enter], command: .openDetail, focus: [.queries, .results], inBar: true),
        Binding(keys: [.ctrl("z")], command: .undo, focus: [.prompt], inBar: true),
        Binding(keys: [.ctrl("y")], command: .redo, focus: [.prompt], inBar: true),
        Binding(keys: [.escape], command: .leaveEditor, focus: [.prompt], inBar: true),
        Binding(keys: [.insert], command: .toggleInsert, focus: [.prompt], inBar: false),
        Binding(keys: [.up, .char("k")], command: .moveUp, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.down, .char("j")], command: .moveDown, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.pageUp], command: .pageUp, focus: [.queries, .results], inBar: false),
        Binding(keys: [.pageDown], command: .pageDown, focus: [.queries, .results], inBar: false),
        Binding(keys: [.right, .char("l"), .char(" ")], command: .settingNext, focus: [.settings], inBar: true),
        Binding(keys: [.left, .char("h")], command: .settingPrevious, focus: [.settings], inBar: false),
        Binding(keys: [.enter], command: .editSetting, focus: [.settings], inBar: true),
        Binding(keys: [.char("R")], command: .reloadProviders, focus: [.settings], inBar: false),
        Binding(keys: [.char("K")], command: .giveAPIKey, focus: [.settings], inBar: false),
    ])

    /// The command a key runs in a pane, if any.
    public func command(for key: Key, focus: Focus) -> Command? {
        bindings.first { ($0.focus.isEmpty || $0.focus.contains(focus)) && $0.keys.contains(key) }?.command
    }

    /// The first key bound to `command` in `focus`.
    public func key(for command: Command, focus: Focus) -> Key? {
        bindings.first { $0.command == command && ($0.focus.isEmpty || $0.focus.contains(focus)) }?.keys.first
    }

    /// Key bar entries for a pane.
    public func bar(for focus: Focus) -> [(String, String)] {
        var seen = Set<Command>()
        var out: [(String, String)] = []
        for b in bindings where b.inBar && (b.focus.isEmpty || b.focus.contains(focus)) && seen.insert(b.command).inserted {
            out.append((b.keys[0].label, b.command.short))
        }
        return out
    }

    /// Help lines: keys, what they do, and where.
    public var helpLines: [(keys: String, title: String, scope: String)] {
        var merged: [(Command, [String], Set<Focus>)] = []
        for b in bindings {
            if let i = merged.firstIndex(where: { $0.0 == b.command }) {
                for k in b.keys.map(\.label) where !merged[i].1.contains(k) { merged[i].1.append(k) }
                merged[i].2.formUnion(b.focus.isEmpty ? Set(Focus.allCases) : b.focus)
            } else {
                merged.append((b.command, b.keys.map(\.label), b.focus.isEmpty ? Set(Focus.allCases) : b.focus))
            }
        }
        return merged.map { c, keys, focus in
            let scope = focus.count == Focus.allCases.count ? "everywhere" : focus.sorted { $0.rawValue < $1.rawValue }.map(\.name).joined(separator: ", ")
            return (keys.joined(separator: " "), c.title, scope)
        }
    }
}

/// The panes of the main screen, numbered as the number keys reach them.
public enum Focus: Int, Sendable, CaseIterable, Hashable, Codable {
    case prompt = 1, settings, queries, results, metrics

    public var name: String {
        switch self {
        case .prompt: return "Prompt"
        case .settings: return "Settings"
        case .queries: return "Queries"
        case .results: return "Results"
        case .metrics: return "Metrics"
        }
    }
}
