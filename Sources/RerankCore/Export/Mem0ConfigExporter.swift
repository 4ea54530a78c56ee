/// A mem0 reranker config for a provider, model and prompt, with the key as an environment
/// variable reference (`${OPENAI_API_KEY}`), never the key. `Mem0RerankerConfig` reads it back.
///
/// The `scoring_prompt` means different things to different mem0 versions: 2.0.2 and later send
/// it verbatim as the system message (system mode); 2.0.1 and earlier, like mem0's docs, fill
/// `{query}` and `{document}` into it and send one user message (template mode). Each export
/// says which one it is for; a prompt tuned in one mode does not behave the same in the other.
public enum Mem0ConfigExporter {
    /// A mem0 config as JSON.
    public static func json(settings: RunSettings, prompt: String) -> String {
        pretty(tree(settings: settings, prompt: prompt)) + "\n"
    }

    /// The same config as YAML: every string double-quoted with JSON's escapes (a valid YAML
    /// scalar, so `&`, `*`, `!!tags`, `#` and `: ` in a prompt are text), or, for a readable
    /// multi-line prompt, a `|-` literal block when the block reads back as exactly the prompt.
    public static func yaml(settings: RunSettings, prompt: String) -> String {
        var out = header(settings: settings, comment: "#")
        out += yamlValue(tree(settings: settings, prompt: prompt), indent: "") + "\n"
        return out
    }

    /// The same config as a Python dict, ready to merge into the dict given to `Memory.from_config`; the
    /// key is read from the environment at import time.
    public static func python(settings: RunSettings, prompt: String) -> String {
        var out = header(settings: settings, comment: "#")
        out += "import os\n\nMEM0_CONFIG = " + pythonValue(tree(settings: settings, prompt: prompt), indent: "") + "\n"
        return out
    }

    static func header(settings: RunSettings, comment: String) -> String {
        let target = settings.mode == .system
            ? "mem0 2.0.2 and later (the prompt is sent verbatim as the system message)"
            : "mem0 2.0.1 and earlier / mem0's docs (the prompt is a template: {query} and {document} are filled in and sent as one user message)"
        var lines = ["\(comment) mem0 reranker config exported by RerankBench for \(target)."]
        if let variable = ProviderPreset.named(settings.provider)?.keyVariable {
            lines.append("\(comment) The API key is not stored here: set \(variable) in the environment.")
        }
        if settings.parser != .mem0 {
            lines.append("\(comment) This run scored replies with the \(settings.parser.rawValue) parser; mem0 takes the first number in the reply text, so its scores will differ.")
        }
        if settings.provider == ProviderPreset.localName {
            lines.append("\(comment) The run used RerankBench's local llama-server; mem0 reaches it as an OpenAI-compatible server at")
            lines.append("\(comment) \(localBaseURL): start one there (llama-server -m MODEL --port 8080) or change the URL.")
            if settings.route != .chat {
                lines.append("\(comment) mem0 sends chat requests; this run used the plain completions endpoint, so check the prompt on the chat route first.")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The config as an ordered tree (JSON object).
    /// Where the exported config expects a llama-server for a `local` run (the run's own port
    /// was temporary); llama-server's default port.
    static let localBaseURL = "http://127.0.0.1:8080/v1"

    static func tree(settings: RunSettings, prompt: String) -> JSONValue {
        if settings.provider == ProviderPreset.localName {
            // mem0 has no such provider: the same server, as an OpenAI-compatible one (any key).
            var openAI = settings
            openAI.provider = "openai"
            openAI.baseURL = localBaseURL
            return tree(settings: openAI, prompt: prompt, key: "no-key-needed")
        }
        return tree(settings: settings, prompt: prompt, key: nil)
    }

    static func tree(settings: RunSettings, prompt: String, key: String?) -> JSONValue {
        let preset = ProviderPreset.named(settings.provider)
        let keyRef = key ?? preset?.keyVariable.map { "${\($0)}" }
        var config: [(String, JSONValue)] = [
            ("provider", .string(ProviderCatalog.ignoresPrompt(settings.provider) ? "openai" : settings.provider)),
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
        return JSONValue.object([("reranker", .object([("provider", .string("llm_reranker")), ("config", .object(config))]))])
    }

    static func yamlValue(_ v: JSONValue, indent: String) -> String {
        switch v {
        case let .object(members):
            if members.isEmpty { return "{}" }
            return members.map { key, value in
                switch value {
                case let .object(m) where !m.isEmpty:
                    return indent + key + ":\n" + yamlValue(value, indent: indent + "  ")
                case let .string(text) where fitsLiteralBlock(text):
                    // A literal block keeps a long prompt readable; "|-" drops the final newline as the prompt has none.
                    let body = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : indent + "  " + $0 }
                    return indent + key + ": |-\n" + body.joined(separator: "\n")
                default:
                    return indent + key + ": " + yamlValue(value, indent: indent)
                }
            }.joined(separator: "\n")
        case let .string(text):
            return JSONText.inertQuote(text)
        default:
            return v.serialized()
        }
    }

    /// Whether a `|-` literal block reads back as exactly `text`. A block keeps every character
    /// literally, but: its indentation is taken from its first line (so that line must not start
    /// with a space or be empty), "|-" strips final newlines, trailing spaces are invisible to a
    /// reader, libyaml rejects control characters raw and YAML 1.1 reads U+0085/U+2028/U+2029 as
    /// line breaks. Anything else is written double-quoted, where escapes carry every character.
    static func fitsLiteralBlock(_ text: String) -> Bool {
        guard text.contains("\n"), !text.hasSuffix("\n"), let first = text.unicodeScalars.first, first != " ", first != "\n" else { return false }
        for s in text.unicodeScalars where s != "\n" {
            if s.value < 0x20 || TerminalText.escape(s) != nil || JSONText.isInvisible(s) { return false }
        }
        return !text.split(separator: "\n", omittingEmptySubsequences: false).contains { $0.hasSuffix(" ") }
    }

    /// A Python literal for the tree. Strings are JSON string literals with the inert escapes,
    /// which Python reads as the same text: `"`, `\`, newlines and control characters are
    /// escaped, so no prompt can end its literal early, and a `\N{...}` or `"""` in a prompt is
    /// just text. `key` is the dict key the value sits under.
    static func pythonValue(_ v: JSONValue, indent: String, key: String? = nil) -> String {
        let inner = indent + "    "
        switch v {
        case let .object(members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { key, value in
                inner + JSONText.inertQuote(key) + ": " + pythonValue(value, indent: inner, key: key)
            }.joined(separator: ",\n") + ",\n" + indent + "}"
        case let .string(s):
            // The key reference "${VAR}" (the JSON/YAML form) becomes a lookup in os.environ. Only
            // under api_key: a prompt or model name that looks like "${HOME}" stays text.
            if key == "api_key", s.hasPrefix("${"), s.hasSuffix("}"), s.count > 3 {
                return "os.environ.get(\(JSONText.inertQuote(String(s.dropFirst(2).dropLast()))))"
            }
            return JSONText.inertQuote(s)
        case let .bool(b): return b ? "True" : "False"
        case .null: return "None"
        default: return v.serialized()
        }
    }

    /// Two-space indented JSON with keys in their given order.
    static func pretty(_ v: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch v {
        case let .object(members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { inner + JSONText.inertQuote($0.0) + ": " + pretty($0.1, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "}"
        case let .array(items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
        case let .string(s):
            return JSONText.inertQuote(s)
        default:
            return v.serialized()
        }
    }
}
