/// The command palette: type words, choose a command, run it.
public enum PaletteReducer {
    public enum Intent: Sendable, Hashable {
        /// Append the character typed to the search.
        case type
        case erase
        /// Selection down (negative: up).
        case move(Int)
        case run, close
    }

    /// The commands the palette offers, in its order. Pane-only moves (up, down, next value)
    /// mean nothing without their pane, so they are left out.
    static let listed: [Command] = [.run, .cancelRun, .openDataset, .savePrompt, .exportConfig, .pinA, .compare, .clearPin, .calibration, .tune, .probes,
                                    .externalEditor, .sortQueries, .filterQueries, .reloadProviders, .focusPrompt, .focusSettings,
                                    .focusQueries, .focusResults, .focusMetrics, .undo, .redo, .saveLabels, .undoLabel, .redoLabel,
                                    .promptHistory, .toggleWrap, .searchPrompt, .help, .quit]

    /// Commands whose title contains every word typed.
    static func matches(_ query: String) -> [Command] {
        let words = query.lowercased().split(separator: " ")
        return listed.filter { c in words.allSatisfy { c.title.lowercased().contains($0) } }
    }

    static func open(_ state: inout WorkbenchState) -> [Effect] {
        state.modals.append(.palette(query: "", selection: 0))
        return []
    }

    /// `key` is the key pressed, read by `.type`.
    static func reduce(_ state: inout WorkbenchState, _ intent: Intent, key: Key) -> [Effect] {
        guard case let .palette(query, selection) = state.modals.last else { return [] }
        let found = matches(query)
        switch intent {
        case .type:
            if case let .char(c) = key { state.replaceTopModal(.palette(query: query + String(c), selection: 0)) }
        case .erase:
            state.replaceTopModal(.palette(query: String(query.dropLast()), selection: 0))
        case let .move(delta):
            state.replaceTopModal(.palette(query: query, selection: ListSelection.moved(selection, by: delta, count: found.count)))
        case .close:
            state.closeTopModal()
        case .run:
            state.closeTopModal()
            if selection < found.count { return WorkbenchReducer.perform(&state, found[selection]) }
        }
        return []
    }
}
