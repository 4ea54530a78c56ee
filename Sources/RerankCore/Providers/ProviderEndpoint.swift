/// Where and how to reach a provider: base URL, key and wire-specific settings.
/// The key lives only in memory; `description` and every error redact it.
public struct ProviderEndpoint: Sendable, CustomStringConvertible {
    public var preset: ProviderPreset
    public var baseURL: String
    public var apiKey: String?
    /// Where the key came from (`OPENAI_API_KEY`, the key option, `config`), for messages.
    public var keySource: String?
    /// Azure: the deployment name and API version.
    public var azureDeployment: String?
    public var azureAPIVersion: String?
    /// Overrides mem0's model-name rule for reasoning models (mem0's `is_reasoning_model`).
    public var isReasoningModel: Bool?
    /// mem0 sends `top_p: 0.1` to OpenAI-style APIs; kept for parity, nil sends none.
    public var topP: Double?
    /// OpenAI-compatible servers: chat completions (mem0's way) or the plain-text completions
    /// endpoint, which base models (no chat template) answer far better.
    public var route: OpenAIRoute
    /// llama.cpp servers: false sends `cache_prompt: false`, so no request reuses the KV cache
    /// of an earlier one's prefix (for measuring what that reuse is worth); nil sends nothing.
    public var promptCache: Bool?

    public init(preset: ProviderPreset, baseURL: String? = nil, apiKey: String? = nil, keySource: String? = nil,
                azureDeployment: String? = nil, azureAPIVersion: String? = nil, isReasoningModel: Bool? = nil, topP: Double? = 0.1,
                route: OpenAIRoute = .chat) {
        self.preset = preset
        self.baseURL = Self.trimmed(baseURL ?? preset.baseURL)
        self.apiKey = apiKey
        self.keySource = keySource
        self.azureDeployment = azureDeployment
        self.azureAPIVersion = azureAPIVersion
        self.isReasoningModel = isReasoningModel
        self.topP = topP
        self.route = route
    }

    package static func trimmed(_ url: String) -> String {
        var u = url
        while u.hasSuffix("/") { u.removeLast() }
        return u
    }

    public var redactor: SecretRedactor { SecretRedactor(secrets: [apiKey]) }

    public var description: String {
        "\(preset.name) at \(baseURL)" + (apiKey != nil ? " (key from \(keySource ?? "option"))" : "")
    }
}

/// Which OpenAI endpoint carries the scoring call.
public enum OpenAIRoute: String, Sendable, Hashable, CaseIterable, Codable {
    /// `POST {base}/chat/completions` with `messages`.
    case chat
    /// `POST {base}/completions` with one `prompt`: the messages joined by a blank line, so a
    /// base model sees the prompt exactly as written, without a chat template.
    case completions
}
