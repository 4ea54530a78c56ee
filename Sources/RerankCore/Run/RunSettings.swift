/// What a failed call scores.
public enum FailurePolicy: String, Sendable, CaseIterable, Codable {
    /// A failed call scores 0.5, as mem0 does, but is counted and flagged.
    case mem0
    /// A failed call leaves the pair unscored; it ranks last and is shown as failed.
    case strict
}

/// How repeated samples of one pair combine into its score.
public enum SampleAggregate: String, Sendable, CaseIterable, Codable {
    case mean, median
}

/// Everything that decides a run's result, except secrets.
public struct RunSettings: Sendable, Hashable, Codable {
    public var provider: String
    public var model: String
    public var mode: PromptMode
    public var parser: ScoreParserKind
    public var scale: ScoreScale
    public var temperature: Double?
    public var maxTokens: Int?
    public var stop: [String]
    /// Ask for this many top logprobs per position (nil: none).
    public var topLogprobs: Int?
    /// Keep only the first k after reranking (mem0's top_k); nil keeps all.
    public var topK: Int?
    public var samples: Int
    public var aggregate: SampleAggregate
    public var concurrency: Int
    public var failurePolicy: FailurePolicy
    public var ties: TiePolicy
    public var metrics: MetricSettings
    public var retry: RetryPolicy
    /// Per-request timeout in seconds (nil: none).
    public var timeout: Double?
    /// The provider's base URL (part of a run's identity; never holds a key).
    public var baseURL: String?
    /// Requests and tokens per minute the run may use (nil: unlimited).
    public var requestsPerMinute: Int?
    public var tokensPerMinute: Int?
    /// Stop cleanly once the run has cost this many US dollars (nil: no budget).
    public var maxCost: Double?
    /// OpenAI-compatible providers: the endpoint used (nil: the provider's default).
    public var route: OpenAIRoute?
    /// `local`: the GGUF file served instead of the installed model (nil: the installed one).
    public var modelFile: String?
    /// llama.cpp servers: false when the run turned off prompt-cache reuse (nil: server default).
    public var promptCache: Bool?
    /// Azure OpenAI: the deployment and API version (so a run can be resumed; not secrets).
    public var azureDeployment: String?
    public var azureAPIVersion: String?
    /// A mem0 config's `top_p` (nil: mem0's default, 0.1) and `is_reasoning_model` (nil: mem0's
    /// model-name rule), kept so a resumed run sends what the first part sent.
    public var topP: Double?
    public var isReasoningModel: Bool?
    /// The queries evaluated when the dataset has a held-out split (nil: a file without one, or a
    /// run from before splits existed; every query).
    public var split: SplitSelection?

    public init(provider: String = ProviderCatalog.lexicalName, model: String = LexicalProvider.modelName, mode: PromptMode = .system,
                parser: ScoreParserKind = .mem0, scale: ScoreScale = .unit, temperature: Double? = 0.0,
                maxTokens: Int? = 100, stop: [String] = [], topLogprobs: Int? = nil, topK: Int? = nil,
                samples: Int = 1, aggregate: SampleAggregate = .mean, concurrency: Int = 8,
                failurePolicy: FailurePolicy = .mem0, ties: TiePolicy = .stable,
                metrics: MetricSettings = MetricSettings(), retry: RetryPolicy = RetryPolicy(), timeout: Double? = 60,
                baseURL: String? = nil, requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, maxCost: Double? = nil,
                route: OpenAIRoute? = nil, modelFile: String? = nil) {
        self.provider = provider
        self.model = model
        self.mode = mode
        self.parser = parser
        self.scale = scale
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.stop = stop
        self.topLogprobs = topLogprobs
        self.topK = topK
        self.samples = samples
        self.aggregate = aggregate
        self.concurrency = concurrency
        self.failurePolicy = failurePolicy
        self.ties = ties
        self.metrics = metrics
        self.retry = retry
        self.timeout = timeout
        self.baseURL = baseURL
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.maxCost = maxCost
        self.route = route
        self.modelFile = modelFile
    }
}

/// Bounded retries with exponential backoff and jitter.
public struct RetryPolicy: Sendable, Hashable, Codable {
    public var maxRetries: Int
    /// Delay before the first retry, in seconds; doubles each time.
    public var baseDelay: Double
    public var maxDelay: Double

    public init(maxRetries: Int = 3, baseDelay: Double = 0.5, maxDelay: Double = 30) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The wait before retry number `attempt` (1-based). `unit` is a random number in 0..<1
    /// ("full jitter": anywhere between half and all of the exponential step). A server's
    /// Retry-After wins when it asks for longer.
    public func delay(attempt: Int, retryAfter: Double?, unit: Double) -> Double {
        let step = min(maxDelay, baseDelay * pow2(attempt - 1))
        let jittered = step * (0.5 + 0.5 * unit)
        if let retryAfter { return min(max(retryAfter, jittered), max(maxDelay, retryAfter)) }
        return jittered
    }

    private func pow2(_ n: Int) -> Double {
        var v = 1.0
        for _ in 0..<max(0, n) { v *= 2 }
        return v
    }
}
