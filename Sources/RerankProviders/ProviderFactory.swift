import Foundation
import RerankCore

/// Builds the provider a run talks to, and reports which providers are ready on this machine.
/// The network and the local llama.cpp server live here, outside the core.
public enum ProviderFactory {
    /// Builds the provider a resolved run asked for. `lexical` needs the dataset (its term
    /// statistics); `local` needs the installed llama.cpp server (or says how to get it).
    public static func make(_ spec: ProviderSpec, dataset: Dataset,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(ProviderSetupError) -> any ChatProvider {
        switch spec {
        case .lexical:
            return LexicalProvider(dataset: dataset)
        case let .replay(player):
            return player
        case let .endpoint(endpoint, _, local?):
            let home = LocalModelHome.resolve(environment: environment)
            guard let installation = LocalInstallation.load(from: home) else {
                throw ProviderSetupError(LocalModelError.notInstalled(home))
            }
            do {
                return try LocalProvider(installation: installation, modelFile: local.modelFile, endpoint: endpoint, slots: local.slots, home: home)
            } catch {
                throw ProviderSetupError(error)
            }
        case let .endpoint(endpoint, _, nil):
            return make(endpoint: endpoint)
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
        /// What to do when the provider is not ready, worded by each front end.
        public var remedies: [Remedy] = []

        /// The detail with its remedies in a front end's words: "not installed: run ...".
        public func detail(_ wording: RemedyWording) -> String {
            remedies.isEmpty ? detail : detail + ": " + wording.join(remedies)
        }
    }

    public static func availability(environment: [String: String] = ProcessInfo.processInfo.environment) async -> [Availability] {
        var rows = [Availability(name: ProviderCatalog.lexicalName, summary: "BM25 keyword baseline (not an LLM: ignores the prompt)",
                                 defaultModel: LexicalProvider.modelName, ready: true, detail: "offline, no key")]
        for preset in ProviderPreset.all {
            if preset.name == ProviderPreset.localName {
                let state = LocalModelState.current(home: LocalModelHome.resolve(environment: environment))
                rows.append(Availability(name: preset.name, summary: preset.summary, defaultModel: preset.defaultModel,
                                         ready: state.isInstalled, detail: state.summary, remedies: state.remedies))
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


extension ProviderSetupError {
    /// The setup error for a local model that cannot be served, with its problem and remedies.
    init(_ error: LocalModelError) {
        let code: Code
        switch error.code {
        case .notInstalled: code = .localModelNotInstalled
        case .noSuchModelFile: code = .noSuchModelFile
        default: code = .localModelUnusable
        }
        self.init(code, error.problem, remedies: error.remedies)
    }
}
