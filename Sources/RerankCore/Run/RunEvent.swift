/// Progress of a run, for front ends to render. Delivered from background tasks.
public enum RunEvent: Sendable {
    /// Results that needed no call: replies from the response cache and, on a resume, the pairs
    /// done before. Sent once, before `started`.
    case restored([PairResult])
    /// The run is about to make `total` calls (`cached` of them were answered without a call).
    case started(total: Int)
    /// A call finished (successfully or not, after any retries).
    case pairFinished(PairResult, done: Int, total: Int)
    /// A call failed and will be retried after `delay` seconds.
    case retrying(queryID: String, candidateID: String, attempt: Int, error: ProviderError, delay: Double)
    /// The run stopped: all done, or cancelled with `done` of `total` completed.
    case finished(done: Int, total: Int, cancelled: Bool)
}
