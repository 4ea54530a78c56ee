/// Opens the calibration view of the run on screen.
enum CalibrationReducer {
    static func open(_ state: inout WorkbenchState) -> [Effect] {
        guard DatasetReducer.metricsReady(&state, for: "C") else { return [] }
        // Before a run the report holds first-stage metrics only: there are no scores to calibrate.
        guard state.report != nil, !state.results.isEmpty else {
            state.setStatus("no scores yet: run first (r), then C shows how scores match labels", error: true)
            return []
        }
        state.modals.append(.calibration(scroll: 0))
        return []
    }
}
