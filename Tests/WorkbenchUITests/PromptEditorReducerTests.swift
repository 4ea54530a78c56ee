import Foundation
import RerankKit
import Testing
@testable import WorkbenchUI

/// The editor's own reducer: the keys the keymap leaves to the Prompt pane.
@Suite struct PromptEditorReducerTests {
    @Test func onlyTextChangesAreSaved() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        s.focus = .prompt
        s.editor = TextEditor(text: "ab\ncd")
        #expect(PromptEditorReducer.key(&s, .down).isEmpty, "moving is not worth a session write")
        #expect(PromptEditorReducer.key(&s, .end).isEmpty)
        #expect(PromptEditorReducer.key(&s, .char("!")) == [.saveSession])
        #expect(s.editor.text == "ab\ncd!")
        #expect(PromptEditorReducer.key(&s, .function(9)).isEmpty)
        #expect(s.editor.text == "ab\ncd!")
    }

    @Test func pageKeysMoveByTheEditorsHeight() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 20)
        s.focus = .prompt
        s.editor = TextEditor(text: (1...40).map(String.init).joined(separator: "\n"))
        _ = PromptEditorReducer.key(&s, .pageDown)
        #expect(s.editor.row == 10)
        _ = PromptEditorReducer.key(&s, .pageUp)
        #expect(s.editor.row == 0)
    }

    @Test func externalEditorTextReplacesTheBufferOnlyWhenChanged() throws {
        var s = try WorkbenchFixtures.state(width: 120, height: 40)
        let text = s.editor.text
        #expect(WorkbenchReducer.reduce(&s, .editorReturned(text)).isEmpty)
        #expect(WorkbenchReducer.reduce(&s, .editorReturned(nil)).isEmpty)
        #expect(WorkbenchReducer.reduce(&s, .editorReturned("new")) == [.saveSession])
        #expect(s.editor.text == "new" && s.status == "prompt reloaded from $EDITOR")
        s.editor.undo()
        #expect(s.editor.text == text, "one undo step brings the old text back")
    }
}
