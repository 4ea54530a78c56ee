/// A yes/no question (`Confirmation`): only y does what it names; every other key is a no.
public enum ConfirmReducer {
    public enum Intent: Sendable, Hashable {
        case yes, no
    }

    static func reduce(_ state: inout WorkbenchState, _ intent: Intent) -> [Effect] {
        guard case let .confirm(question) = state.modals.last else { return [] }
        state.closeTopModal()
        switch intent {
        case .no:
            // A "no" to overwriting also drops a pending "save, then quit".
            state.quitAfterSave = false
            if case .testLook = question {
                state.setStatus("not run: the test split stays unseen")
            } else if case .startTune = question {
                state.setStatus("no tune started: nothing was called")
            } else if case .paidProbe = question {
                state.setStatus("no probe started: nothing was called")
            } else if case .paidRun = question {
                state.setStatus("not run: nothing was called")
            } else {
                state.setStatus("nothing changed")
            }
            return []
        case .yes:
            switch question {
            case let .overwritePrompt(path, contents):
                return [.savePrompt(path: path, contents: contents, overwrite: true)]
            case .stopRunAndQuit:
                return QuitReducer.stopRunThenQuit(&state)
            case let .paidRun(estimate):
                state.paidRunsConfirmed.insert(estimate.key)
                return RunReducer.start(&state, split: estimate.split)
            case .testLook:
                return RunReducer.start(&state, split: .test)
            case let .startTune(estimate):
                return TuneReducer.start(&state, estimate)
            case .stopTuneAndQuit:
                state.wantsQuit = true
                return [.stopTune, .saveSession, .quit]
            case let .paidProbe(estimate):
                state.paidRunsConfirmed.insert(estimate.key)
                return ProbeReducer.start(&state)
            case .stopProbeAndQuit:
                state.wantsQuit = true
                return [.stopProbe, .saveSession, .quit]
            case let .loadPromptVersion(hash, _):
                return PromptHistoryReducer.load(&state, hash: hash)
            }
        }
    }
}
