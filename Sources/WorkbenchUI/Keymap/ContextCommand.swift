/// What a key means inside one context. Each case carries the intent type of the reducer that
/// owns the context, so a row of the keymap can only name something that reducer handles (its
/// `switch` is exhaustive), and the context of a row follows from its command.
public enum ContextCommand: Sendable, Hashable {
    case help(HelpReducer.Intent)
    case palette(PaletteReducer.Intent)
    case scrollingView(ScrollingViewReducer.Intent)
    case diff(DiffReducer.Intent)
    case tune(TuneReducer.Intent)
    case probes(ProbeReducer.Intent)
    case probeQuery(ProbeReducer.QueryIntent)
    case filePicker(FilePickerReducer.Intent)
    case confirmQuit(ConfirmQuitReducer.Intent)
    case confirm(ConfirmReducer.Intent)
    case input(InputReducer.Intent)
    case message(MessageReducer.Intent)
    case filter(FilterReducer.Intent)
    case labelConflict(LabelReducer.Intent)
    case promptHistory(PromptHistoryReducer.Intent)
    case search(PromptSearchReducer.Intent)

    public var context: KeyContext {
        switch self {
        case .help: return .help
        case .palette: return .palette
        case .scrollingView: return .scrollingView
        case .diff: return .diff
        case .tune: return .tune
        case .probes: return .probes
        case .probeQuery: return .probeQuery
        case .filePicker: return .filePicker
        case .confirmQuit: return .confirmQuit
        case .confirm: return .confirm
        case .input: return .input
        case .message: return .message
        case .filter: return .filter
        case .labelConflict: return .labelConflict
        case .promptHistory: return .promptHistory
        case .search: return .search
        }
    }
}
