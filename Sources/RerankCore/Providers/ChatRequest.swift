/// One scoring call: the rendered messages plus the settings every provider maps to its own fields.
public struct ChatRequest: Sendable, Hashable {
    public var model: String
    public var messages: [ChatMessage]
    public var temperature: Double?
    public var maxTokens: Int?
    public var stop: [String]
    /// Ask for token log-probabilities with this many alternatives per position (nil: none).
    public var topLogprobs: Int?
    /// Which repeated sample of the same pair this is (0-based); lets providers vary seeds.
    public var sampleIndex: Int
    /// The raw query and memory text, for providers that score without a language model
    /// (`lexical`) and for logs. Wire-format providers send only `messages`.
    public var query: String
    public var document: String
    /// Seconds the call may take (set by the runner from the run's settings).
    public var timeout: Double?

    public init(model: String, messages: [ChatMessage], temperature: Double? = 0.0, maxTokens: Int? = 100,
                stop: [String] = [], topLogprobs: Int? = nil, sampleIndex: Int = 0, query: String = "", document: String = "") {
        self.model = model
        self.messages = messages
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.stop = stop
        self.topLogprobs = topLogprobs
        self.sampleIndex = sampleIndex
        self.query = query
        self.document = document
    }
}
