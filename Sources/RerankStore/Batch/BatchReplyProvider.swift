import RerankCore

/// Answers a run's calls from its collected batches, so a batch run finishes through the
/// ordinary recorded path: each reply is recorded as a call made (priced at the batch price)
/// and goes into the response cache under the live request's hash. A pair the batches did not
/// answer fails with the batch's reason and no call is made; resuming the run asks for it again.
public struct BatchReplyProvider: ChatProvider {
    /// The live provider the batches stood in for: its name and wire identity make the hashes.
    public let live: any ChatProvider
    let outcomes: [String: BatchItemResult]
    let runID: Int64

    public init(live: any ChatProvider, outcomes: [String: BatchItemResult], runID: Int64) {
        self.live = live
        self.outcomes = outcomes
        self.runID = runID
    }

    public var name: String { live.name }
    public var enforcesTimeout: Bool { true }

    public func requestIdentity(_ request: ChatRequest) -> String? { live.requestIdentity(request) }
    public func appendRequestIdentity(_ request: ChatRequest, to out: inout [UInt8]) -> Bool {
        live.appendRequestIdentity(request, to: &out)
    }

    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        // Outcomes are by custom_id: the key's digest (`CacheKey`).
        guard let hash = RecordedRunner.requestHash(provider: live, request: request),
              let outcome = outcomes[CacheKey.digest(of: hash)] else {
            throw ProviderError.recordedFailure("no batch of run \(runID) answered this request")
        }
        if let reply = outcome.reply { return reply }
        throw ProviderError.recordedFailure("the batch failed this request (\(outcome.error ?? "no reason given"))")
    }
}
