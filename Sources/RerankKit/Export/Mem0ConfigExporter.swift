/// A mem0 reranker config for a provider, model and prompt, with the key as an environment
/// variable reference (`${OPENAI_API_KEY}`), never the key. `Mem0RerankerConfig` reads it back.
public enum Mem0ConfigExporter {
    public static func json(settings: RunSettings, prompt: String) -> String {
        let preset = ProviderPreset.named(settings.provider)
        let keyRef = preset?.keyVariable.map { "${\($0)}" }
        var config: [(String, JSONValue)] = [
            ("provider", .string(settings.provider == "lexical" ? "openai" : settings.provider)),
            ("model", .string(settings.model)),
        ]
        if let keyRef { config.append(("api_key", .string(keyRef))) }
        if let k = settings.topK { config.append(("top_k", JSONBody.int(k))) }
        config.append(("temperature", JSONBody.double(settings.temperature ?? 0)))
        config.append(("max_tokens", JSONBody.int(settings.maxTokens ?? 100)))
        config.append(("scoring_prompt", .string(prompt)))
        if let base = settings.baseURL, let preset, base != preset.baseURL {
            var nested: [(String, JSONValue)] = [("model", .string(settings.model))]
            if preset.wire == .azureOpenAI {
                nested.append(("azure_kwargs", .object([("azure_endpoint", .string(base)), ("api_key", .string(keyRef ?? ""))])))
            } else {
                nested.append(("\(settings.provider)_base_url", .string(base)))
            }
            config.append(("llm", .object([("provider", .string(settings.provider)), ("config", .object(nested))])))
        }
        let root = JSONValue.object([("reranker", .object([("provider", .string("llm_reranker")), ("config", .object(config))]))])
        return pretty(root) + "\n"
    }

    /// Two-space indented JSON with keys in their given order.
    static func pretty(_ v: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch v {
        case let .object(members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { inner + JSONText.quote($0.0) + ": " + pretty($0.1, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "}"
        case let .array(items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        default:
            return v.serialized()
        }
    }
}
