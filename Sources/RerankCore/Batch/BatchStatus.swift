/// What a provider said about one of its batches when last asked.
public struct BatchStatus: Sendable, Hashable {
    /// The provider's id (`batch_...`, `msgbatch_...`).
    public var remoteID: String
    public var phase: BatchPhase
    /// The provider's own word for it (`in_progress`, `ended`, ...), for people.
    public var providerStatus: String
    public var counts: BatchCounts
    /// OpenAI / Azure: the uploaded input file, and the files of replies and of errors.
    public var inputFileID: String?
    public var outputFileID: String?
    public var errorFileID: String?
    /// Why the whole batch failed (OpenAI's `errors`), when it did.
    public var message: String?

    public init(remoteID: String, phase: BatchPhase, providerStatus: String, counts: BatchCounts = BatchCounts(),
                inputFileID: String? = nil, outputFileID: String? = nil, errorFileID: String? = nil, message: String? = nil) {
        self.remoteID = remoteID
        self.phase = phase
        self.providerStatus = providerStatus
        self.counts = counts
        self.inputFileID = inputFileID
        self.outputFileID = outputFileID
        self.errorFileID = errorFileID
        self.message = message
    }
}

/// One request's outcome in a finished batch: its reply, or why it has none.
public struct BatchItemResult: Sendable, Hashable {
    /// The request's `custom_id`: the response-cache hash of its live request.
    public var customID: String
    public var reply: ChatReply?
    public var error: String?

    public init(customID: String, reply: ChatReply? = nil, error: String? = nil) {
        self.customID = customID
        self.reply = reply
        self.error = error
    }
}

/// One request to send in a batch: its id and the body a live call would send.
public struct BatchRequest: Sendable {
    /// The digest of the live request's response-cache key (`CacheKey`, without its group):
    /// unique per (request, sample), 64 hex characters, within Anthropic's `^[a-zA-Z0-9_-]{1,64}$`.
    public var customID: String
    public var request: ChatRequest

    public init(customID: String, request: ChatRequest) {
        self.customID = customID
        self.request = request
    }
}
