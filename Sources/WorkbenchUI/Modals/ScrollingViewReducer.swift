/// The candidate detail, the A/B comparison and the calibration: long texts that scroll until closed.
public enum ScrollingViewReducer {
    public enum Intent: Sendable, Hashable {
        /// Lines down (negative: up).
        case scroll(Int)
        case close
    }

    static func reduce(_ state: inout WorkbenchState, _ intent: Intent) -> [Effect] {
        switch (intent, state.modals.last) {
        case let (.scroll(lines), .detail(scroll)?): state.replaceTopModal(.detail(scroll: max(0, scroll + lines)))
        case let (.scroll(lines), .compare(scroll)?): state.replaceTopModal(.compare(scroll: max(0, scroll + lines)))
        case let (.scroll(lines), .calibration(scroll)?): state.replaceTopModal(.calibration(scroll: max(0, scroll + lines)))
        case let (.scroll(lines), .promptDiff(scroll)?): state.replaceTopModal(.promptDiff(scroll: max(0, scroll + lines)))
        case (.close, _): state.closeTopModal()
        default: break
        }
        return []
    }
}
