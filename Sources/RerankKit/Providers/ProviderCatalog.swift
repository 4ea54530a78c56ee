import Foundation

/// The providers RerankBench knows, and how to build one for a run.
public enum ProviderCatalog {
    /// Every provider name users can pass.
    public static var names: [String] { ["lexical"] + ProviderPreset.all.map(\.name) }

    public static func defaultModel(_ provider: String) -> String {
        provider == "lexical" ? LexicalProvider.modelName : ProviderPreset.named(provider)?.defaultModel ?? ""
    }

    /// Builds the provider for a run. `lexical` needs the dataset (its term statistics).
    public static func make(options: ProviderOptions, model: String, dataset: Dataset,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(ProviderSetupError) -> any ChatProvider {
        if options.provider == "lexical" { return LexicalProvider(dataset: dataset) }
        guard ProviderPreset.named(options.provider) != nil else {
            throw ProviderSetupError(message: "unknown provider '\(options.provider)'; known providers: \(names.joined(separator: ", "))")
        }
        if model.isEmpty {
            throw ProviderSetupError(message: "provider '\(options.provider)' needs a model name: pass --model NAME")
        }
        let endpoint = try options.resolve(environment: environment, model: model)
        if options.provider == ProviderPreset.localName {
            return try makeLocal(options: options, endpoint: endpoint, environment: environment)
        }
        if options.modelFile != nil {
            throw ProviderSetupError(message: "--model-file works only with --provider local; for '\(options.provider)' name the model with --model")
        }
        return make(endpoint: endpoint)
    }

    /// The managed llama.cpp server: needs the install (or says how to get it).
    static func makeLocal(options: ProviderOptions, endpoint: ProviderEndpoint,
                          environment: [String: String]) throws(ProviderSetupError) -> LocalProvider {
        let home = LocalModelHome.resolve(environment: environment)
        guard let installation = LocalInstallation.load(from: home) else {
            throw ProviderSetupError(message: LocalModelError.notInstalled(home).message)
        }
        if options.baseURL != nil {
            throw ProviderSetupError(message: "--base-url does not apply to --provider local (RerankBench runs the server); for a llama-server you run yourself use --provider llamacpp --base-url URL")
        }
        do {
            return try LocalProvider(installation: installation, modelFile: options.modelFile, endpoint: endpoint,
                                     slots: options.serverSlots ?? endpoint.preset.defaultConcurrency, home: home)
        } catch {
            throw ProviderSetupError(message: error.message)
        }
    }

    public static func make(endpoint: ProviderEndpoint) -> any ChatProvider {
        switch endpoint.preset.wire {
        case .openai, .azureOpenAI: return OpenAIChatProvider(endpoint: endpoint)
        case .anthropic: return AnthropicProvider(endpoint: endpoint)
        case .ollama: return OllamaProvider(endpoint: endpoint)
        }
    }

    /// One line per provider: whether its key is set or its local server answers.
    public struct Availability: Sendable {
        public var name: String
        public var summary: String
        public var defaultModel: String
        public var ready: Bool
        public var detail: String
    }

    public static func availability(environment: [String: String] = ProcessInfo.processInfo.environment) async -> [Availability] {
        var rows = [Availability(name: "lexical", summary: "BM25 keyword baseline (not an LLM: ignores the prompt)",
                                 defaultModel: LexicalProvider.modelName, ready: true, detail: "offline, no key")]
        for preset in ProviderPreset.all {
            if preset.name == ProviderPreset.localName {
                let state = LocalModelState.current(home: LocalModelHome.resolve(environment: environment))
                rows.append(Availability(name: preset.name, summary: preset.summary, defaultModel: preset.defaultModel,
                                         ready: state.isInstalled, detail: state.summary))
            } else if preset.isLocal {
                let base = ProviderEndpoint.trimmed(environment[preset.baseURLVariable ?? ""].flatMap { $0.isEmpty ? nil : $0 } ?? preset.baseURL)
                let up = await reachable(base)
                rows.append(Availability(name: preset.name, summary: preset.summary, defaultModel: preset.defaultModel, ready: up,
                                         detail: up ? "server answers at \(base)" : "no server at \(base)"))
            } else {
                let key = preset.keyVariable.flatMap { environment[$0] }.map { !$0.isEmpty } ?? false
                var detail = key ? "\(preset.keyVariable!) is set" : "set \(preset.keyVariable ?? "a key")"
                if preset.wire == .azureOpenAI, environment["AZURE_OPENAI_ENDPOINT"] == nil { detail += "; set AZURE_OPENAI_ENDPOINT" }
                rows.append(Availability(name: preset.name, summary: preset.summary, defaultModel: preset.defaultModel, ready: key, detail: detail))
            }
        }
        return rows
    }

    /// Whether something accepts TCP connections at the URL's host and port (within 0.3 s).
    static func reachable(_ url: String) async -> Bool {
        guard let components = URLComponents(string: url), let host = components.host else { return false }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        return await Task.detached { TCPProbe.connects(host: host, port: port, timeoutMilliseconds: 300) }.value
    }
}

/// Errors setting up a provider: unknown name, missing key or endpoint.
public struct ProviderSetupError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
