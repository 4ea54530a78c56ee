/// A model that answers scoring calls. One concrete type per wire format; the runner owns
/// concurrency, retries and timeouts, so a provider makes exactly one attempt per call.
public protocol ChatProvider: Sendable {
    /// The provider name users see (`openai`, `lexical`, ...).
    var name: String { get }
    /// True for providers that do not run a language model and ignore the prompt (`lexical`).
    var ignoresPrompt: Bool { get }
    /// True when the provider enforces `ChatRequest.timeout` itself (HTTP deadlines), so the
    /// runner need not race each call against a timer.
    var enforcesTimeout: Bool { get }
    /// The whole request as it goes on the wire (URL without secrets, and body), for the response
    /// cache; nil when replies must not be reused (a provider that is not a model, or a replay).
    func requestIdentity(_ request: ChatRequest) -> String?
    /// Appends `requestIdentity`'s UTF-8 bytes to `out` and says whether there is one. The cache
    /// hashes the identity of every pair of every run: a provider that builds its body as bytes
    /// appends them here without making the text (the same bytes, so the same cache key).
    func appendRequestIdentity(_ request: ChatRequest, to out: inout [UInt8]) -> Bool
    /// Makes one call. Throws `ProviderError`; must honour task cancellation.
    func complete(_ request: ChatRequest) async throws -> ChatReply
    /// Where the runner runs the calls (nil: Swift's global pool). An HTTP provider names the
    /// thread its client's sockets live on: a call alternates between task code and socket
    /// events many times, and on the global pool every switch is a wake-up of another thread.
    @available(macOS 15.0, *)
    var callExecutor: (any TaskExecutor)? { get }
}

extension ChatProvider {
    public var ignoresPrompt: Bool { false }
    public var enforcesTimeout: Bool { false }
    public func requestIdentity(_ request: ChatRequest) -> String? { nil }
    public func appendRequestIdentity(_ request: ChatRequest, to out: inout [UInt8]) -> Bool {
        guard let identity = requestIdentity(request) else { return false }
        out.append(contentsOf: identity.utf8)
        return true
    }
    @available(macOS 15.0, *)
    public var callExecutor: (any TaskExecutor)? { nil }
}

/// A provider whose calls are computations in this process that answer at once and cannot fail
/// for a reason worth a retry (the BM25 baseline, a replay): the runner calls them without the
/// concurrency gate, timers and task per call that a network call needs (at a million pairs
/// that machinery cost more than the answers), a slice at a time on every core.
public protocol InProcessProvider: ChatProvider {
    /// Answers one call; throws `ProviderError`. Runs on several threads at once.
    func answer(_ request: ChatRequest) throws -> ChatReply
    /// Answers one of a plan's calls: a provider that indexed the dataset may find the pair by
    /// its position instead of by its texts. The same reply as `answer(task.request)`.
    func answer(_ task: PairTask) throws -> ChatReply
}

extension InProcessProvider {
    public func answer(_ task: PairTask) throws -> ChatReply { try answer(task.request) }
}

extension InProcessProvider {
    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        try Task.checkCancellation()
        return try answer(request)
    }
}
