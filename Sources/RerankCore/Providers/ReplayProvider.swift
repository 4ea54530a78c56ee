/// Serves the replies of a recording (`Recording`) instead of calling a model: offline,
/// instant, free. A request the recording does not hold fails the run with a configuration
/// error rather than inventing a score.
public struct ReplayProvider: InProcessProvider {
    public let name = "replay"
    public let path: String
    public let header: Recording.Header
    let calls: [String: Recording.Call]

    public init(path: String) throws(InputError) {
        self.path = path
        (header, calls) = try Recording.load(path: path)
    }

    public var callCount: Int { calls.count }

    /// Whether the recording holds this request's call (a reply, or the failure it recorded).
    public func holdsReply(for request: ChatRequest) -> Bool {
        calls[Recording.key(messages: request.messages, sampleIndex: request.sampleIndex)] != nil
    }

    public func answer(_ request: ChatRequest) throws -> ChatReply {
        guard let call = calls[Recording.key(messages: request.messages, sampleIndex: request.sampleIndex)] else {
            throw ProviderError.configuration("the recording \(path) has no reply for this request (sample \(request.sampleIndex)); it was made with prompt '\(header.promptName)' on \(header.datasetPath): replay with the same prompt, mode and dataset")
        }
        if let reply = call.reply { return reply }
        throw ProviderError.recordedFailure(call.error ?? "unknown error")
    }
}
