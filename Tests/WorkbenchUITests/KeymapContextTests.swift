import Foundation
import RerankKit
import Testing
@testable import WorkbenchUI

/// The keymap's modal and filter contexts: every row is reachable, shown in its key bar, and
/// does something in its reducer.
@Suite struct KeymapContextTests {
    static let keymap = Keymap.standard

    /// A key no context binds by name, for rows that take any key.
    static let unboundKey = Key.function(12)

    /// A state where every intent of `context` changes something, so "does nothing" shows.
    static func busyState(_ context: KeyContext) throws -> WorkbenchState {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        switch context {
        case .help: s.modals = [.help(scroll: 20)]
        case .palette: s.modals = [.palette(query: "o", selection: 1)]
        case .scrollingView: s.modals = [.detail(scroll: 20)]
        case .diff:
            s.diff = RunDiff(s.report!, s.report!, metric: s.settings.metrics.primaryMetric)
            s.modals = [.diff(selection: 12, worseOnly: false)]
        case .tune:
            let lineage = TuneViewTests.lineage(start: s.editor.text, confirmed: true).final
            s.tune = TuneProgress(tuneID: 1, lineage: lineage, settings: TuneSettings(), scorer: "vllm m", proposer: "vllm m",
                                  running: true, activity: "round 2", callBound: 900)
            s.modals = [.tune(selection: 2, scroll: 12)]
        case .probes, .probeQuery:
            s = try ProbesViewTests.probed()
            // A probe going, an attack selected: every key of the view has something to do.
            s.probe.progress?.running = true
            s.modals = context == .probes ? [.probes(selection: 2)] : [.probes(selection: 8), .probeQuery(query: 0, selection: 1, scroll: 5)]
        case .filePicker:
            s.modals = [.filePicker(directory: "Datasets", entries: [FileEntry(name: "a", isDirectory: true), FileEntry(name: "b.jsonl", isDirectory: false),
                                                                     FileEntry(name: "c.jsonl", isDirectory: false)], selection: 1)]
        case .confirmQuit: s.modals = [.confirmQuit]
        case .confirm: s.modals = [.confirm(.overwritePrompt(path: "Prompts/x.txt", contents: "x"))]
        case .input: s.modals = [.input(.promptName, text: "abc")]
        case .message: s.modals = [.message(title: "t", body: "b")]
        case .filter:
            s.filtering = true
            s.filter = "pm"
        case .labelConflict:
            s.dataset?.setLabel(0, for: LabelKey(queryID: "pm01", memoryID: "a20"))
            s.labels.record(LabelChange(key: LabelKey(queryID: "pm01", memoryID: "a20"), old: 2, new: 0))
            s.modals = [.labelConflict(edits: 1)]
        case .promptHistory:
            s.promptHistory = WorkbenchFixtures.promptVersions(current: s.dataset!.contentHash)
            s.modals = [.promptHistory(selection: 1, marked: nil)]
        case .search:
            s.focus = .prompt
            s.promptSearch = PromptSearch(query: "score", typing: true)
        }
        return s
    }

    /// The keys a row answers to, as a user could press them.
    static func sampleKeys(_ row: ContextBinding) -> [Key] {
        switch row.keys {
        case let .keys(list): return list
        case .anyCharacter: return [.char("x"), .char("§")]
        case .anyOtherKey: return [unboundKey]
        }
    }

    /// What a key press could change that a user would see or the shell would act on.
    static func fingerprint(_ s: WorkbenchState, _ effects: [Effect]) -> String {
        "\(s.modals) \(s.filter) \(s.filtering) \(s.wantsQuit) \(s.quitAfterSave) \(s.status) \(effects) \(String(describing: s.promptSearch)) \(s.editor.row):\(s.editor.column)"
    }

    static func rows(_ context: KeyContext) -> [ContextBinding] {
        keymap.contextBindings.filter { $0.command.context == context }
    }

    @Test(arguments: KeyContext.allCases) func everyRowIsReachedByItsKeys(context: KeyContext) {
        let rows = Self.rows(context)
        #expect(!rows.isEmpty)
        for row in rows {
            for key in Self.sampleKeys(row) {
                // An earlier row of the context must not take the key first.
                #expect(Self.keymap.command(for: key, in: context) == row.command, "\(context) \(key)")
            }
        }
        // A row that takes every key can only come last: any row after it would be dead.
        if let i = rows.firstIndex(where: { $0.keys == .anyOtherKey }) { #expect(i == rows.count - 1, "\(context)") }
    }

    @Test(arguments: KeyContext.allCases) func everyRowIsShownInItsKeyBar(context: KeyContext) {
        let words = Set(Self.keymap.bar(for: context).map(\.1))
        for row in Self.rows(context) {
            #expect(words.contains(row.word), "\(context): \(row.word) is not in the key bar")
        }
    }

    @Test(arguments: KeyContext.allCases) func everyRowIsHandledByItsReducer(context: KeyContext) throws {
        for row in Self.rows(context) {
            for key in Self.sampleKeys(row) {
                var s = try Self.busyState(context)
                let before = Self.fingerprint(s, [])
                let effects = WorkbenchReducer.reduce(&s, .key(key))
                #expect(Self.fingerprint(s, effects) != before, "\(context) \(key) (\(row.command)) did nothing")
            }
        }
    }

    @Test(arguments: KeyContext.allCases) func keysOutsideTheTableDoNothing(context: KeyContext) throws {
        guard !Self.rows(context).contains(where: { $0.keys == .anyOtherKey }) else { return }
        var s = try Self.busyState(context)
        s.status = ""
        let before = Self.fingerprint(s, [])
        let effects = WorkbenchReducer.reduce(&s, .key(Self.unboundKey))
        // The filter line starts its list again on any key; nothing else moves.
        #expect(Self.fingerprint(s, effects) == before)
    }

    /// The bars the screens showed when they were written out by hand in `ModalView.keys`.
    @Test func keyBarsReadAsBefore() {
        func bar(_ c: KeyContext) -> [String] { Self.keymap.bar(for: c).map { "\($0.0) \($0.1)" } }
        #expect(bar(.help) == ["↑↓ scroll", "any key close"])
        #expect(bar(.palette) == ["type search", "↑↓ choose", "Enter run", "Esc close"])
        #expect(bar(.scrollingView) == ["↑↓ PgUp PgDn scroll", "Esc close"])
        #expect(bar(.filePicker) == ["↑↓ choose", "Enter open", "Bksp up a folder", "Esc close"])
        #expect(bar(.confirmQuit) == ["y quit, edits stay in the session", "s save first", "any other key stay"])
        #expect(bar(.confirm) == ["y yes", "any other key no"])
        #expect(bar(.input) == ["type edit", "Enter accept", "Esc cancel"])
        #expect(bar(.message) == ["any key close"])
        #expect(bar(.filter) == ["type filter", "Enter keep", "Esc clear"])
        #expect(bar(.search) == ["type search", "Ctrl-G next", "S-F3 previous", "Enter keep", "Esc close"])
    }

    @Test func theScreenDrawsTheTablesBar() throws {
        var s = try Self.busyState(.confirm)
        let bottom = WorkbenchView.render(s).text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(bottom.contains("y yes") && bottom.contains("any other key no"))
        s.modals = []
        s.filtering = true
        let filterBar = WorkbenchView.render(s).text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(filterBar.contains("type filter") && filterBar.contains("Esc clear"))
    }

    /// Modal rows stay out of the main help list, which describes the panes.
    @Test func mainHelpListsOnlyPaneCommands() {
        let titles = Set(Self.keymap.helpLines.map(\.title))
        #expect(titles == Set(Self.keymap.bindings.map(\.command.title)))
    }
}
