import RerankKit
import Synchronization

/// Where the background tune leaves its events for the UI loop, which drains them every frame.
final class TuneEventBox: Sendable {
    struct Pending {
        var tuneID: Int64?
        var events: [TuneEvent] = []
        /// Set once: the stored lineage (nil when it never started), the winner's files, or
        /// why it could not go on.
        var ended: (lineage: TuneLineage?, written: [String], message: String?)?
    }

    private let state = Mutex(Pending())

    func started(_ id: Int64) { state.withLock { $0.tuneID = id } }
    func handle(_ event: TuneEvent) { state.withLock { $0.events.append(event) } }
    func end(lineage: TuneLineage?, written: [String], message: String?) { state.withLock { $0.ended = (lineage, written, message) } }

    /// Takes what arrived since the last call.
    func drain() -> Pending {
        state.withLock { p in
            let out = p
            p = Pending()
            return out
        }
    }
}
