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
        /// Results that needed no call (cache, resume), counted into the run's total.
        var restored: [PairResult] = []
        /// Where the run was stored, once it is.
        var stored: (runID: Int64, cached: Int, path: String)?
    }

    private let state = Mutex(Pending())

    func handle(_ event: RunEvent) {
        state.withLock { p in
            switch event {
            case let .restored(results):
                // Held until `started`, so the UI counts them into a run it knows about.
                p.restored = results
            case let .started(total):
                p.started = total + p.restored.count
                p.results.append(contentsOf: p.restored)
                p.restored = []
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
    func store(runID: Int64, cached: Int, path: String) { state.withLock { $0.stored = (runID, cached, path) } }
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
            p.stored = nil
            return out
        }
    }
}
