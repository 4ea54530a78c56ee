/// The outcome of one call: the reply (or the error) and how many attempts it took.
public struct PairResult: Sendable, Hashable, Codable {
    public var queryID: String
    public var candidateID: String
    public var sampleIndex: Int
    public var reply: ChatReply?
    /// The final error when every attempt failed.
    public var error: String?
    /// Why, in one word to match on (stored as text).
    public var errorKind: CallErrorKind?
    /// Attempts made (1 = no retry).
    public var attempts: Int
    /// Wall time of all attempts, in seconds.
    public var latency: Double

    public init(queryID: String, candidateID: String, sampleIndex: Int, reply: ChatReply?, error: String? = nil,
                errorKind: CallErrorKind? = nil, attempts: Int = 1, latency: Double = 0) {
        self.queryID = queryID
        self.candidateID = candidateID
        self.sampleIndex = sampleIndex
        self.reply = reply
        self.error = error
        self.errorKind = errorKind
        self.attempts = attempts
        self.latency = latency
    }

    public var failed: Bool { reply == nil }

    /// Key identifying the pair and sample within a run.
    public var key: PairKey { PairKey(queryID: queryID, candidateID: candidateID, sampleIndex: sampleIndex) }
}

public struct PairKey: Sendable, Hashable, Codable {
    public var queryID: String
    public var candidateID: String
    public var sampleIndex: Int

    public init(queryID: String, candidateID: String, sampleIndex: Int) {
        self.queryID = queryID
        self.candidateID = candidateID
        self.sampleIndex = sampleIndex
    }
}
