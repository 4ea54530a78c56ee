/// What a run will cost before it starts: calls, tokens (estimated from text length) and money.
public struct CostEstimate: Sendable {
    public var calls: Int
    /// About 4 characters per token, the usual rule of thumb for English text.
    public var inputTokens: Int
    /// Upper bound: every call uses its full max_tokens.
    public var maxOutputTokens: Int
    /// Likely output: a short score reply (8 tokens) unless max_tokens is smaller.
    public var likelyOutputTokens: Int
    public var likelyCost: Double?
    public var maxCost: Double?

    public init(plan: RunPlan, settings: RunSettings, prices: PriceTable) {
        calls = plan.count
        // Each message's characters and 8 for its role and framing.
        inputTokens = plan.renderedCharacters(perMessage: 8) / 4
        let maxTokens = settings.maxTokens ?? 100
        maxOutputTokens = calls * maxTokens
        likelyOutputTokens = calls * min(8, maxTokens)
        if let price = prices.price(provider: settings.provider, model: settings.model) {
            likelyCost = price.cost(TokenUsage(promptTokens: inputTokens, completionTokens: likelyOutputTokens))
            maxCost = price.cost(TokenUsage(promptTokens: inputTokens, completionTokens: maxOutputTokens))
        }
    }
}
