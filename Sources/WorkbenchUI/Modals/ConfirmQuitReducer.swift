/// Quitting with unsaved prompt or label edits: quit (the edits stay in the session), save
/// first (the labels to their file, then the prompt to Prompts/), or stay.
public enum ConfirmQuitReducer {
    public enum Intent: Sendable, Hashable {
        case quit, saveFirst, stay
    }

    static func reduce(_ state: inout WorkbenchState, _ intent: Intent) -> [Effect] {
        state.closeTopModal()
        switch intent {
        case .quit:
            state.wantsQuit = true
            return [.cancelRun, .saveSession, .quit]
        case .saveFirst:
            // Save first, then quit once the file is written (a refused or cancelled save
            // leaves the workbench open).
            state.quitAfterSave = true
            // The labels need no name: they go first, and their save goes on to the prompt.
            if state.labels.isDirty { return LabelReducer.save(&state) }
            return PromptFileReducer.askForName(&state)
        case .stay:
            return []
        }
    }
}
