extension WorkbenchState {
    /// Says one thing on the status line; an error is drawn in red until the next message.
    mutating func setStatus(_ text: String, error: Bool = false) {
        status = text
        statusIsError = error
    }
}
