/// The providers RerankBench knows, and how to build one for a run.
public enum ProviderCatalog {
    public struct Entry: Sendable {
        public var name: String
        public var summary: String
        /// Whether this build can make it.
        public var available: Bool
        public var defaultModel: String
    }

    public static let entries: [Entry] = [
        Entry(name: "lexical", summary: "BM25 keyword baseline, offline, no key (not an LLM: ignores the prompt)", available: true, defaultModel: LexicalProvider.modelName),
        Entry(name: "openai", summary: "OpenAI chat completions and OpenAI-compatible servers", available: false, defaultModel: "gpt-5-mini"),
        Entry(name: "azure_openai", summary: "Azure OpenAI deployments", available: false, defaultModel: "gpt-4o-mini"),
        Entry(name: "anthropic", summary: "Anthropic messages API", available: false, defaultModel: "claude-3-5-haiku-latest"),
        Entry(name: "ollama", summary: "Ollama /api/chat", available: false, defaultModel: "llama3.1"),
    ]

    public static func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    /// Builds the provider named in `settings`.
    public static func make(settings: RunSettings, dataset: Dataset) throws(ProviderSetupError) -> any ChatProvider {
        switch settings.provider {
        case "lexical":
            return LexicalProvider(dataset: dataset)
        default:
            if let entry = entry(settings.provider) {
                throw ProviderSetupError(message: "provider '\(entry.name)' (\(entry.summary)) is not available in this build yet; use --provider lexical for the offline baseline")
            }
            throw ProviderSetupError(message: "unknown provider '\(settings.provider)'; known providers: \(entries.map(\.name).joined(separator: ", "))")
        }
    }
}

/// A provider that cannot be set up (unknown name, missing key or server).
public struct ProviderSetupError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
