/// What an error on the status line is about, so that it goes once that is fixed instead of
/// staying red over a screen where nothing is wrong any more.
public enum StatusSubject: Sendable, Equatable {
    /// The prompt has an error (a run refused to start): gone when the prompt has none.
    case promptError
    /// A setting refused a typed value: gone when that setting takes one.
    case setting(SettingField)
}

extension WorkbenchState {
    /// Says one thing on the status line; an error is drawn in red until the next message, or
    /// until what it is `about` is fixed.
    mutating func setStatus(_ text: String, error: Bool = false, about subject: StatusSubject? = nil) {
        status = text
        statusIsError = error
        statusSubject = subject
    }

    /// Clears the status line when the problem it names is gone.
    mutating func clearFixedStatus() {
        guard let subject = statusSubject else { return }
        switch subject {
        case .promptError:
            guard !promptProblems.contains(where: { $0.severity == .error }) else { return }
        case .setting:
            return  // only `settingAccepted` knows
        }
        setStatus("")
    }

    /// A setting took a typed value: an earlier refusal of that setting is fixed.
    mutating func settingAccepted(_ field: SettingField) {
        if statusSubject == .setting(field) { setStatus("") }
    }
}
