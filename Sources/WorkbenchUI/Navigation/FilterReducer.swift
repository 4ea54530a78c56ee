/// The query filter line (`/`): typed text narrows the Queries pane as it is typed.
public enum FilterReducer {
    public enum Intent: Sendable, Hashable {
        /// Append the character typed.
        case type
        case erase
        /// Enter: stop typing, keep the filter.
        case keep
        /// Esc: stop typing and show every query again.
        case clear
    }

    static func start(_ state: inout WorkbenchState) -> [Effect] {
        state.filtering = true
        return []
    }

    /// `intent` is nil for a key the filter line does not use; `key` is read by `.type`.
    static func reduce(_ state: inout WorkbenchState, _ intent: Intent?, key: Key) -> [Effect] {
        switch intent {
        case .type: if case let .char(c) = key { state.filter.append(c) }
        case .erase: if !state.filter.isEmpty { state.filter.removeLast() }
        case .keep: state.filtering = false
        case .clear:
            state.filtering = false
            state.filter = ""
        case nil: break
        }
        // Any key while filtering starts the list from the top: the cursor's query may be gone.
        state.queryCursor = 0
        state.queryTop = 0
        return []
    }
}
