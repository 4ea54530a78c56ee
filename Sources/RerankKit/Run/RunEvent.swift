/// Progress of a run, for front ends to render. Delivered from background tasks.
public enum RunEvent: Sendable {
    /// The run is about to make `total` calls (`cached` of them were answered without a call).
    case started(total: Int)
    /// A call finished (successfully or not, after any retries).
    case pairFinished(PairResult, done: Int, total: Int)
    /// A call failed and will be retried after `delay` seconds.
    case retrying(queryID: String, candidateID: String, attempt: Int, error: ProviderError, delay: Double)
    /// The run stopped: all done, or cancelled with `done` of `total` completed.
    case finished(done: Int, total: Int, cancelled: Bool)
}
