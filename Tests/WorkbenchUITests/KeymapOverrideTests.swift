import Foundation
import RerankKit
import Testing
@testable import WorkbenchUI

/// Issue 18 part 4: keys from the config replace the built-in ones, and the key bar, help and
/// palette say so, since they all read the keymap in the state.
@Suite struct KeymapOverrideTests {
    /// Every key the table shows can be written in a config file by the name shown.
    @Test func everyShownKeyNameReadsBackAsItsKey() {
        for b in Keymap.standard.bindings {
            for key in b.keys { #expect(KeyName.key(key.label) == key, "\(key.label)") }
        }
        #expect(KeyName.key("shift-f3") == .function(15))
        #expect(KeyName.key("C-w") == .ctrl("w"))
        #expect(KeyName.key("Hyper-X") == nil)
        #expect(KeyName.key("F25") == nil)
    }

    @Test func anOverrideChangesTheBarHelpAndPalette() async throws {
        var s = try await WorkbenchFixtures.ranState(width: 120, height: 40)
        var config = WorkbenchConfig()
        config.keys = [.pinA: [.char("a")], .run: [.function(6)]]
        s.apply(config)
        s.focus = .queries
        let bar = s.keymap.bar(for: .queries)
        #expect(bar.contains { $0 == ("a", "pin A") })
        #expect(bar.contains { $0 == ("F6", "run") })
        #expect(!bar.contains { $0.0 == "p" })
        let help = s.keymap.helpLines
        #expect(help.contains { $0.keys == "a" && $0.title == Command.pinA.title })
        #expect(help.contains { $0.keys == "F6" && $0.title == Command.run.title && $0.scope == "everywhere" })
        #expect(!help.contains { $0.keys.split(separator: " ").contains("F5") })
        // On screen: the key bar and, in the palette, the key beside the command.
        let bottom = WorkbenchView.render(s).text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(bottom.contains("F6 run") && bottom.contains("a pin A"), "\(bottom)")
        s.modals = [.palette(query: "pin", selection: 0)]
        let palette = WorkbenchView.render(s).text
        let pinRow = try #require(palette.split(separator: "\n").first { $0.contains(Command.pinA.title) })
        #expect(pinRow.contains(" a "), "\(pinRow)")
        // And the keys do what the bar says.
        s.modals = []
        _ = WorkbenchReducer.reduce(&s, .key(.char("p")))
        #expect(s.pinned == nil)
        _ = WorkbenchReducer.reduce(&s, .key(.char("a")))
        #expect(s.pinned != nil)
        #expect(s.keymap.command(for: .function(6), focus: .prompt) == .run)
    }

    /// A plain character is text in the editor: there the command keeps only its other keys.
    @Test func aPlainCharacterDoesNotTakeAKeyFromTheEditor() throws {
        let keymap = try Keymap.standard.overriding([.savePrompt: [.char("w"), .ctrl("w")]])
        #expect(keymap.command(for: .char("w"), focus: .queries) == .savePrompt)
        #expect(keymap.command(for: .char("w"), focus: .prompt) == nil)
        #expect(keymap.command(for: .ctrl("w"), focus: .prompt) == .savePrompt)
        #expect(keymap.command(for: .ctrl("s"), focus: .prompt) == nil)
    }

    @Test func aKeyGivenToTwoCommandsInOnePaneNamesBoth() {
        #expect(throws: KeymapConflict(key: .char("c"), command: .pinA, other: .compare, pane: .queries)) {
            try Keymap.standard.overriding([.pinA: [.char("c")]])
        }
        // Moving the other command away first makes room.
        #expect(throws: Never.self) { try Keymap.standard.overriding([.pinA: [.char("c")], .compare: [.char("m")]]) }
        // Esc both cancels a run and leaves the editor by design: not a conflict.
        #expect(throws: Never.self) { try Keymap.standard.overriding([.leaveEditor: [.escape]]) }
    }

    @Test func aConflictingConfigMadeInCodeKeepsTheBuiltInKeys() throws {
        var s = try WorkbenchFixtures.state(width: 80, height: 24)
        var config = WorkbenchConfig()
        config.keys = [.pinA: [.char("c")]]
        s.apply(config)
        #expect(s.keymap.command(for: .char("p"), focus: .queries) == .pinA)
    }
}
