import RerankKit
import Synchronization
import WorkbenchUI

/// Where the background probe leaves its progress for the UI loop, which drains it every
/// frame: the calls planned and done (counts only; the report comes whole at the end).
final class ProbeEventBox: Sendable {
    struct Pending {
        var planned: Int?
        var done: Int?
        /// Set once: the outcome (nil when it could not run) and why it stopped, if it did.
        var ended: (outcome: ProbeOutcome?, message: String?)?
    }

    private struct Counts {
        var restored = 0
        var done = 0
        var pending = Pending()
    }

    private let state = Mutex(Counts())

    func handle(_ event: RunEvent) {
        state.withLock { c in
            switch event {
            case let .restored(results):
                // Answered from the cache: done before the first call.
                c.restored = results.count
                c.done += results.count
                c.pending.done = c.done
            case let .started(total):
                c.pending.planned = total + c.restored
            case .pairFinished:
                c.done += 1
                c.pending.done = c.done
            case .retrying, .finished: break
            }
        }
    }

    func end(_ outcome: ProbeOutcome?, message: String?) { state.withLock { $0.pending.ended = (outcome, message) } }

    /// Takes what arrived since the last call.
    func drain() -> Pending {
        state.withLock { c in
            let out = c.pending
            c.pending = Pending()
            return out
        }
    }
}
