import Dispatch
import Foundation
import Synchronization

/// Writes each completed call to the store as it arrives, off the caller's thread (the runner's
/// tasks must not wait on the disk), in arrival order. `finish()` waits for every pending write.
public final class RunRecorder: Sendable {
    let store: RunStore
    let runID: Int64
    let parser: any ScoreParser
    let provider: String
    let model: String
    private let queue = DispatchQueue(label: "rerankbench.recorder")
    private let firstError = Mutex<StoreError?>(nil)

    public init(store: RunStore, runID: Int64, settings: RunSettings) {
        self.store = store
        self.runID = runID
        self.parser = settings.parser.makeParser(scale: settings.scale)
        self.provider = settings.provider
        self.model = settings.model
    }

    /// Queues one result for writing. `requestHash` is the cache key (nil: not cacheable).
    public func record(_ result: PairResult, requestHash: String?, cached: Bool) {
        queue.async { [self] in
            let parsed = result.reply.map { parser.parse($0) }
            do throws(StoreError) {
                try store.record(runID: runID, result: result, requestHash: requestHash, parsed: parsed, cached: cached,
                                 provider: provider, model: model)
            } catch {
                firstError.withLock { if $0 == nil { $0 = error } }
            }
        }
    }

    /// Waits for every queued write; returns the first write error, if any.
    public func finish() -> StoreError? {
        queue.sync {}
        return firstError.withLock { $0 }
    }
}
