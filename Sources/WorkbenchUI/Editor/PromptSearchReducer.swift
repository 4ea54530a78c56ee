/// Searching the prompt: Ctrl-F opens a line at the bottom, typing moves the cursor to the first
/// match from where it was, next and previous go round the text, Enter keeps the search (next
/// and previous then work from the editor), Esc closes it.
public enum PromptSearchReducer {
    public enum Intent: Sendable, Hashable {
        /// Append the character typed.
        case type
        case erase
        case next, previous
        /// Enter: close the line, keep the search for next and previous.
        case keep
        /// Esc: close the line and forget the search.
        case close
    }

    static func open(_ state: inout WorkbenchState) -> [Effect] {
        // From the palette the search opens the editor it searches.
        state.focus = .prompt
        let e = state.editor
        // Opening again starts from the last search's text, as editors do.
        state.promptSearch = PromptSearch(query: state.promptSearch?.query ?? "", typing: true, originRow: e.row, originColumn: e.column)
        return []
    }

    static func reduce(_ state: inout WorkbenchState, _ intent: Intent, key: Key) -> [Effect] {
        guard var search = state.promptSearch else { return [] }
        switch intent {
        case .type:
            guard case let .char(c) = key else { return [] }
            search.query.append(c)
            state.promptSearch = search
            jump(&state, from: PromptSearch.Position(row: search.originRow, column: search.originColumn), forward: true, including: true)
        case .erase:
            if !search.query.isEmpty { search.query.removeLast() }
            state.promptSearch = search
            jump(&state, from: PromptSearch.Position(row: search.originRow, column: search.originColumn), forward: true, including: true)
        case .next: return step(&state, forward: true)
        case .previous: return step(&state, forward: false)
        case .keep:
            search.typing = false
            state.promptSearch = search.query.isEmpty ? nil : search
        case .close:
            state.promptSearch = nil
        }
        return []
    }

    /// Next or previous match from the cursor (Ctrl-G, F3; Shift-F3, Alt-G).
    static func step(_ state: inout WorkbenchState, forward: Bool) -> [Effect] {
        guard let search = state.promptSearch, !search.query.isEmpty else {
            state.setStatus("nothing searched yet: Ctrl-F searches the prompt")
            return []
        }
        jump(&state, from: PromptSearch.Position(row: state.editor.row, column: state.editor.column), forward: forward, including: false)
        return []
    }

    /// Moves the cursor to a match and says which of how many it is.
    static func jump(_ state: inout WorkbenchState, from: PromptSearch.Position, forward: Bool, including: Bool) {
        guard let search = state.promptSearch, !search.query.isEmpty else { return }
        let lines = state.editor.lines
        guard let found = search.match(in: lines, from: from, forward: forward, including: including) else {
            state.setStatus("'\(search.query)' is not in the prompt")
            return
        }
        state.editor.moveTo(row: found.row, column: found.column)
        let all = search.matches(in: lines)
        state.setStatus("match \((all.firstIndex(of: found) ?? 0) + 1) of \(all.count) for '\(search.query)' (line \(found.row + 1))")
    }
}
