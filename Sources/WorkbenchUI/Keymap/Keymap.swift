/// Which keys do what: in which pane (`bindings`), and inside each modal and the filter line
/// (`contextBindings`). The key bar, the help overlay, the palette and the reducers all read
/// this one table, so what the screen says a key does is what it does.
public struct Keymap: Sendable {
    public struct Binding: Sendable {
        public var keys: [Key]
        public var command: Command
        /// Panes where it applies; empty = everywhere.
        public var focus: Set<Focus>
        /// Shown in the bottom key bar of those panes.
        public var inBar: Bool
        /// How the bar and help spell the keys when one name stands for all of them ("0-9").
        public var barKeys: String? = nil
    }

    /// The main screen's keys; the first binding of a command is the one shown.
    public let bindings: [Binding]
    /// The keys of each modal and of the filter line, as lazygit gives each popup its own
    /// context. In one context the first row that matches a key wins.
    public let contextBindings: [ContextBinding]

    public static let standard = Keymap(bindings: [
        // In the Results pane a digit is the selected memory's label, so the digits do not move
        // between panes there (Tab and Shift-Tab do). First in the table, so the pane's bar
        // shows them first.
        Binding(keys: (0...9).map { Key.char(Character(String($0))) }, command: .setLabel, focus: [.results], inBar: true, barKeys: "0-9"),
        Binding(keys: [.char("u")], command: .unjudge, focus: [.results], inBar: true),
        Binding(keys: [.char("S")], command: .saveLabels, focus: [.results], inBar: true),
        Binding(keys: [.char("S")], command: .saveLabels, focus: [.settings, .queries, .metrics], inBar: false),
        Binding(keys: [.ctrl("z")], command: .undoLabel, focus: [.results], inBar: false),
        Binding(keys: [.ctrl("y")], command: .redoLabel, focus: [.results], inBar: false),
        Binding(keys: [.char("r"), .function(5), .ctrl("r")], command: .run, focus: [.settings, .queries, .results, .metrics], inBar: true),
        Binding(keys: [.ctrl("r"), .function(5)], command: .run, focus: [.prompt], inBar: true),
        Binding(keys: [.escape, .ctrl("c")], command: .cancelRun, focus: [], inBar: false),
        Binding(keys: [.tab], command: .focusNext, focus: [], inBar: true),
        Binding(keys: [.backTab], command: .focusPrevious, focus: [], inBar: false),
        Binding(keys: [.char("1")], command: .focusPrompt, focus: [.settings, .queries, .metrics], inBar: false),
        Binding(keys: [.char("2")], command: .focusSettings, focus: [.settings, .queries, .metrics], inBar: false),
        Binding(keys: [.char("3")], command: .focusQueries, focus: [.settings, .queries, .metrics], inBar: false),
        Binding(keys: [.char("4")], command: .focusResults, focus: [.settings, .queries, .metrics], inBar: false),
        Binding(keys: [.char("5")], command: .focusMetrics, focus: [.settings, .queries, .metrics], inBar: false),
        Binding(keys: [.char("?"), .function(1)], command: .help, focus: [.settings, .queries, .results, .metrics], inBar: true),
        Binding(keys: [.function(1)], command: .help, focus: [.prompt], inBar: true),
        Binding(keys: [.char(":"), .ctrl("p")], command: .palette, focus: [.settings, .queries, .results, .metrics], inBar: true),
        Binding(keys: [.ctrl("p")], command: .palette, focus: [.prompt], inBar: true),
        Binding(keys: [.char("q")], command: .quit, focus: [.settings, .queries, .results, .metrics], inBar: true),
        Binding(keys: [.ctrl("q")], command: .quit, focus: [.prompt], inBar: false),
        Binding(keys: [.char("p")], command: .pinA, focus: [.queries, .results, .metrics], inBar: true),
        Binding(keys: [.char("c")], command: .compare, focus: [.queries, .results, .metrics], inBar: true),
        Binding(keys: [.char("d")], command: .diff, focus: [.queries, .results, .metrics], inBar: false),
        Binding(keys: [.char("T")], command: .confirmOnTest, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.char("P")], command: .clearPin, focus: [.queries, .results, .metrics], inBar: false),
        // The calibration view belongs with the metrics and their histogram: in that pane's
        // bar, and reachable from every pane but the editor (where C is typed).
        Binding(keys: [.char("C")], command: .calibration, focus: [.metrics], inBar: true),
        Binding(keys: [.char("C")], command: .calibration, focus: [.settings, .queries, .results], inBar: false),
        Binding(keys: [.char("t")], command: .tune, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.char("A")], command: .probes, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.ctrl("s")], command: .savePrompt, focus: [], inBar: false),
        Binding(keys: [.char("H")], command: .promptHistory, focus: [.settings, .queries, .results, .metrics], inBar: false),
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
        // The input layer reads Alt as Esc and a key at once, so Alt-W is a key of its own.
        Binding(keys: [.alt("w")], command: .toggleWrap, focus: [.prompt], inBar: false),
        Binding(keys: [.ctrl("f")], command: .searchPrompt, focus: [.prompt], inBar: true),
        // Ctrl-Shift-G reaches a program as Ctrl-G, so "previous" is Shift-F3 or Alt-G.
        Binding(keys: [.ctrl("g"), .function(3)], command: .searchNext, focus: [.prompt], inBar: false),
        Binding(keys: [.function(15), .alt("g")], command: .searchPrevious, focus: [.prompt], inBar: false),
        Binding(keys: [.up, .char("k")], command: .moveUp, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.down, .char("j")], command: .moveDown, focus: [.settings, .queries, .results, .metrics], inBar: false),
        Binding(keys: [.pageUp], command: .pageUp, focus: [.queries, .results], inBar: false),
        Binding(keys: [.pageDown], command: .pageDown, focus: [.queries, .results], inBar: false),
        Binding(keys: [.right, .char("l"), .char(" ")], command: .settingNext, focus: [.settings], inBar: true),
        Binding(keys: [.left, .char("h")], command: .settingPrevious, focus: [.settings], inBar: false),
        Binding(keys: [.enter], command: .editSetting, focus: [.settings], inBar: true),
        Binding(keys: [.char("R")], command: .reloadProviders, focus: [.settings], inBar: false),
        Binding(keys: [.char("K")], command: .giveAPIKey, focus: [.settings], inBar: false),
    ], contextBindings: [
        // Help: the arrows scroll; any other key closes it.
        ContextBinding(.keys([.down, .char("j")]), .help(.scroll(1)), "scroll", barKeys: "↑↓"),
        ContextBinding(.keys([.up, .char("k")]), .help(.scroll(-1)), "scroll", inBar: false),
        ContextBinding(.keys([.pageDown]), .help(.scroll(10)), "scroll", inBar: false),
        ContextBinding(.keys([.pageUp]), .help(.scroll(-10)), "scroll", inBar: false),
        ContextBinding(.anyOtherKey, .help(.close), "close", barKeys: "any key"),

        ContextBinding(.anyCharacter, .palette(.type), "search"),
        ContextBinding(.keys([.down, .ctrl("n")]), .palette(.move(1)), "choose", barKeys: "↑↓"),
        ContextBinding(.keys([.up]), .palette(.move(-1)), "choose", inBar: false),
        ContextBinding(.keys([.backspace]), .palette(.erase), "search", inBar: false),
        ContextBinding(.keys([.enter]), .palette(.run), "run"),
        ContextBinding(.keys([.escape]), .palette(.close), "close"),

        // Candidate detail, compare A/B and calibration: long texts to read, then close.
        ContextBinding(.keys([.down, .char("j")]), .scrollingView(.scroll(1)), "scroll", barKeys: "↑↓ PgUp PgDn"),
        ContextBinding(.keys([.up, .char("k")]), .scrollingView(.scroll(-1)), "scroll", inBar: false),
        ContextBinding(.keys([.pageDown, .char(" ")]), .scrollingView(.scroll(10)), "scroll", inBar: false),
        ContextBinding(.keys([.pageUp]), .scrollingView(.scroll(-10)), "scroll", inBar: false),
        // `c` closes the compare view it opened, so c-c flips back to the panes; `C` likewise
        // for the calibration view.
        ContextBinding(.keys([.escape, .char("q"), .enter, .char("c"), .char("C")]), .scrollingView(.close), "close"),

        // The diff: a list of queries to walk, a filter, close (d closes the view it opened).
        ContextBinding(.keys([.down, .char("j")]), .diff(.move(1)), "query", barKeys: "↑↓"),
        ContextBinding(.keys([.up, .char("k")]), .diff(.move(-1)), "query", inBar: false),
        ContextBinding(.keys([.pageDown]), .diff(.move(10)), "query", inBar: false),
        ContextBinding(.keys([.pageUp]), .diff(.move(-10)), "query", inBar: false),
        ContextBinding(.keys([.char("w")]), .diff(.toggleWorseOnly), "worse only"),
        ContextBinding(.keys([.escape, .char("q"), .char("d")]), .diff(.close), "close"),

        // The tune: its lineage to walk, a candidate to load, the tune to stop or start anew
        // (t closes the view it opened; the tune goes on in the background).
        ContextBinding(.keys([.down, .char("j")]), .tune(.move(1)), "candidate", barKeys: "↑↓"),
        ContextBinding(.keys([.up, .char("k")]), .tune(.move(-1)), "candidate", inBar: false),
        ContextBinding(.keys([.pageDown, .char(" ")]), .tune(.scroll(10)), "scroll", barKeys: "PgUp PgDn"),
        ContextBinding(.keys([.pageUp]), .tune(.scroll(-10)), "scroll", inBar: false),
        ContextBinding(.keys([.char("l"), .enter]), .tune(.load), "load into editor"),
        ContextBinding(.keys([.char("s")]), .tune(.stop), "stop tune"),
        ContextBinding(.keys([.char("n")]), .tune(.startNew), "new tune"),
        ContextBinding(.keys([.escape, .char("q"), .char("t")]), .tune(.close), "close"),
        // The probes: attacks to check, the probe to run or stop (Ctrl-C, as a run's), a query to
        // open (A closes the view it opened; the probe goes on in the background).
        ContextBinding(.keys([.down, .char("j")]), .probes(.move(1)), "choose", barKeys: "↑↓"),
        ContextBinding(.keys([.up, .char("k")]), .probes(.move(-1)), "choose", inBar: false),
        ContextBinding(.keys([.pageDown]), .probes(.move(10)), "choose", inBar: false),
        ContextBinding(.keys([.pageUp]), .probes(.move(-10)), "choose", inBar: false),
        ContextBinding(.keys([.char(" "), .char("x")]), .probes(.toggle), "check"),
        ContextBinding(.keys([.char("+"), .char("=")]), .probes(.perQuery(1)), "per query", barKeys: "+ -"),
        ContextBinding(.keys([.char("-")]), .probes(.perQuery(-1)), "per query", inBar: false),
        ContextBinding(.keys([.char("r")]), .probes(.run), "probe"),
        ContextBinding(.keys([.char("s"), .ctrl("c")]), .probes(.stop), "stop"),
        ContextBinding(.keys([.enter]), .probes(.open), "open"),
        ContextBinding(.keys([.escape, .char("q"), .char("A")]), .probes(.close), "close"),
        // One probed query: its ranking to walk, the selected memory's messages to scroll.
        ContextBinding(.keys([.down, .char("j")]), .probeQuery(.move(1)), "memory", barKeys: "↑↓"),
        ContextBinding(.keys([.up, .char("k")]), .probeQuery(.move(-1)), "memory", inBar: false),
        ContextBinding(.keys([.pageDown, .char(" ")]), .probeQuery(.scroll(10)), "scroll", barKeys: "PgUp PgDn"),
        ContextBinding(.keys([.pageUp]), .probeQuery(.scroll(-10)), "scroll", inBar: false),
        ContextBinding(.keys([.escape, .char("q"), .enter]), .probeQuery(.close), "back"),
        // The prompt history: walk the versions, mark one as A, diff, load into the editor.
        ContextBinding(.keys([.down, .char("j")]), .promptHistory(.move(1)), "choose", barKeys: "↑↓"),
        ContextBinding(.keys([.up, .char("k")]), .promptHistory(.move(-1)), "choose", inBar: false),
        ContextBinding(.keys([.pageDown]), .promptHistory(.move(10)), "choose", inBar: false),
        ContextBinding(.keys([.pageUp]), .promptHistory(.move(-10)), "choose", inBar: false),
        ContextBinding(.keys([.char("m"), .char(" ")]), .promptHistory(.mark), "mark A"),
        ContextBinding(.keys([.char("d")]), .promptHistory(.diff), "diff"),
        ContextBinding(.keys([.enter]), .promptHistory(.load), "load into editor"),
        ContextBinding(.keys([.escape, .char("q"), .char("H")]), .promptHistory(.close), "close"),

        // The dataset file changed on disk: only a deliberate m or f writes or drops anything.
        ContextBinding(.keys([.char("m"), .char("M")]), .labelConflict(.keepMine), "keep mine"),
        ContextBinding(.keys([.char("f"), .char("F")]), .labelConflict(.takeTheirs), "take the file's"),
        ContextBinding(.anyOtherKey, .labelConflict(.cancel), "cancel"),

        ContextBinding(.keys([.down, .char("j")]), .filePicker(.move(1)), "choose", barKeys: "↑↓"),
        ContextBinding(.keys([.up, .char("k")]), .filePicker(.move(-1)), "choose", inBar: false),
        ContextBinding(.keys([.enter, .right]), .filePicker(.open), "open"),
        ContextBinding(.keys([.backspace, .left, .char("h")]), .filePicker(.parentFolder), "up a folder"),
        ContextBinding(.keys([.escape]), .filePicker(.close), "close"),

        // Quitting with unsaved edits: only a deliberate y or s acts; a stray key stays.
        ContextBinding(.keys([.char("y"), .char("Y")]), .confirmQuit(.quit), "quit, edits stay in the session"),
        ContextBinding(.keys([.char("s"), .char("S")]), .confirmQuit(.saveFirst), "save first"),
        ContextBinding(.anyOtherKey, .confirmQuit(.stay), "stay"),

        ContextBinding(.keys([.char("y"), .char("Y")]), .confirm(.yes), "yes"),
        ContextBinding(.anyOtherKey, .confirm(.no), "no"),

        ContextBinding(.anyCharacter, .input(.type), "edit"),
        ContextBinding(.keys([.backspace]), .input(.erase), "edit", inBar: false),
        // As in a shell: Ctrl-U clears the whole field.
        ContextBinding(.keys([.ctrl("u")]), .input(.clear), "edit", inBar: false),
        ContextBinding(.keys([.enter]), .input(.accept), "accept"),
        ContextBinding(.keys([.escape]), .input(.cancel), "cancel"),

        ContextBinding(.anyOtherKey, .message(.close), "close", barKeys: "any key"),

        // The prompt search line (Ctrl-F): typing searches as it goes.
        ContextBinding(.anyCharacter, .search(.type), "search"),
        ContextBinding(.keys([.backspace]), .search(.erase), "search", inBar: false),
        ContextBinding(.keys([.ctrl("g"), .function(3), .down]), .search(.next), "next"),
        ContextBinding(.keys([.function(15), .alt("g"), .up]), .search(.previous), "previous"),
        ContextBinding(.keys([.enter]), .search(.keep), "keep"),
        ContextBinding(.keys([.escape]), .search(.close), "close"),

        ContextBinding(.anyCharacter, .filter(.type), "filter"),
        ContextBinding(.keys([.backspace]), .filter(.erase), "filter", inBar: false),
        ContextBinding(.keys([.enter]), .filter(.keep), "keep"),
        ContextBinding(.keys([.escape]), .filter(.clear), "clear"),
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
            out.append((b.barKeys ?? b.keys[0].label, b.command.short))
        }
        return out
    }

    /// What `key` means in `context`, if anything.
    public func command(for key: Key, in context: KeyContext) -> ContextCommand? {
        contextBindings.first { $0.command.context == context && $0.keys.matches(key) }?.command
    }

    /// Whether a row of `context` lists `key` by name (not only as "any other key").
    public func names(_ key: Key, in context: KeyContext) -> Bool {
        contextBindings.contains { $0.command.context == context && $0.keys != .anyOtherKey && $0.keys != .anyCharacter && $0.keys.matches(key) }
    }

    /// Key bar entries for a context, in table order.
    public func bar(for context: KeyContext) -> [(String, String)] {
        contextBindings.filter { $0.command.context == context && $0.inBar }.map { ($0.barKeys ?? $0.keys.label, $0.word) }
    }

    /// Help lines for the main screen: keys, what they do, and where.
    ///
    /// Keys of one command that work in different panes get a line each: `r` runs outside the
    /// editor, where it types an r, while Ctrl-R and F5 run everywhere; one line for all three
    /// would say `r` works everywhere.
    public var helpLines: [(keys: String, title: String, scope: String)] {
        // Per command, in table order: each key and the panes it works in.
        var commands: [Command] = []
        var panes: [Command: [(key: String, focus: Set<Focus>)]] = [:]
        for b in bindings {
            if panes[b.command] == nil { commands.append(b.command) }
            for label in b.barKeys.map({ [$0] }) ?? b.keys.map(\.label) {
                let focus = b.focus.isEmpty ? Set(Focus.allCases) : b.focus
                if let i = panes[b.command, default: []].firstIndex(where: { $0.key == label }) {
                    panes[b.command]![i].focus.formUnion(focus)
                } else {
                    panes[b.command, default: []].append((label, focus))
                }
            }
        }
        var out: [(keys: String, title: String, scope: String)] = []
        for command in commands {
            var groups: [(keys: [String], focus: Set<Focus>)] = []
            for (key, focus) in panes[command] ?? [] {
                if let i = groups.firstIndex(where: { $0.focus == focus }) { groups[i].keys.append(key) } else { groups.append(([key], focus)) }
            }
            // The widest scope first: "F5 Ctrl-R everywhere" before "r outside the editor".
            let widestFirst = groups.enumerated().sorted { ($1.element.focus.count, $0.offset) < ($0.element.focus.count, $1.offset) }
            for (_, g) in widestFirst {
                out.append((g.keys.joined(separator: " "), command.title, Self.scope(g.focus)))
            }
        }
        return out
    }

    /// Where a key works, as help says it.
    static func scope(_ focus: Set<Focus>) -> String {
        if focus.count == Focus.allCases.count { return "everywhere" }
        if focus == Set(Focus.allCases).subtracting([.prompt]) { return "outside the editor" }
        if focus == [.prompt] { return "in the editor" }
        return focus.sorted { $0.rawValue < $1.rawValue }.map(\.name).joined(separator: ", ")
    }
}
