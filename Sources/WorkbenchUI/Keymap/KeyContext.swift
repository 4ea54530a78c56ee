/// Where keys go when a pane does not have them: the modal on top, or the query filter line
/// while it is being typed. Each context has its own rows in the keymap.
public enum KeyContext: Sendable, Hashable, CaseIterable {
    case help, palette, scrollingView, diff, tune, probes, probeQuery, filePicker, confirmQuit, confirm, input, message, filter, labelConflict, promptHistory, search

    /// The context of a modal. Detail, compare and calibration are read the same way, so they share one.
    public init(_ modal: Modal) {
        switch modal {
        case .help: self = .help
        case .palette: self = .palette
        case .detail, .compare, .calibration, .promptDiff: self = .scrollingView
        case .diff: self = .diff
        case .tune: self = .tune
        case .probes: self = .probes
        case .probeQuery: self = .probeQuery
        case .filePicker: self = .filePicker
        case .confirmQuit: self = .confirmQuit
        case .confirm: self = .confirm
        case .input: self = .input
        case .message: self = .message
        case .labelConflict: self = .labelConflict
        case .promptHistory: self = .promptHistory
        }
    }
}
