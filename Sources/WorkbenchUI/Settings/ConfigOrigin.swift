import RerankCore

/// What a mem0 config given at start decides about reaching its provider, so the settings pane
/// can say where the endpoint and key come from (they are not settings rows of their own).
public struct ConfigOrigin: Sendable, Equatable {
    public var path: String
    public var provider: String
    public var endpoint: String?
    public var deployment: String?
    public var apiVersion: String?
    public var hasKey: Bool

    public init(path: String, provider: String, endpoint: String? = nil, deployment: String? = nil, apiVersion: String? = nil, hasKey: Bool = false) {
        self.path = path
        self.provider = provider
        self.endpoint = endpoint
        self.deployment = deployment
        self.apiVersion = apiVersion
        self.hasKey = hasKey
    }

    /// Nil when the recipe has no config.
    public init?(recipe: RunRecipe) {
        guard let config = recipe.config else { return nil }
        self.init(path: recipe.configPath ?? "config", provider: config.provider, endpoint: config.azureEndpoint ?? config.baseURL,
                  deployment: config.azureDeployment, apiVersion: config.azureAPIVersion, hasKey: config.apiKey != nil)
    }

    /// The endpoint line for the Base URL row: "deployment d, api 2024-10-21, https://x.openai.azure.com  (FILE)".
    public var endpointSummary: String? {
        // The deployment first: an Azure URL is long, and the pane clips at its edge.
        var parts: [String] = []
        if let deployment { parts.append("deployment \(deployment)") }
        if let apiVersion { parts.append("api \(apiVersion)") }
        if let endpoint { parts.append(endpoint) }
        return parts.isEmpty ? nil : parts.joined(separator: ", ") + "  (\(path))"
    }
}
