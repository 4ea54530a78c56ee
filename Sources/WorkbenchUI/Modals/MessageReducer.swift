/// A message (an error and its fix): any key closes it.
public enum MessageReducer {
    public enum Intent: Sendable, Hashable {
        case close
    }

    static func reduce(_ state: inout WorkbenchState, _ intent: Intent) -> [Effect] {
        switch intent {
        case .close: state.closeTopModal()
        }
        return []
    }
}
