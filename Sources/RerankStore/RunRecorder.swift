import RerankCore
import Dispatch
import Foundation
import Synchronization

/// Writes each completed call to the store as it arrives, off the caller's thread (the runner's
/// tasks must not wait on the disk), in arrival order. `finish()` awaits every pending write.
///
/// The writer takes everything queued since its last write into one transaction: a call is on
/// disk as soon as the writer is free (nothing waits to fill a batch), and when calls complete
/// faster than single commits could keep up (many in flight, cache hits), they share commits.
public final class RunRecorder: Sendable {
    let store: RunStore
    let runID: Int64
    let parser: any ScoreParser
    let provider: String
    let model: String
    private let queue = DispatchQueue(label: "rerankbench.recorder")
    private let firstError = Mutex<StoreError?>(nil)
    private struct Pending {
        /// Parsed by the writer, off the caller's thread.
        var calls: [RunStore.RecordedCall] = []
        var writerScheduled = false
        /// Calls queued and calls written (or failed to write) since the recorder began.
        var queued = 0
        var written = 0
        /// Callers of `written(upTo:)` waiting for a count.
        var waiters: [(count: Int, resume: CheckedContinuation<Void, Never>)] = []
    }
    private let pending = Mutex(Pending())

    /// Whether a result may replace one already recorded (a resumed run re-asks failed pairs).
    let replacing: Bool

    public init(store: RunStore, runID: Int64, settings: RunSettings, replacing: Bool = true) {
        self.store = store
        self.runID = runID
        self.replacing = replacing
        self.parser = settings.parser.makeParser(scale: settings.scale)
        self.provider = settings.provider
        self.model = settings.model
    }

    /// Queues one result for writing. `requestHash` is the cache key (nil: not cacheable).
    /// `cachedFrom`: for a cache hit, the id of the reply `cachedReplies` found.
    public func record(_ result: PairResult, requestHash: String?, cached: Bool, cachedFrom: Int64? = nil) {
        record([RunStore.RecordedCall(result: result, requestHash: requestHash, parsed: nil, cached: cached, cachedFrom: cachedFrom)])
    }

    /// Queues many results at once (a window's cache hits): one lock and one hand-over.
    public func record(_ calls: [RunStore.RecordedCall]) {
        guard !calls.isEmpty else { return }
        let scheduleWriter = pending.withLock { p -> Bool in
            // Taken whole when nothing waits (a window's hits): no copy of each call.
            if p.calls.isEmpty { p.calls = calls } else { p.calls.append(contentsOf: calls) }
            p.queued += calls.count
            if p.writerScheduled { return false }
            p.writerScheduled = true
            return true
        }
        if scheduleWriter { queue.async { [self] in writePending() } }
    }

    /// Writes batches until nothing is queued.
    private func writePending() {
        while true {
            var batch = pending.withLock { p -> [RunStore.RecordedCall] in
                let calls = p.calls
                p.calls = []
                if calls.isEmpty { p.writerScheduled = false }
                return calls
            }
            if batch.isEmpty { return }
            // A packed result keeps no parsed score (its reply is parsed again when read); parse the rest.
            for i in batch.indices where !ResultPack.fits(batch[i], replacing: replacing) {
                batch[i].parsed = batch[i].result.reply.map { parser.parse($0) }
            }
            do throws(StoreError) {
                try store.record(runID: runID, calls: batch, provider: provider, model: model, replacing: replacing)
            } catch {
                firstError.withLock { if $0 == nil { $0 = error } }
            }
            let ready = pending.withLock { p in
                p.written += batch.count
                let written = p.written
                let ready = p.waiters.filter { $0.count <= written }
                p.waiters.removeAll { $0.count <= written }
                return ready
            }
            for waiter in ready { waiter.resume.resume() }
        }
    }

    /// Calls queued since the recorder began.
    public var queuedCount: Int { pending.withLock { $0.queued } }

    /// Waits until the first `count` calls queued are written (or failed to be): a run holds
    /// back its next window while the writer is more than a window behind, so that what waits
    /// to be written stays bounded when the disk is slower than the cache's answers.
    public func written(upTo count: Int) async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            let now = pending.withLock { p -> Bool in
                if p.written >= count { return true }
                p.waiters.append((count, done))
                return false
            }
            if now { done.resume() }
        }
    }

    /// Waits for every queued write; returns the first write error, if any. Suspends rather
    /// than blocking: a pool thread held in `queue.sync` is one the writes may be waiting for.
    public func finish() async -> StoreError? {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async { done.resume() }
        }
        return firstError.withLock { $0 }
    }
}
