/// Quitting without losing work: a run in flight is stopped and stored first, and unsaved
/// prompt or label edits are asked about.
enum QuitReducer {
    static func requestQuit(_ state: inout WorkbenchState) -> [Effect] {
        if state.isRunning {
            state.modals.append(.confirm(.stopRunAndQuit))
            return []
        }
        if let tune = state.tune, tune.running {
            state.modals.append(.confirm(.stopTuneAndQuit(tuneID: tune.tuneID)))
            return []
        }
        if state.probe.isRunning {
            state.modals.append(.confirm(.stopProbeAndQuit))
            return []
        }
        if state.editor.isDirty || state.labels.isDirty {
            state.modals.append(.confirmQuit)
            return []
        }
        state.wantsQuit = true
        return [.saveSession, .quit]
    }

    /// The user said yes to stopping the run and quitting.
    static func stopRunThenQuit(_ state: inout WorkbenchState) -> [Effect] {
        guard state.isRunning else {
            state.wantsQuit = true
            return [.saveSession, .quit]
        }
        state.quitWhenStopped = true
        state.setStatus("stopping the run; it is stored as cancelled (resume it with rerank-eval run --resume last), then the workbench quits")
        return [.cancelRun]
    }

    /// A run was stored: quit now if the user asked to while it ran.
    static func runStored(_ state: inout WorkbenchState) -> [Effect] {
        guard state.quitWhenStopped else { return [] }
        state.wantsQuit = true
        return [.saveSession, .quit]
    }
}
