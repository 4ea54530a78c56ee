/// The help overlay: scrolls, and any other key closes it (it is read, not used).
public enum HelpReducer {
    public enum Intent: Sendable, Hashable {
        /// Lines down (negative: up).
        case scroll(Int)
        case close
    }

    static func open(_ state: inout WorkbenchState) -> [Effect] {
        state.modals.append(.help(scroll: 0))
        return []
    }

    static func reduce(_ state: inout WorkbenchState, _ intent: Intent) -> [Effect] {
        guard case let .help(scroll) = state.modals.last else { return [] }
        switch intent {
        case let .scroll(lines): state.replaceTopModal(.help(scroll: max(0, scroll + lines)))
        case .close: state.closeTopModal()
        }
        return []
    }
}
