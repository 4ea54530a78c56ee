/// Moving around the main screen: pane focus, cursors, the queries' order, opening a detail.
enum NavigationReducer {
    static func focus(_ state: inout WorkbenchState, _ pane: Focus) -> [Effect] {
        state.focus = pane
        return []
    }

    /// Tab and Shift-Tab go round the panes in their number order.
    static func focusNext(_ state: inout WorkbenchState, forward: Bool) -> [Effect] {
        let n = Focus.allCases.count
        state.focus = Focus(rawValue: forward ? state.focus.rawValue % n + 1 : (state.focus.rawValue + n - 2) % n + 1)!
        return []
    }

    /// Up, down and pages in the focused pane's list.
    static func move(_ state: inout WorkbenchState, _ delta: Int) -> [Effect] {
        switch state.focus {
        case .queries:
            let n = state.visibleQueries.count
            guard n > 0 else { return [] }
            state.queryCursor = max(0, min(n - 1, state.queryCursor + delta))
            // Another query's candidates start at their top.
            state.resultCursor = 0
            state.resultTop = 0
        case .results:
            let n = state.selectedQuery?.candidates.count ?? 0
            guard n > 0 else { return [] }
            state.resultCursor = max(0, min(n - 1, state.resultCursor + delta))
        case .settings:
            state.settingsCursor = max(0, min(SettingField.allCases.count - 1, state.settingsCursor + delta))
        default:
            break
        }
        return []
    }

    static func sortQueries(_ state: inout WorkbenchState) -> [Effect] {
        state.querySort = state.querySort.next
        state.queryCursor = 0
        state.queryTop = 0
        if state.sortWaitsForMetrics {
            state.setStatus("queries will be sorted by \(state.querySort.label) once the first-stage metrics are measured; file order until then")
        } else {
            state.setStatus("queries sorted by \(state.querySort.label)")
        }
        return []
    }

    /// Enter: from a query to its candidates, from a candidate to its detail.
    static func openDetail(_ state: inout WorkbenchState) -> [Effect] {
        if state.focus == .queries {
            state.focus = .results
            state.resultCursor = 0
            state.resultTop = 0
            return []
        }
        if state.selectedCandidate != nil { state.modals.append(.detail(scroll: 0)) }
        return []
    }
}
