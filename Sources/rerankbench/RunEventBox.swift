import RerankKit
import Synchronization

/// Where the background run leaves its events for the UI loop, which drains them every frame:
/// results arrive in batches, so the report is rebuilt at most once per frame.
final class RunEventBox: Sendable {
    struct Pending {
        var started: Int?
        var results: [PairResult] = []
        var retries = 0
        var lastError: String?
        var finished: (StopReason?, Double)?
        var startError: String?
    }

    private let state = Mutex(Pending())

    func handle(_ event: RunEvent) {
        state.withLock { p in
            switch event {
            case let .started(total): p.started = total
            case let .pairFinished(result, _, _):
                p.results.append(result)
                if let e = result.error { p.lastError = e }
            case let .retrying(_, _, _, error, _):
                p.retries += 1
                p.lastError = "\(error) (retrying)"
            case .finished: break
            }
        }
    }

    func finish(_ reason: StopReason?, elapsed: Double) { state.withLock { $0.finished = (reason, elapsed) } }
    func failToStart(_ message: String) { state.withLock { $0.startError = message } }

    /// Takes what arrived since the last call.
    func drain() -> Pending {
        state.withLock { p in
            let out = p
            p.started = nil
            p.results = []
            p.lastError = nil
            p.finished = nil
            p.startError = nil
            return out
        }
    }
}
