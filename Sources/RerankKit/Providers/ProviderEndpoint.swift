/// Where and how to reach a provider: base URL, key and wire-specific settings.
/// The key lives only in memory; `description` and every error redact it.
public struct ProviderEndpoint: Sendable, CustomStringConvertible {
    public var preset: ProviderPreset
    public var baseURL: String
    public var apiKey: String?
    /// Where the key came from (`OPENAI_API_KEY`, `--api-key`, `config`), for messages.
    public var keySource: String?
    /// Azure: the deployment name and API version.
    public var azureDeployment: String?
    public var azureAPIVersion: String?
    /// Overrides mem0's model-name rule for reasoning models (mem0's `is_reasoning_model`).
    public var isReasoningModel: Bool?
    /// mem0 sends `top_p: 0.1` to OpenAI-style APIs; kept for parity, nil sends none.
    public var topP: Double?

    public init(preset: ProviderPreset, baseURL: String? = nil, apiKey: String? = nil, keySource: String? = nil,
                azureDeployment: String? = nil, azureAPIVersion: String? = nil, isReasoningModel: Bool? = nil, topP: Double? = 0.1) {
        self.preset = preset
        self.baseURL = Self.trimmed(baseURL ?? preset.baseURL)
        self.apiKey = apiKey
        self.keySource = keySource
        self.azureDeployment = azureDeployment
        self.azureAPIVersion = azureAPIVersion
        self.isReasoningModel = isReasoningModel
        self.topP = topP
    }

    static func trimmed(_ url: String) -> String {
        var u = url
        while u.hasSuffix("/") { u.removeLast() }
        return u
    }

    public var redactor: SecretRedactor { SecretRedactor(secrets: [apiKey]) }

    public var description: String {
        "\(preset.name) at \(baseURL)" + (apiKey != nil ? " (key from \(keySource ?? "option"))" : "")
    }
}
