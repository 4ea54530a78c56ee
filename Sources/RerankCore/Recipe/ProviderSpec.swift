/// Which provider a resolved run talks to, fully decided but not yet built: building one may
/// need the network or a local server, which live outside the core (`ProviderFactory`).
public enum ProviderSpec: Sendable {
    /// The offline BM25 keyword baseline (built from the dataset's term statistics).
    case lexical
    /// The replies of a recording.
    case replay(ReplayProvider)
    /// A model behind an HTTP endpoint (or the managed local llama.cpp server).
    case endpoint(ProviderEndpoint, model: String, local: LocalServing?)

    /// What the managed local server needs beyond the endpoint.
    public struct LocalServing: Sendable, Hashable {
        /// The absolute path of a GGUF file to serve instead of the installed model.
        public var modelFile: String?
        /// Parallel sequences the server runs.
        public var slots: Int
    }

    /// The provider's name as runs record it.
    public var name: String {
        switch self {
        case .lexical: return ProviderCatalog.lexicalName
        case .replay: return ProviderCatalog.replayName
        case let .endpoint(endpoint, _, _): return endpoint.preset.name
        }
    }

    /// Whether the provider reads the prompt at all (the lexical baseline does not).
    public var ignoresPrompt: Bool {
        if case .lexical = self { return true }
        return false
    }
}
