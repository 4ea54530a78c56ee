import RerankCore

/// The held-out test split in the workbench. Runs (`r`) see the dev queries only; the test
/// queries are evaluated by "confirm on test" alone, after a question that says how often the
/// store has seen them already, since every look lets later choices lean on them a little.
enum TestSplitReducer {
    static func confirmOnTest(_ state: inout WorkbenchState) -> [Effect] {
        guard DatasetReducer.ready(&state) else { return [] }
        guard let dataset = state.dataset else {
            state.setStatus("open a dataset first (o)", error: true)
            return []
        }
        guard dataset.hasSplits else {
            state.setStatus("\(dataset.path) has no held-out split; make one with rerank-eval split \(dataset.path) --test 0.3 --seed 1 -o SPLIT.jsonl", error: true)
            return []
        }
        guard !state.isRunning else {
            state.setStatus("a run is already going; Esc cancels it")
            return []
        }
        let queries = dataset.selecting(.test).queries.count
        guard queries > 0 else {
            state.setStatus("no query of \(dataset.path) is in the test split; check its \"split\" fields", error: true)
            return []
        }
        state.modals.append(.confirm(.testLook(queries: queries, looks: state.testLooks)))
        return []
    }

    static func looksCounted(_ state: inout WorkbenchState, datasetHash: String, count: Int?) -> [Effect] {
        // A count for a dataset that is no longer loaded (opened another meanwhile) is dropped.
        guard state.dataset?.contentHash == datasetHash else { return [] }
        state.testLooks = count
        return []
    }
}
