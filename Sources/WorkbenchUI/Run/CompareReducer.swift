import RerankCore

/// A/B comparison: pin the run on screen as A, run B, compare them on the queries both finished.
enum CompareReducer {
    static func pin(_ state: inout WorkbenchState) -> [Effect] {
        guard DatasetReducer.metricsReady(&state, for: "p") else { return [] }
        guard let report = state.report, !state.results.isEmpty else {
            state.setStatus("nothing to pin yet: run first (r)", error: true)
            return []
        }
        state.pinned = report
        state.pinnedLabel = state.shownRunLabel
        state.setStatus("pinned as A: \(state.pinnedLabel). Change the prompt or model, run, then press c to compare")
        return []
    }

    static func clearPin(_ state: inout WorkbenchState) -> [Effect] {
        state.pinned = nil
        state.setStatus("pin cleared")
        return []
    }

    /// Pinned A and the run on screen (B), when they can be compared; otherwise the status line
    /// (and for split runs a dialog) says why. `key` is the key that asked (c, d).
    static func pair(_ state: inout WorkbenchState, key: String) -> (a: RunReport, b: RunReport)? {
        guard let a = state.pinned else {
            state.setStatus("pin a run as A first (p), then run B and press \(key)", error: true)
            return nil
        }
        guard DatasetReducer.metricsReady(&state, for: key) else { return nil }
        guard !state.results.isEmpty, let b = state.report else {
            state.setStatus("run B first (r), then press \(key)", error: true)
            return nil
        }
        // A dev run and a test run share no query: say so, rather than "nothing completed".
        if let sa = a.settings.split, let sb = b.settings.split, sa != sb, sa != .all, sb != .all {
            let message = "A ran on the \(sa.description) and B on the \(sb.description): they share no query. Compare runs of the same split (pin a \(sb.rawValue) run as A)"
            state.modals.append(.message(title: "Cannot compare", body: message))
            state.setStatus(message, error: true)
            return nil
        }
        return (a, b)
    }

    static func compare(_ state: inout WorkbenchState) -> [Effect] {
        guard let (a, b) = pair(&state, key: "c") else { return [] }
        // The same check and words as `rerank-eval compare`: different files are compared
        // on the query ids both have, and said so.
        let datasetNote = a.datasetHash == b.datasetHash ? nil
            : RunComparability.differentDatasets(a: a.datasetPath, aHash: a.datasetHash, b: b.datasetPath, bHash: b.datasetHash)
        // Only the queries both runs scored completely: a query one run never finished
        // would compare a first-stage order against a reranked one.
        let (fairA, fairB, leftOut) = RunComparability.completedInBoth(a, b)
        guard !fairA.queries.isEmpty else {
            let message = (datasetNote.map { $0 + ": " } ?? "") + "no query was completed by both runs, so there is nothing to compare; finish or re-run one of them"
            state.modals.append(.message(title: "Cannot compare", body: message))
            state.setStatus(message, error: true)
            return []
        }
        state.compareNote = datasetNote
        let primary = state.settings.metrics.primaryMetric
        var names = [primary]
        for n in [MetricName.ndcg, .map, .mrr] where !names.contains(n) { names.append(n) }
        state.comparisons = names.map { PairedComparison.compare(fairA, fairB, metric: $0) }
        state.compareLeftOut = leftOut
        state.compareLabelB = state.shownRunLabel
        state.modals.append(.compare(scroll: 0))
        return []
    }
}
