/// Where a provider's batch stands, in one vocabulary for the three batch APIs.
///
/// OpenAI and Azure OpenAI report `validating`, `in_progress`, `finalizing`, `completed`,
/// `failed`, `expired`, `cancelling` and `cancelled` (the Batch object's `status`, OpenAI API
/// reference "The batch object"; openai-python `types/batch.py`). Anthropic reports
/// `processing_status` `in_progress`, `canceling` or `ended` (Message Batches API reference,
/// "Retrieve a Message Batch"); an ended batch whose cancellation was asked for is `cancelled` here.
public enum BatchPhase: String, Sendable, Hashable, Codable, CaseIterable {
    case validating
    case inProgress = "in_progress"
    case finalizing
    case cancelling
    case completed
    case failed
    case expired
    case cancelled

    /// True once the provider will change nothing more: results (if any) can be downloaded.
    public var hasEnded: Bool {
        switch self {
        case .completed, .failed, .expired, .cancelled: return true
        case .validating, .inProgress, .finalizing, .cancelling: return false
        }
    }

    /// The phase of an OpenAI / Azure OpenAI `status`; nil for a word this version does not know.
    public init?(openAIStatus: String) {
        self.init(rawValue: openAIStatus)
    }
}

/// How many requests of a batch are done, as the provider counts them.
public struct BatchCounts: Sendable, Hashable, Codable {
    public var total: Int
    public var succeeded: Int
    /// Errored, expired and cancelled requests.
    public var failed: Int

    public init(total: Int = 0, succeeded: Int = 0, failed: Int = 0) {
        self.total = total
        self.succeeded = succeeded
        self.failed = failed
    }

    public var pending: Int { max(0, total - succeeded - failed) }
}
