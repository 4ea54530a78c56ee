import RerankKit

extension RunRecipe {
    /// A recipe naming a provider and model (tests build the rest field by field).
    public static func named(_ provider: String, model: String? = "m", apiKey: String? = nil, baseURL: String? = nil) -> RunRecipe {
        var recipe = RunRecipe()
        recipe.provider = provider
        recipe.model = model
        recipe.apiKey = apiKey
        recipe.baseURL = baseURL
        return recipe
    }

    /// The endpoint the resolver decides for this recipe, in `environment`.
    public func resolvedEndpoint(environment: [String: String] = [:]) throws -> ProviderEndpoint {
        let resolver = RunResolver(environment: environment)
        guard case let .endpoint(endpoint, _, _) = try resolver.provider(self, prompt: BuiltinPrompts.mem0SystemPrompt) else {
            throw RecipeError(.unknownProvider, "not an HTTP provider")
        }
        return endpoint
    }
}
