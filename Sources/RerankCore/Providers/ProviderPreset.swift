/// A named endpoint: mem0's provider names, OpenAI-compatible services and local servers.
public struct ProviderPreset: Sendable, Hashable {
    public enum WireFormat: String, Sendable, Hashable {
        case openai, azureOpenAI = "azure_openai", anthropic, ollama
    }

    public var name: String
    public var wire: WireFormat
    public var baseURL: String
    /// The environment variable holding the key; nil when the server needs none.
    public var keyVariable: String?
    /// Whether a key is required (hosted APIs) or optional (local servers).
    public var keyRequired: Bool
    /// An environment variable that overrides the base URL, as the official clients honour.
    public var baseURLVariable: String?
    public var defaultModel: String
    public var summary: String
    /// Whether the server runs on this machine (its reachability can be checked cheaply).
    public var isLocal: Bool

    /// Calls in flight by default: hosted APIs take many; a server on this machine shares its
    /// CPU or GPU, so more than a couple only queue.
    /// The managed local model takes one: on this project's 2-core machines llama-server scores
    /// 1.4 times as many pairs per second with one sequence as with two (BENCHMARKS.md).
    public var defaultConcurrency: Int { name == Self.localName ? 1 : isLocal ? 2 : ProviderCatalog.hostedConcurrency }

    /// The managed local model is a base model: it reads a plain prompt far better than a chat
    /// template, so `local` uses the completions endpoint unless told otherwise.
    public var defaultRoute: OpenAIRoute { name == Self.localName ? .completions : .chat }

    /// The llama.cpp server RerankBench installs, starts and stops itself.
    public static let localName = "local"

    public static let all: [ProviderPreset] = [
        ProviderPreset(name: "openai", wire: .openai, baseURL: "https://api.openai.com/v1", keyVariable: "OPENAI_API_KEY", keyRequired: true,
                       baseURLVariable: "OPENAI_BASE_URL", defaultModel: "gpt-5-mini", summary: "OpenAI chat completions", isLocal: false),
        ProviderPreset(name: "azure_openai", wire: .azureOpenAI, baseURL: "", keyVariable: "AZURE_OPENAI_API_KEY", keyRequired: true,
                       baseURLVariable: "AZURE_OPENAI_ENDPOINT", defaultModel: "gpt-4o-mini", summary: "Azure OpenAI deployment (api-key header, api-version)", isLocal: false),
        ProviderPreset(name: "anthropic", wire: .anthropic, baseURL: "https://api.anthropic.com", keyVariable: "ANTHROPIC_API_KEY", keyRequired: true,
                       baseURLVariable: "ANTHROPIC_BASE_URL", defaultModel: "claude-3-5-haiku-latest", summary: "Anthropic messages API", isLocal: false),
        ProviderPreset(name: "ollama", wire: .ollama, baseURL: "http://localhost:11434", keyVariable: nil, keyRequired: false,
                       baseURLVariable: "OLLAMA_HOST", defaultModel: "llama3.1", summary: "Ollama /api/chat", isLocal: true),
        ProviderPreset(name: "vllm", wire: .openai, baseURL: "http://localhost:8000/v1", keyVariable: "VLLM_API_KEY", keyRequired: false,
                       baseURLVariable: nil, defaultModel: "", summary: "vLLM OpenAI-compatible server", isLocal: true),
        ProviderPreset(name: "lmstudio", wire: .openai, baseURL: "http://localhost:1234/v1", keyVariable: nil, keyRequired: false,
                       baseURLVariable: nil, defaultModel: "", summary: "LM Studio local server", isLocal: true),
        ProviderPreset(name: "llamacpp", wire: .openai, baseURL: "http://localhost:8080/v1", keyVariable: nil, keyRequired: false,
                       baseURLVariable: nil, defaultModel: "", summary: "llama.cpp llama-server", isLocal: true),
        ProviderPreset(name: localName, wire: .openai, baseURL: "http://127.0.0.1", keyVariable: nil, keyRequired: false,
                       baseURLVariable: nil, defaultModel: LocalModelCatalog.gemma3_270m.name,
                       summary: "llama.cpp server run by RerankBench with a small model it installs", isLocal: true),
        ProviderPreset(name: "groq", wire: .openai, baseURL: "https://api.groq.com/openai/v1", keyVariable: "GROQ_API_KEY", keyRequired: true,
                       baseURLVariable: nil, defaultModel: "llama-3.1-8b-instant", summary: "Groq (OpenAI-compatible)", isLocal: false),
        ProviderPreset(name: "together", wire: .openai, baseURL: "https://api.together.xyz/v1", keyVariable: "TOGETHER_API_KEY", keyRequired: true,
                       baseURLVariable: nil, defaultModel: "meta-llama/Llama-3.3-70B-Instruct-Turbo", summary: "Together AI (OpenAI-compatible)", isLocal: false),
        ProviderPreset(name: "deepseek", wire: .openai, baseURL: "https://api.deepseek.com/v1", keyVariable: "DEEPSEEK_API_KEY", keyRequired: true,
                       baseURLVariable: nil, defaultModel: "deepseek-chat", summary: "DeepSeek (OpenAI-compatible)", isLocal: false),
        ProviderPreset(name: "openrouter", wire: .openai, baseURL: "https://openrouter.ai/api/v1", keyVariable: "OPENROUTER_API_KEY", keyRequired: true,
                       baseURLVariable: nil, defaultModel: "openai/gpt-4o-mini", summary: "OpenRouter (OpenAI-compatible)", isLocal: false),
        ProviderPreset(name: "xai", wire: .openai, baseURL: "https://api.x.ai/v1", keyVariable: "XAI_API_KEY", keyRequired: true,
                       baseURLVariable: nil, defaultModel: "grok-3-mini", summary: "xAI (OpenAI-compatible)", isLocal: false),
        ProviderPreset(name: "gemini", wire: .openai, baseURL: "https://generativelanguage.googleapis.com/v1beta/openai", keyVariable: "GEMINI_API_KEY", keyRequired: true,
                       baseURLVariable: nil, defaultModel: "gemini-2.0-flash", summary: "Gemini's OpenAI-compatible endpoint", isLocal: false),
    ]

    public static func named(_ name: String) -> ProviderPreset? {
        all.first { $0.name == name }
    }
}
