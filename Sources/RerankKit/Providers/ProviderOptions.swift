/// What the user said about reaching a provider, before keys and URLs are resolved.
public struct ProviderOptions: Sendable {
    public var provider: String
    public var baseURL: String?
    public var apiKey: String?
    /// Where `apiKey` came from, for messages (`--api-key`, `config`).
    public var apiKeySource: String?
    public var azureDeployment: String?
    public var azureEndpoint: String?
    public var azureAPIVersion: String?
    public var isReasoningModel: Bool?
    public var topP: Double?
    /// Chat or plain completions (OpenAI-compatible providers); nil: the provider's default.
    public var route: OpenAIRoute?
    /// `local`: a GGUF file to serve instead of the installed model.
    public var modelFile: String?
    /// `local`: parallel sequences the server runs (the run's concurrency).
    public var serverSlots: Int?
    /// llama.cpp servers: false turns off prompt (KV) cache reuse for each request.
    public var promptCache: Bool?

    public init(provider: String, baseURL: String? = nil, apiKey: String? = nil, apiKeySource: String? = nil,
                azureDeployment: String? = nil, azureEndpoint: String? = nil, azureAPIVersion: String? = nil,
                isReasoningModel: Bool? = nil, topP: Double? = 0.1, route: OpenAIRoute? = nil) {
        self.provider = provider
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.apiKeySource = apiKeySource
        self.azureDeployment = azureDeployment
        self.azureEndpoint = azureEndpoint
        self.azureAPIVersion = azureAPIVersion
        self.isReasoningModel = isReasoningModel
        self.topP = topP
        self.route = route
    }

    /// Resolves key and URL the way the official clients do: explicit values first, then the
    /// provider's environment variables. A required key that is missing is an error naming the
    /// variable to set.
    public func resolve(environment: [String: String], model: String) throws(ProviderSetupError) -> ProviderEndpoint {
        guard let preset = ProviderPreset.named(provider) else {
            throw ProviderSetupError(message: "unknown provider '\(provider)'; known providers: \(ProviderCatalog.names.joined(separator: ", "))")
        }
        func env(_ name: String?) -> String? {
            guard let name, let v = environment[name], !v.isEmpty else { return nil }
            return v
        }
        var key = apiKey
        var source = apiKeySource
        if key == nil, let v = env(preset.keyVariable) {
            key = v
            source = preset.keyVariable
        }
        if preset.keyRequired, key == nil {
            throw ProviderSetupError(message: "provider '\(preset.name)' needs an API key: set \(preset.keyVariable ?? "the key") in the environment (or pass --api-key)")
        }
        var base = baseURL ?? env(preset.baseURLVariable) ?? preset.baseURL
        if preset.wire == .azureOpenAI {
            base = azureEndpoint ?? baseURL ?? env("AZURE_OPENAI_ENDPOINT") ?? ""
            if base.isEmpty {
                throw ProviderSetupError(message: "provider 'azure_openai' needs an endpoint: set AZURE_OPENAI_ENDPOINT or azure_kwargs.azure_endpoint (or --base-url)")
            }
        }
        if preset.name == "ollama", base == env("OLLAMA_HOST"), !base.hasPrefix("http") {
            base = "http://" + base
        }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw ProviderSetupError(message: "base URL '\(base)' must start with http:// or https://")
        }
        if route == .completions, preset.wire != .openai {
            throw ProviderSetupError(message: "--api completions needs an OpenAI-compatible provider; '\(preset.name)' speaks only its chat API")
        }
        if promptCache == false, preset.wire != .openai || !preset.isLocal {
            throw ProviderSetupError(message: "--no-prompt-cache is a llama.cpp server setting: use it with --provider local or llamacpp")
        }
        let deployment = azureDeployment ?? env("AZURE_OPENAI_DEPLOYMENT") ?? model
        let version = azureAPIVersion ?? env("AZURE_OPENAI_API_VERSION") ?? env("OPENAI_API_VERSION")
        var endpoint = ProviderEndpoint(preset: preset, baseURL: base, apiKey: key, keySource: source,
                                        azureDeployment: deployment, azureAPIVersion: version,
                                        isReasoningModel: isReasoningModel, topP: topP, route: route ?? preset.defaultRoute)
        endpoint.promptCache = promptCache
        return endpoint
    }
}
