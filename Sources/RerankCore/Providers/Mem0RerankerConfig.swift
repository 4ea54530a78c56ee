import Foundation
import Yams

/// A mem0 reranker config (`{"reranker": {"provider": "llm_reranker", "config": {...}}}` or just
/// the inner config), in JSON or YAML, resolved with mem0's precedence rules: the nested `llm`
/// block's values win; top-level `model`, `temperature`, `max_tokens` and `api_key` only fill
/// what it lacks. Keys mem0 would silently ignore become warnings naming them.
public struct Mem0RerankerConfig: Sendable, Equatable {
    public var provider: String
    public var model: String
    public var apiKey: String?
    public var topK: Int?
    public var temperature: Double
    public var maxTokens: Int
    /// nil or empty: mem0 uses its default prompt.
    public var scoringPrompt: String?
    public var baseURL: String?
    public var azureDeployment: String?
    public var azureEndpoint: String?
    public var azureAPIVersion: String?
    public var isReasoningModel: Bool?
    public var topP: Double?
    public var warnings: [String]

    static let topLevelKeys: Set<String> = ["provider", "model", "api_key", "top_k", "temperature", "max_tokens", "scoring_prompt", "llm"]
    static let nestedKeys: Set<String> = ["model", "temperature", "max_tokens", "api_key", "top_p", "top_k", "azure_kwargs",
                                          "is_reasoning_model", "http_client_proxies", "enable_vision", "vision_details",
                                          "models", "route", "site_url", "app_name", "response_format"]
    /// mem0 provider names that map onto RerankBench presets.
    static let providerNames: [String: String] = [
        "openai": "openai", "azure_openai": "azure_openai", "anthropic": "anthropic", "ollama": "ollama",
        "groq": "groq", "together": "together", "deepseek": "deepseek", "xai": "xai", "lmstudio": "lmstudio",
        "vllm": "vllm", "gemini": "gemini", "openrouter": "openrouter", "llamacpp": "llamacpp",
    ]

    /// Reads a config file. `environment` resolves `$VAR`, `${VAR}` and `env:VAR` key references.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(InputError) -> Mem0RerankerConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "no such config file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, message: "is not UTF-8 text")
        }
        return try parse(text, file: path, environment: environment)
    }

    public static func parse(_ text: String, file: String = "<config>", environment: [String: String] = [:]) throws(InputError) -> Mem0RerankerConfig {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch {
            throw InputError(file: file, message: "neither JSON nor YAML: \(error)")
        }
        guard var inner = root as? [String: Any] else {
            throw InputError(file: file, message: "expected an object: {\"reranker\": {\"provider\": \"llm_reranker\", \"config\": {...}}} or the inner config")
        }
        var place = "config"
        if let reranker = inner["reranker"] {
            guard let r = reranker as? [String: Any] else { throw InputError(file: file, field: "reranker", message: "expected an object") }
            inner = r
            place = "reranker"
        }
        if let kind = inner["provider"] as? String, inner["config"] != nil {
            guard kind == "llm_reranker" || kind == "llm" else {
                throw InputError(file: file, field: "\(place).provider", message: "\(TerminalText.quoted(kind)) is not an LLM reranker; RerankBench tunes llm_reranker configs")
            }
            guard let c = inner["config"] as? [String: Any] else { throw InputError(file: file, field: "\(place).config", message: "expected an object") }
            inner = c
            place += ".config"
        }
        var warnings: [String] = []
        for key in inner.keys.sorted() where !topLevelKeys.contains(key) {
            var hint = ""
            if key.hasSuffix("_base_url") || key == "azure_kwargs" { hint = "; mem0 reads it only inside llm.config" }
            warnings.append("\(file): \(place).\(TerminalText.inert(key)): unknown key, mem0 ignores it silently\(hint)")
        }
        var nested: [String: Any] = [:]
        var nestedProvider: String?
        if let llm = inner["llm"] {
            guard let l = llm as? [String: Any] else { throw InputError(file: file, field: "\(place).llm", message: "expected {\"provider\": ..., \"config\": {...}}") }
            nestedProvider = l["provider"] as? String
            if let c = l["config"] {
                guard let cc = c as? [String: Any] else { throw InputError(file: file, field: "\(place).llm.config", message: "expected an object") }
                nested = cc
            }
            for key in nested.keys.sorted() where !nestedKeys.contains(key) && !key.hasSuffix("_base_url") {
                warnings.append("\(file): \(place).llm.config.\(TerminalText.inert(key)): unknown key, not used by RerankBench")
            }
        }
        func value(_ key: String) -> Any? { nested[key] ?? inner[key] }
        let mem0Provider = nestedProvider ?? (inner["provider"] as? String) ?? "openai"
        guard let provider = providerNames[mem0Provider] else {
            throw InputError(file: file, field: "\(place).provider", message: "mem0 provider \(TerminalText.quoted(mem0Provider)) is not supported here; use one of \(providerNames.keys.sorted().joined(separator: ", "))")
        }
        func double(_ key: String) throws(InputError) -> Double? {
            guard let v = value(key) else { return nil }
            if let d = v as? Double { return d }
            if let i = v as? Int { return Double(i) }
            throw InputError(file: file, field: key, message: "expected a number")
        }
        func int(_ key: String, from dict: [String: Any]) throws(InputError) -> Int? {
            guard let v = dict[key], !(v is NSNull) else { return nil }
            if let i = v as? Int { return i }
            throw InputError(file: file, field: key, message: "expected a whole number")
        }
        let topK = try int("top_k", from: inner)
        let temperature = try double("temperature") ?? 0.0
        let nestedMax = try int("max_tokens", from: nested)
        let topMax = try int("max_tokens", from: inner)
        let topP = try double("top_p") ?? 0.1
        var config = Mem0RerankerConfig(
            provider: provider, model: (value("model") as? String) ?? "gpt-5-mini", apiKey: nil,
            topK: topK, temperature: temperature, maxTokens: nestedMax ?? topMax ?? 100,
            scoringPrompt: inner["scoring_prompt"] as? String, baseURL: nil, azureDeployment: nil, azureEndpoint: nil,
            azureAPIVersion: nil, isReasoningModel: nested["is_reasoning_model"] as? Bool, topP: topP,
            warnings: warnings)
        config.apiKey = resolveKey(value("api_key") as? String, environment: environment)
        for (key, v) in nested where key.hasSuffix("_base_url") {
            if let url = v as? String, key == "\(mem0Provider)_base_url" || config.baseURL == nil { config.baseURL = url }
        }
        if let azure = nested["azure_kwargs"] as? [String: Any] {
            config.azureDeployment = azure["azure_deployment"] as? String
            config.azureEndpoint = azure["azure_endpoint"] as? String
            config.azureAPIVersion = azure["api_version"] as? String
            if let k = resolveKey(azure["api_key"] as? String, environment: environment) { config.apiKey = k }
        }
        if config.topK == 0 { config.topK = nil }
        return config
    }

    /// `$VAR`, `${VAR}` and `env:VAR` read the environment; anything else is the key itself.
    static func resolveKey(_ raw: String?, environment: [String: String]) -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        var name: String?
        if raw.hasPrefix("${"), raw.hasSuffix("}") { name = String(raw.dropFirst(2).dropLast()) }
        else if raw.hasPrefix("env:") { name = String(raw.dropFirst(4)) }
        else if raw.hasPrefix("$") { name = String(raw.dropFirst()) }
        if let name { return environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        return raw
    }
}
