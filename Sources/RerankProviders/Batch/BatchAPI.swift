import RerankCore

/// A provider's batch API: submit many requests at once at a discount, poll, cancel, and read
/// the results back. One concrete type per API (OpenAI and Azure OpenAI share one shape).
/// Each request goes out with exactly the body a live call of the same provider sends, so its
/// reply can be cached under the live request's hash.
public protocol BatchAPI: Sendable {
    var endpoint: ProviderEndpoint { get }
    var limits: BatchLimits { get }
    /// One request as it goes into a batch (a JSONL line, or an element of `requests`).
    func encode(_ request: BatchRequest) -> [UInt8]
    /// Bytes a batch adds beyond its requests' `encode` sizes (plus one separator each).
    var overhead: Int { get }
    /// Creates one batch of already encoded requests (within `limits`).
    func submit(_ encoded: [[UInt8]]) async throws(ProviderError) -> BatchStatus
    func status(_ remoteID: String) async throws(ProviderError) -> BatchStatus
    /// Asks the provider to stop; requests already answered stay in the results.
    func cancel(_ remoteID: String) async throws(ProviderError) -> BatchStatus
    /// Every answered or failed request of an ended batch.
    func results(_ status: BatchStatus) async throws(ProviderError) -> [BatchItemResult]
}

/// Builds the batch API of an endpoint, for the providers that have one.
public enum BatchAPIFactory {
    /// Providers with a batch API here (preset names).
    public static let providers = ["openai", "azure_openai", "anthropic"]

    /// The batch API for `endpoint`, nil when its provider has none here (OpenAI-compatible
    /// presets speak OpenAI's chat wire, but not necessarily its Batch API).
    public static func make(endpoint: ProviderEndpoint, limits: BatchLimits? = nil) -> (any BatchAPI)? {
        guard providers.contains(endpoint.preset.name) else { return nil }
        switch endpoint.preset.wire {
        case .openai: return OpenAIBatchAPI(endpoint: endpoint, limits: limits ?? .openAI)
        case .azureOpenAI: return OpenAIBatchAPI(endpoint: endpoint, limits: limits ?? .azureOpenAI)
        case .anthropic: return AnthropicBatchAPI(endpoint: endpoint, limits: limits ?? .anthropic)
        case .ollama: return nil
        }
    }

    /// The default limits of a provider's batch API.
    public static func defaultLimits(provider: String) -> BatchLimits {
        switch provider {
        case "anthropic": return .anthropic
        case "azure_openai": return .azureOpenAI
        default: return .openAI
        }
    }
}
