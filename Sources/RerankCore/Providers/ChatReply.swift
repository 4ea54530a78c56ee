/// What a provider returned for one call.
public struct ChatReply: Sendable, Hashable, Codable {
    /// The reply text; nil when the API returned null content.
    public var text: String?
    /// The provider's finish reason, normalised: `stop`, `length`, or the provider's own word.
    public var finishReason: String?
    public var usage: TokenUsage
    /// Per generated token, its log-probability and the top alternatives, when requested and given.
    public var logprobs: [TokenLogprob]?
    /// Wall time of the call in seconds, including retries.
    public var latency: Double

    public init(text: String?, finishReason: String? = "stop", usage: TokenUsage = TokenUsage(), logprobs: [TokenLogprob]? = nil, latency: Double = 0) {
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
        self.logprobs = logprobs
        self.latency = latency
    }

    /// True when the reply was cut by the token limit.
    public var wasTruncated: Bool { finishReason == "length" || finishReason == "max_tokens" }
}

/// Token counts reported by the provider.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int

    public init(promptTokens: Int = 0, completionTokens: Int = 0) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    public var total: Int { promptTokens + completionTokens }

    public static func + (a: TokenUsage, b: TokenUsage) -> TokenUsage {
        TokenUsage(promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens)
    }
}

/// One generated token with its log-probability and the most likely alternatives at that position.
public struct TokenLogprob: Sendable, Hashable, Codable {
    public var token: String
    public var logprob: Double
    public var top: [Alternative]

    public struct Alternative: Sendable, Hashable, Codable {
        public var token: String
        public var logprob: Double

        public init(token: String, logprob: Double) {
            self.token = token
            self.logprob = logprob
        }
    }

    public init(token: String, logprob: Double, top: [Alternative] = []) {
        self.token = token
        self.logprob = logprob
        self.top = top
    }
}
