/// The mouse on the main screen, placed with the same pane rectangles the view draws: a click
/// focuses the pane under it and selects the row under it (a tab on the one-column layout
/// focuses its pane); the wheel moves the list under the pointer. Over a modal the wheel
/// scrolls it as ↑/↓ would, and a click does nothing (a stray click never answers a question).
enum MouseReducer {
    /// Rows one wheel notch moves.
    static let wheelStep = 3

    static func reduce(_ state: inout WorkbenchState, _ event: MouseEvent) -> [Effect] {
        guard state.width >= WorkbenchView.minimumWidth, state.height >= WorkbenchView.minimumHeight else { return [] }
        let wheel: Int? = switch event.button {
        case .press: nil
        case .wheelUp: -1
        case .wheelDown: 1
        }
        if !state.modals.isEmpty || state.filtering || state.promptSearch?.typing == true {
            guard let wheel, let modal = state.modals.last else { return [] }
            // Only a view whose rows name ↑/↓ scrolls: in a question "any other key" means no.
            let key: Key = wheel < 0 ? .up : .down
            guard state.keymap.names(key, in: KeyContext(modal)) else { return [] }
            var effects: [Effect] = []
            for _ in 0..<wheelStep { effects += WorkbenchReducer.routeKey(&state, key) }
            return effects
        }
        if state.width < 100, event.y == 1 {
            if event.button == .press, let tab = WorkbenchView.tabs.first(where: { $0.1.contains(event.x) }) { state.focus = tab.0 }
            return []
        }
        let rects = WorkbenchView.layout(width: state.width, height: state.height, focus: state.focus)
        guard let hit = rects.first(where: { contains($0.value, event) }) else { return [] }
        let (pane, rect) = (hit.key, hit.value)
        state.focus = pane
        if let wheel {
            if pane == .prompt {
                if wheel < 0 { state.editor.moveUp(wheelStep) } else { state.editor.moveDown(wheelStep) }
                return []
            }
            return NavigationReducer.move(&state, wheel * wheelStep)
        }
        select(&state, pane, rect.inner, row: event.y)
        return []
    }

    static func contains(_ r: Rect, _ e: MouseEvent) -> Bool {
        e.x >= r.x && e.x < r.right && e.y >= r.y && e.y < r.bottom
    }

    /// The row under a click becomes the pane's selection, if it shows one.
    static func select(_ state: inout WorkbenchState, _ pane: Focus, _ inner: Rect, row y: Int) {
        switch pane {
        case .queries:
            let count = state.visibleQueries.count
            let (top, rows) = QueriesPane.window(state, inner: inner, count: count)
            let i = y - inner.y - 1
            guard i >= 0, i < rows, top + i < count else { return }
            if top + i != state.queryCursor {
                state.resultCursor = 0
                state.resultTop = 0
            }
            state.queryTop = top
            state.queryCursor = top + i
        case .results:
            let count = state.selectedQuery?.candidates.count ?? 0
            let visible = inner.height - 1
            let top = ResultsPane.firstShown(cursor: min(state.resultCursor, max(0, count - 1)), visible: visible, count: count)
            let i = y - inner.y - 1
            guard i >= 0, i < visible, top + i < count else { return }
            state.resultCursor = top + i
        case .settings:
            let i = y - inner.y
            let index = SettingsPane.firstShown(state, height: inner.height) + i
            guard i >= 0, i < inner.height, index < SettingField.allCases.count else { return }
            state.settingsCursor = index
        case .prompt, .metrics:
            break
        }
    }
}
