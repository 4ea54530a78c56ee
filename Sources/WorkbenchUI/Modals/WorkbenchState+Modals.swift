extension WorkbenchState {
    /// Replaces the modal on top (the one that has the keys) with its next state.
    mutating func replaceTopModal(_ modal: Modal) {
        modals[modals.count - 1] = modal
    }

    mutating func closeTopModal() {
        modals.removeLast()
    }
}
