import RerankCore

/// The per-query diff of pinned A and the run on screen (B): queries sorted by the change in the
/// primary metric, a "worse only" filter, and for the selected query both rankings side by side.
/// The values come from `RunDiff`, as in `rerank-eval compare --per-query`.
public enum DiffReducer {
    public enum Intent: Sendable, Hashable {
        /// Selection down (negative: up).
        case move(Int)
        case toggleWorseOnly, close
    }

    static func open(_ state: inout WorkbenchState) -> [Effect] {
        guard let (a, b) = CompareReducer.pair(&state, key: "d") else { return [] }
        // Only the queries both runs completed, as in the compare view.
        let (fairA, fairB, _) = RunComparability.completedInBoth(a, b)
        let diff = RunDiff(fairA, fairB, metric: state.settings.metrics.primaryMetric)
        guard !diff.queries.isEmpty else {
            state.setStatus("no query was completed by both runs, so there is nothing to diff", error: true)
            return []
        }
        state.diff = diff
        state.compareLabelB = state.shownRunLabel
        state.modals.append(.diff(selection: 0, worseOnly: false))
        return []
    }

    static func reduce(_ state: inout WorkbenchState, _ intent: Intent) -> [Effect] {
        guard case let .diff(selection, worseOnly) = state.modals.last, let diff = state.diff else { return [] }
        switch intent {
        case let .move(delta):
            let count = (worseOnly ? diff.worse : diff.queries).count
            state.replaceTopModal(.diff(selection: ListSelection.moved(selection, by: delta, count: count), worseOnly: worseOnly))
        case .toggleWorseOnly:
            // Keep the selected query selected when it stays in the list.
            let before = (worseOnly ? diff.worse : diff.queries)
            let after = (!worseOnly ? diff.worse : diff.queries)
            let id = selection < before.count ? before[selection].queryID : nil
            let kept = id.flatMap { id in after.firstIndex { $0.queryID == id } } ?? 0
            state.replaceTopModal(.diff(selection: kept, worseOnly: !worseOnly))
        case .close:
            state.closeTopModal()
        }
        return []
    }
}
