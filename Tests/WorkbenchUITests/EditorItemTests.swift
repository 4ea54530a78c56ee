import Foundation
import RerankKit
import Testing
@testable import WorkbenchUI

/// The editor (issue 20, item 19): Ctrl-Home/End, horizontal scroll out of focus, the status
/// line after a fix, and what help says works "everywhere".
@Suite struct EditorItemTests {
    func press(_ state: inout WorkbenchState, _ keys: Key...) {
        for k in keys { _ = WorkbenchReducer.reduce(&state, .key(k)) }
    }

    func type(_ state: inout WorkbenchState, _ text: String) {
        for c in text { _ = WorkbenchReducer.reduce(&state, .key(.char(c))) }
    }

    @Test func ctrlHomeAndCtrlEndGoToTheStartAndEndOfTheText() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.focus = .prompt
        s.editor = TextEditor(text: "first line\nsecond\nlast one")
        press(&s, .down, .right, .right)
        press(&s, .ctrlEnd)
        #expect((s.editor.row, s.editor.column) == (2, 8))
        press(&s, .ctrlHome)
        #expect((s.editor.row, s.editor.column) == (0, 0))
        #expect(s.editor.text == "first line\nsecond\nlast one" && !s.editor.isDirty)
    }

    @Test func theEditorShowsLinesFromTheirStartOnceItLosesFocus() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        // With soft wrap off (Alt-W): long lines scroll sideways.
        s.softWrap = false
        s.editor = TextEditor(text: "START " + (1...40).map { "word\($0)" }.joined(separator: " ") + " END")
        press(&s, .char("1"), .end)
        let editing = WorkbenchView.render(s).text
        #expect(editing.contains("END") && !editing.contains("START"), "the focused editor follows the cursor")
        press(&s, .escape)
        #expect(s.focus == .queries)
        let left = WorkbenchView.render(s).text
        #expect(left.contains("  1 START word1") && !left.contains("word40 END"), "\(left)")
    }

    @Test func aPromptErrorLeavesTheStatusLineOnceFixed() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.settings.mode = .template
        s.editor = TextEditor(text: "Rate {query} against")
        press(&s, .char("r"))
        #expect(s.statusIsError && s.status.hasPrefix("prompt: "), "\(s.status)")
        #expect(s.focus == .prompt)
        press(&s, .end)
        #expect(s.statusIsError, "nothing fixed yet")
        type(&s, " {document}")
        #expect(s.status.isEmpty && !s.statusIsError, "\(s.status)")
    }

    @Test func aRefusedSettingLeavesTheStatusLineOnceAValueIsTaken() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.focus = .settings
        s.settingsCursor = SettingField.temperature.rawValue
        press(&s, .enter, .ctrl("u"))
        type(&s, "warm")
        press(&s, .enter)
        #expect(s.statusIsError && s.status.contains("\"warm\" is not a valid value"))
        press(&s, .down)
        #expect(s.statusIsError, "moving fixes nothing")
        press(&s, .up, .enter, .ctrl("u"))
        type(&s, "0.5")
        press(&s, .enter)
        #expect(s.settings.temperature == 0.5)
        #expect(s.status.isEmpty && !s.statusIsError, "\(s.status)")
    }

    /// A key that types a letter in the editor is never listed as working everywhere.
    @Test func helpSaysWhereEachKeyWorks() {
        let everywhere = Keymap.standard.helpLines.filter { $0.scope == "everywhere" }
        for line in everywhere {
            for key in line.keys.split(separator: " ") {
                #expect(key.count > 1 || !(key.first?.isLetter ?? false) && key != "?" && key != ":" && key != "/",
                        "\(key) types in the editor but help lists it everywhere (\(line.title))")
            }
        }
        let run = Keymap.standard.helpLines.filter { $0.title == Command.run.title }
        #expect(run.map(\.keys) == ["F5 Ctrl-R", "r"] && run.map(\.scope) == ["everywhere", "outside the editor"])
        #expect(Keymap.standard.helpLines.contains { $0.keys == "q" && $0.scope == "outside the editor" })
        #expect(Keymap.standard.helpLines.contains { $0.keys == "o" && $0.scope == "outside the editor" })
    }
}
