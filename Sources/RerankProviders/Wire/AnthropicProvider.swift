import RerankCore
/// Anthropic messages API (`POST {base}/v1/messages`): system prompt in the top-level `system`
/// field, `x-api-key` and `anthropic-version` headers, `max_tokens` always sent (it is required).
public struct AnthropicProvider: ChatProvider {
    public static let apiVersion = "2023-06-01"
    public let endpoint: ProviderEndpoint
    public var name: String { endpoint.preset.name }
    public var enforcesTimeout: Bool { true }
    @available(macOS 15.0, *)
    public var callExecutor: (any TaskExecutor)? { HTTPExchange.callExecutor }

    public init(endpoint: ProviderEndpoint) {
        self.endpoint = endpoint
    }

    public var url: String { "\(endpoint.baseURL)/v1/messages" }

    public var headers: [(String, String)] {
        var h = [("anthropic-version", Self.apiVersion)]
        if let key = endpoint.apiKey { h.append(("x-api-key", key)) }
        return h
    }

    public func body(_ request: ChatRequest) -> JSONValue {
        let system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        let others = request.messages.filter { $0.role != .system }
        var fields: [(String, JSONValue)] = [("model", .string(request.model)), ("max_tokens", JSONBody.int(request.maxTokens ?? 100))]
        if !system.isEmpty { fields.append(("system", .string(system))) }
        fields.append(("messages", JSONBody.messages(others)))
        if let t = request.temperature { fields.append(("temperature", JSONBody.double(t))) }
        if !request.stop.isEmpty { fields.append(("stop_sequences", .array(request.stop.map { .string($0) }))) }
        return .object(fields)
    }

    public func requestIdentity(_ request: ChatRequest) -> String? {
        "\(url)\n\(body(request).serialized())"
    }

    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        let redactor = endpoint.redactor
        let response = try await HTTPExchange.post(url: url, headers: headers, body: body(request), timeout: request.timeout, redactor: redactor)
        guard (200..<300).contains(response.status) else {
            throw HTTPExchange.error(for: response, model: request.model, request: request, keyVariable: endpoint.preset.keyVariable,
                                     redactor: redactor, message: response.json?.at("error", "message")?.stringValue)
        }
        return try Self.parseReply(response.json, raw: response.text, redactor: redactor)
    }

    /// A Message object as a reply: the live call's body, and a batch result's `message`.
    static func parseReply(_ json: JSONValue?, raw: @autoclosure () -> String, redactor: SecretRedactor) throws(ProviderError) -> ChatReply {
        guard let json else { throw ProviderError.malformedReply("not JSON: \(redactor.redact(String(raw().prefix(200))))") }
        guard case let .some(.array(blocks)) = json["content"] else {
            throw ProviderError.malformedReply("no content array in the reply")
        }
        let text = blocks.filter { $0["type"]?.stringValue == "text" }.compactMap { $0["text"]?.stringValue }.joined()
        var finish = json["stop_reason"]?.stringValue
        if finish == "max_tokens" { finish = "length" }
        if finish == "end_turn" || finish == "stop_sequence" { finish = "stop" }
        let usage = TokenUsage(promptTokens: json.at("usage", "input_tokens")?.intValue ?? 0,
                               completionTokens: json.at("usage", "output_tokens")?.intValue ?? 0)
        return ChatReply(text: blocks.isEmpty ? nil : text, finishReason: finish, usage: usage)
    }
}
