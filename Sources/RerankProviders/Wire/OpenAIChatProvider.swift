import RerankCore
import Synchronization

/// OpenAI chat completions (`POST {base}/chat/completions`), also Azure OpenAI deployments and
/// every OpenAI-compatible server (vLLM, LM Studio, llama.cpp, Groq, Together, DeepSeek,
/// OpenRouter, xAI, Gemini). Request parameters follow mem0's model-name rules exactly.
/// With `route: .completions` it speaks the plain completions endpoint (`POST {base}/completions`,
/// one `prompt`), for base models that have no chat template.
public struct OpenAIChatProvider: ChatProvider {
    public let endpoint: ProviderEndpoint
    /// The URL and header fields every call posts with, and the key's redactor: made once here
    /// (they depend on the endpoint alone) rather than for every call of a run.
    public let url: String
    public let headers: [(String, String)]
    private let redactor: SecretRedactor
    /// The body's bytes around its messages for the last request shape (see `bodyBytes`).
    private let bodyFrame = BodyFrameCache()
    /// The first system message's text JSON-quoted (see `appendBody`).
    private let systemQuote = QuotedTextCache()
    public var name: String { endpoint.preset.name }
    public var enforcesTimeout: Bool { true }
    @available(macOS 15.0, *)
    public var callExecutor: (any TaskExecutor)? { HTTPExchange.callExecutor }

    public init(endpoint: ProviderEndpoint) {
        self.endpoint = endpoint
        self.url = Self.url(endpoint)
        self.headers = Self.headers(endpoint)
        self.redactor = endpoint.redactor
    }

    /// mem0 2.2.x's rule (`LLMBase._is_reasoning_model`): after stripping a provider prefix
    /// (`openai/o3-mini`), the names o1, o1-preview, o3-mini, o3, gpt-5, gpt-5o, gpt-5o-mini and
    /// gpt-5o-micro, and any name starting o1-, o1., o3- or o3., are reasoning models (no
    /// temperature, no token limit). `is_reasoning_model` in the config overrides the rule.
    public static func isReasoningModel(_ model: String, override: Bool?) -> Bool {
        if let override { return override }
        let base = baseModel(model)
        return reasoningModelNames.contains(base) || ["o1-", "o1.", "o3-", "o3."].contains { base.hasPrefix($0) }
    }

    private static let reasoningModelNames: Set<String> = ["o1", "o1-preview", "o3-mini", "o3", "gpt-5", "gpt-5o", "gpt-5o-mini", "gpt-5o-micro"]

    /// mem0's rule: the whole gpt-5 family takes `max_completion_tokens`, others `max_tokens`.
    public static func usesMaxCompletionTokens(_ model: String) -> Bool {
        baseModel(model).hasPrefix("gpt-5")
    }

    /// The name after the last `/`, lowercased (built for every request, so no split).
    static func baseModel(_ model: String) -> String {
        guard let slash = model.lastIndex(of: "/") else { return model.lowercased() }
        return model[model.index(after: slash)...].lowercased()
    }

    static func url(_ endpoint: ProviderEndpoint) -> String {
        if endpoint.preset.wire == .azureOpenAI {
            let deployment = endpoint.azureDeployment ?? ""
            let version = endpoint.azureAPIVersion ?? "2024-10-21"
            return "\(endpoint.baseURL)/openai/deployments/\(deployment)/chat/completions?api-version=\(version)"
        }
        return endpoint.route == .completions ? "\(endpoint.baseURL)/completions" : "\(endpoint.baseURL)/chat/completions"
    }

    /// The completions endpoint's prompt: the messages' text joined by a blank line (system mode
    /// gives the instructions, then `Query: ...`; template mode gives the filled template alone).
    public static func flatten(_ messages: [ChatMessage]) -> String {
        messages.map(\.content).joined(separator: "\n\n")
    }

    static func headers(_ endpoint: ProviderEndpoint) -> [(String, String)] {
        guard let key = endpoint.apiKey else { return [] }
        if endpoint.preset.wire == .azureOpenAI { return [("api-key", key)] }
        return [("Authorization", "Bearer \(key)")]
    }

    /// The request body, as mem0 would send it for this model name.
    public func body(_ request: ChatRequest) -> JSONValue {
        let text = endpoint.route == .completions ? JSONValue.string(Self.flatten(request.messages)) : JSONBody.messages(request.messages)
        return .object(fields(request, text: text))
    }

    /// The body's fields in their order. The second is always the call's text (`messages`, or
    /// `prompt` on the completions endpoint), given here as `text`; the others depend on the
    /// model name and the request's parameters only, the same for every call of a run.
    private func fields(_ request: ChatRequest, text: JSONValue) -> [(String, JSONValue)] {
        if endpoint.route == .completions { return completionsFields(request, prompt: text) }
        var fields: [(String, JSONValue)] = [("model", .string(request.model)), ("messages", text)]
        if !Self.isReasoningModel(request.model, override: endpoint.isReasoningModel) {
            if let maxTokens = request.maxTokens {
                fields.append((Self.usesMaxCompletionTokens(request.model) ? "max_completion_tokens" : "max_tokens", JSONBody.int(maxTokens)))
            }
            if let t = request.temperature { fields.append(("temperature", JSONBody.double(t))) }
            if let p = endpoint.topP { fields.append(("top_p", JSONBody.double(p))) }
        }
        if !request.stop.isEmpty { fields.append(("stop", .array(request.stop.map { .string($0) }))) }
        if let top = request.topLogprobs {
            fields.append(("logprobs", .bool(true)))
            fields.append(("top_logprobs", JSONBody.int(top)))
        }
        if endpoint.promptCache == false { fields.append(("cache_prompt", .bool(false))) }
        return fields
    }

    /// The legacy completions body: `max_tokens` whatever the model name (the endpoint has no
    /// `max_completion_tokens`), and `logprobs` as the number of alternatives per position.
    private func completionsFields(_ request: ChatRequest, prompt: JSONValue) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [("model", .string(request.model)), ("prompt", prompt)]
        if let maxTokens = request.maxTokens { fields.append(("max_tokens", JSONBody.int(maxTokens))) }
        if let t = request.temperature { fields.append(("temperature", JSONBody.double(t))) }
        if let p = endpoint.topP { fields.append(("top_p", JSONBody.double(p))) }
        if !request.stop.isEmpty { fields.append(("stop", .array(request.stop.map { .string($0) }))) }
        if let top = request.topLogprobs { fields.append(("logprobs", JSONBody.int(top))) }
        if endpoint.promptCache == false { fields.append(("cache_prompt", .bool(false))) }
        return fields
    }

    /// The body as it goes on the wire: the bytes of `body(request).serializedBytes()` (tested
    /// equal), written without building the JSON value. This runs for every call (and again for
    /// its cache key); the fields around the messages are serialized once per request shape
    /// (model and parameters) and kept, so a call writes only its messages between them.
    public func bodyBytes(_ request: ChatRequest) -> [UInt8] {
        var out: [UInt8] = []
        appendBody(request, to: &out)
        return out
    }

    private func appendBody(_ request: ChatRequest, to out: inout [UInt8]) {
        let frame = bodyFrame.frame(for: BodyShape(request)) { Self.frame(fields(request, text: .null)) }
        out.reserveCapacity(out.count + frame.head.count + frame.tail.count + 64
                            + request.messages.reduce(0) { $0 + $1.content.utf8.count + 32 })
        out.append(contentsOf: frame.head)
        if endpoint.route == .completions {
            JSONText.appendQuoted(Self.flatten(request.messages), to: &out)
        } else {
            // As `JSONBody.messages` serializes: [{"role":...,"content":...},...]
            out.append(UInt8(ascii: "["))
            for (i, message) in request.messages.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: #"{"role":"#.utf8)
                JSONText.appendQuoted(message.role.rawValue, to: &out)
                out.append(contentsOf: #","content":"#.utf8)
                if message.role == .system {
                    // In system mode every call of a run sends the same prompt as its system
                    // message, and quoting it was most of a cached call's request identity.
                    systemQuote.appendQuoted(message.content, to: &out)
                } else {
                    JSONText.appendQuoted(message.content, to: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        out.append(contentsOf: frame.tail)
    }

    /// The serialized body before and after its second field's value (the call's text).
    private static func frame(_ fields: [(String, JSONValue)]) -> BodyFrame {
        var head: [UInt8] = [UInt8(ascii: "{")]
        var tail: [UInt8] = []
        for (i, (key, value)) in fields.enumerated() {
            if i == 1 {
                JSONText.appendQuoted(key, to: &head)
                head.append(UInt8(ascii: ":"))
                continue
            }
            var member: [UInt8] = i == 0 ? [] : [UInt8(ascii: ",")]
            JSONText.appendQuoted(key, to: &member)
            member.append(UInt8(ascii: ":"))
            member.append(contentsOf: value.serializedBytes())
            if i == 0 {
                head.append(contentsOf: member)
                head.append(UInt8(ascii: ","))
            } else {
                tail.append(contentsOf: member)
            }
        }
        tail.append(UInt8(ascii: "}"))
        return BodyFrame(head: head, tail: tail)
    }

    public func requestIdentity(_ request: ChatRequest) -> String? {
        "\(url)\n\(String(decoding: bodyBytes(request), as: UTF8.self))"
    }

    public func appendRequestIdentity(_ request: ChatRequest, to out: inout [UInt8]) -> Bool {
        out.append(contentsOf: url.utf8)
        out.append(UInt8(ascii: "\n"))
        appendBody(request, to: &out)
        return true
    }

    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        let redactor = self.redactor
        let response = try await HTTPExchange.post(url: url, headers: headers, body: bodyBytes(request),
                                                   timeout: request.timeout, redactor: redactor)
        let message = response.json?.at("error", "message")?.stringValue ?? response.json?["error"]?.stringValue
        guard (200..<300).contains(response.status) else {
            throw HTTPExchange.error(for: response, model: request.model, request: request, keyVariable: endpoint.preset.keyVariable,
                                     redactor: redactor, message: message)
        }
        return try Self.parseReply(response.json, raw: response.text, redactor: redactor)
    }

    static func parseReply(_ json: JSONValue?, raw: @autoclosure () -> String, redactor: SecretRedactor) throws(ProviderError) -> ChatReply {
        guard let json else { throw .malformedReply("not JSON: \(redactor.redact(String(raw().prefix(200))))") }
        if let message = json.at("error", "message")?.stringValue {
            throw .http(status: 500, message: redactor.redact(message), retryAfter: nil)
        }
        guard let choice = json.at("choices", 0) else {
            throw .malformedReply("no choices in the reply: \(redactor.redact(String(raw().prefix(200))))")
        }
        var text: String?
        if choice["message"] == nil, let completion = choice["text"] {
            // The completions endpoint: `text` instead of a message.
            text = completion.stringValue
        } else {
            switch choice.at("message", "content") {
            case let .some(.string(s)): text = s
            case let .some(.array(parts)): text = parts.compactMap { $0["text"]?.stringValue }.joined()
            case .none, .some(.null): text = nil
            default: throw .malformedReply("message.content is neither text nor null")
            }
        }
        let usage = TokenUsage(promptTokens: json.at("usage", "prompt_tokens")?.intValue ?? 0,
                               completionTokens: json.at("usage", "completion_tokens")?.intValue ?? 0)
        var logprobs: [TokenLogprob]?
        if case let .some(.array(items)) = choice.at("logprobs", "content") {
            logprobs = items.compactMap { item in
                guard let token = item["token"]?.stringValue, let lp = item["logprob"]?.doubleValue else { return nil }
                var top: [TokenLogprob.Alternative] = []
                if case let .some(.array(alts)) = item["top_logprobs"] {
                    top = alts.compactMap { a in
                        guard let t = a["token"]?.stringValue, let l = a["logprob"]?.doubleValue else { return nil }
                        return .init(token: t, logprob: l)
                    }
                }
                return TokenLogprob(token: token, logprob: lp, top: top)
            }
        }
        if logprobs == nil, let legacy = choice["logprobs"] { logprobs = legacyLogprobs(legacy) }
        return ChatReply(text: text, finishReason: choice["finish_reason"]?.stringValue, usage: usage, logprobs: logprobs)
    }

    /// The completions endpoint's classic shape (OpenAI, vLLM): parallel arrays `tokens`,
    /// `token_logprobs` and `top_logprobs`, the last a list of `{token: logprob}` objects.
    /// (llama.cpp answers completions in the chat shape, `content`, read above.)
    static func legacyLogprobs(_ value: JSONValue) -> [TokenLogprob]? {
        guard case let .some(.array(tokens)) = value["tokens"], case let .some(.array(values)) = value["token_logprobs"] else { return nil }
        var tops: [JSONValue] = []
        if case let .some(.array(t)) = value["top_logprobs"] { tops = t }
        var positions: [TokenLogprob] = []
        for (i, token) in tokens.enumerated() {
            guard let t = token.stringValue, i < values.count, let lp = values[i].doubleValue else { continue }
            var top: [TokenLogprob.Alternative] = []
            if i < tops.count, case let .object(pairs) = tops[i] {
                top = pairs.compactMap { name, v in v.doubleValue.map { .init(token: name, logprob: $0) } }
            }
            positions.append(TokenLogprob(token: t, logprob: lp, top: top))
        }
        return positions
    }
}

/// What the fields of an OpenAI body other than the call's text depend on, besides the endpoint.
private struct BodyShape: Equatable, Sendable {
    var model: String
    var maxTokens: Int?
    /// By bits: -0.0 and 0.0 are equal numbers but different text.
    var temperatureBits: UInt64?
    var stop: [String]
    var topLogprobs: Int?

    init(_ request: ChatRequest) {
        model = request.model
        maxTokens = request.maxTokens
        temperatureBits = request.temperature?.bitPattern
        stop = request.stop
        topLogprobs = request.topLogprobs
    }
}

/// The first system text a provider quoted and that text's JSON-quoted bytes: a run's system
/// messages are all one prompt. Set once and read without a lock by every core; any other text
/// (a tune's later prompts, on the same provider) is quoted as it comes.
private final class QuotedTextCache: Sendable {
    private final class Kept: Sendable {
        let text: String
        let quoted: [UInt8]
        init(text: String, quoted: [UInt8]) { self.text = text; self.quoted = quoted }
    }
    private let first = AtomicLazyReference<Kept>()

    func appendQuoted(_ text: String, to out: inout [UInt8]) {
        if let kept = first.load() {
            if kept.text == text {
                out.append(contentsOf: kept.quoted)
            } else {
                JSONText.appendQuoted(text, to: &out)
            }
            return
        }
        var quoted: [UInt8] = []
        JSONText.appendQuoted(text, to: &quoted)
        out.append(contentsOf: quoted)
        _ = first.storeIfNil(Kept(text: text, quoted: quoted))
    }
}

/// A serialized body before and after the call's text.
private struct BodyFrame: Sendable {
    var head: [UInt8]
    var tail: [UInt8]
}

/// The frame of the last body shape a provider wrote (a run's calls all share one).
private final class BodyFrameCache: Sendable {
    private let last = Mutex<(shape: BodyShape, frame: BodyFrame)?>(nil)

    func frame(for shape: BodyShape, make: () -> BodyFrame) -> BodyFrame {
        if let frame = last.withLock({ $0?.shape == shape ? $0?.frame : nil }) { return frame }
        let frame = make()
        last.withLock { $0 = (shape, frame) }
        return frame
    }
}
