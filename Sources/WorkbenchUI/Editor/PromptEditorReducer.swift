/// The prompt editor: the keys that edit text when the Prompt pane has focus (those the keymap
/// leaves to it), pastes, undo, and the round trip through `$EDITOR`.
enum PromptEditorReducer {
    /// A key no command took while the editor has focus.
    static func key(_ state: inout WorkbenchState, _ key: Key) -> [Effect] {
        var e = state.editor
        // A page is the editor's height less the other rows of the screen.
        let page = max(1, state.height - 10)
        switch key {
        case let .char(c): e.insert(c)
        case .enter: e.newline()
        case .backspace: e.backspace()
        case .delete: e.deleteForward()
        case .left: e.moveLeft()
        case .right: e.moveRight()
        case .up: e.moveUp()
        case .down: e.moveDown()
        case .home: e.home()
        case .end: e.end()
        case .ctrlHome: e.textStart()
        case .ctrlEnd: e.textEnd()
        case .pageUp: e.moveUp(page)
        case .pageDown: e.moveDown(page)
        case .ctrlLeft: e.wordLeft()
        case .ctrlRight: e.wordRight()
        default: return []
        }
        let changed = e.text != state.editor.text
        state.editor = e
        return changed ? [.saveSession] : []
    }

    /// A key between the terminal's paste brackets: text only, never a command, so a pasted
    /// "q" or "r" cannot quit or start a run. Outside the editor a paste is dropped.
    static func pasted(_ state: inout WorkbenchState, _ key: Key) -> [Effect] {
        guard state.focus == .prompt else { return [] }
        if key == .enter { state.editor.newline() } else if case let .char(c) = key { state.editor.insert(text: String(c)) }
        return []
    }

    static func undo(_ state: inout WorkbenchState) -> [Effect] {
        state.editor.undo()
        return [.saveSession]
    }

    static func redo(_ state: inout WorkbenchState) -> [Effect] {
        state.editor.redo()
        return [.saveSession]
    }

    static func toggleInsert(_ state: inout WorkbenchState) -> [Effect] {
        state.editor.overwrite.toggle()
        return []
    }

    static func toggleWrap(_ state: inout WorkbenchState) -> [Effect] {
        state.softWrap.toggle()
        state.editor.left = 0
        state.setStatus(state.softWrap ? "soft wrap on: long lines fold at the pane's edge" : "soft wrap off: long lines scroll sideways")
        return []
    }

    static func openExternalEditor(_ state: WorkbenchState) -> [Effect] {
        [.openExternalEditor(state.editor.text)]
    }

    /// `$EDITOR` exited: its text replaces the editor's (one undo step) if it changed.
    static func externalEditorReturned(_ state: inout WorkbenchState, _ text: String?) -> [Effect] {
        guard let text, text != state.editor.text else { return [] }
        state.editor.replaceAll(text)
        state.setStatus("prompt reloaded from $EDITOR")
        return [.saveSession]
    }

    static func externalEditorFailed(_ state: inout WorkbenchState, _ message: String) -> [Effect] {
        state.modals.append(.message(title: "The external editor failed", body: message + "; the prompt is unchanged"))
        return []
    }
}
