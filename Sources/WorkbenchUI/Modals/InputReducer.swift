/// A one-line text field: a setting's value, a prompt's name, or a session API key.
public enum InputReducer {
    public enum Intent: Sendable, Hashable {
        /// Append the character typed.
        case type
        case erase, clear, accept, cancel
    }

    /// `key` is the key pressed, read by `.type`.
    static func reduce(_ state: inout WorkbenchState, _ intent: Intent, key: Key) -> [Effect] {
        guard case let .input(purpose, text) = state.modals.last else { return [] }
        switch intent {
        case .type:
            if case let .char(c) = key { state.replaceTopModal(.input(purpose, text: text + String(c))) }
        case .erase:
            state.replaceTopModal(.input(purpose, text: String(text.dropLast())))
        case .clear:
            state.replaceTopModal(.input(purpose, text: ""))
        case .cancel:
            state.closeTopModal()
            // Cancelling the name of a "save, then quit" cancels the quit too.
            state.quitAfterSave = false
        case .accept:
            state.closeTopModal()
            switch purpose {
            case let .setting(field):
                SettingsReducer.apply(&state, field, text)
                return [.saveSession]
            case let .apiKey(provider):
                return SettingsReducer.keepSessionKey(&state, provider: provider, text)
            case .promptName:
                return PromptFileReducer.save(&state, typedName: text)
            }
        }
        return []
    }
}
