/// What a user asked for, before anything is decided: each optional field left nil means "the
/// mem0 config's value if there is one, else the prompt's own, else the default". Both front
/// ends build one (from flags, from a stored run, from the workbench's settings pane) and hand
/// it to `RunResolver`, so a run means the same thing whichever way it was asked for.
public struct RunRecipe: Sendable {
    /// Where the scoring prompt comes from.
    public enum PromptChoice: Sendable {
        /// A prompt file to load.
        case file(String)
        /// A prompt already in hand (a stored run's, the workbench's editor).
        case given(ScoringPrompt)
        /// A replayed recording's own prompt (with its mode, parser and scale), else the mem0
        /// config's `scoring_prompt`, else mem0's default prompt for the mode.
        case configOrDefault
    }

    public var prompt: PromptChoice = .configOrDefault
    public var mode: PromptMode?
    /// A mem0 reranker config and the path it came from.
    public var config: Mem0RerankerConfig?
    public var configPath: String?
    public var provider: String?
    public var model: String?
    /// Endpoint fields; nil: the config's, else the environment's, else the provider's default.
    public var baseURL: String?
    /// Never stored: recipes are not persisted, and settings hold no key.
    public var apiKey: String?
    /// Where `apiKey` came from, in the front end's words (for messages about a refused key).
    public var apiKeySource: String?
    public var azureDeployment: String?
    public var azureEndpoint: String?
    public var azureAPIVersion: String?
    public var topP: Double?
    public var isReasoningModel: Bool?
    public var route: OpenAIRoute?
    /// `local`: a GGUF file to serve instead of the installed model.
    public var modelFile: String?
    /// llama.cpp servers: false turns off prompt (KV) cache reuse.
    public var promptCache: Bool?
    /// A recording to replay instead of calling a model.
    public var replay: String?

    public var temperature: Double?
    public var maxTokens: Int?
    public var stop: [String] = []
    public var topK: Int?
    public var parser: ScoreParserKind?
    public var scale: ScoreScale?
    /// Ask for token logprobs (and score with the logprob parser unless `parser` says otherwise).
    public var logprobs = false
    public var samples = 1
    public var aggregate: SampleAggregate = .mean
    /// Calls in flight (and the local server's slots); nil: the provider's default.
    public var concurrency: Int?
    public var failurePolicy: FailurePolicy = .mem0
    public var ties: TiePolicy = .stable
    public var metrics = MetricSettings()
    public var retry = RetryPolicy()
    public var timeout: Double? = 60
    public var requestsPerMinute: Int?
    public var tokensPerMinute: Int?
    public var maxCost: Double?
    /// The queries to evaluate on a file with a held-out split; nil: dev on such a file.
    public var split: SplitSelection?

    public init() {}

    /// The recipe that asks for exactly `settings` with `prompt`: what a resumed run rebuilds
    /// from the store, and what the workbench runs from its settings pane. Resolving it gives
    /// `settings` back (a tested round trip), so a resume sends the requests the start sent.
    public init(settings: RunSettings, prompt: ScoringPrompt) {
        self.prompt = .given(prompt)
        mode = settings.mode
        provider = settings.provider
        model = settings.model
        baseURL = settings.baseURL
        azureDeployment = settings.azureDeployment
        azureAPIVersion = settings.azureAPIVersion
        topP = settings.topP
        isReasoningModel = settings.isReasoningModel
        route = settings.route
        modelFile = settings.modelFile
        promptCache = settings.promptCache
        temperature = settings.temperature
        maxTokens = settings.maxTokens
        stop = settings.stop
        topK = settings.topK
        parser = settings.parser
        scale = settings.scale
        logprobs = settings.topLogprobs != nil
        samples = settings.samples
        aggregate = settings.aggregate
        concurrency = settings.concurrency
        failurePolicy = settings.failurePolicy
        ties = settings.ties
        metrics = settings.metrics
        retry = settings.retry
        timeout = settings.timeout
        requestsPerMinute = settings.requestsPerMinute
        tokensPerMinute = settings.tokensPerMinute
        maxCost = settings.maxCost
        split = settings.split
    }

    /// The endpoint fields (and key) of `other`, where this recipe leaves them open and both
    /// name the same provider: the workbench keeps a mem0 config's Azure deployment and the
    /// key given at start while the user changes other settings.
    public mutating func fillEndpoint(from other: RunRecipe) {
        guard (provider ?? other.resolvedProviderName) == other.resolvedProviderName else { return }
        if config == nil { config = other.config; configPath = other.configPath }
        baseURL = baseURL ?? other.baseURL
        if apiKey == nil { apiKey = other.apiKey; apiKeySource = other.apiKeySource }
        azureDeployment = azureDeployment ?? other.azureDeployment
        azureEndpoint = azureEndpoint ?? other.azureEndpoint
        azureAPIVersion = azureAPIVersion ?? other.azureAPIVersion
        topP = topP ?? other.topP
        isReasoningModel = isReasoningModel ?? other.isReasoningModel
        route = route ?? other.route
        modelFile = modelFile ?? other.modelFile
        promptCache = promptCache ?? other.promptCache
    }

    /// The provider this recipe asks for: a recording's `replay`, else the named one, else the
    /// config's, else the offline baseline.
    public var resolvedProviderName: String {
        if replay != nil { return ProviderCatalog.replayName }
        return provider ?? config?.provider ?? ProviderCatalog.lexicalName
    }
}
