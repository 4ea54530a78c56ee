import RerankCore
/// Ollama's chat API (`POST {base}/api/chat`, `stream: false`, settings under `options`).
public struct OllamaProvider: ChatProvider {
    public let endpoint: ProviderEndpoint
    public var name: String { endpoint.preset.name }
    public var enforcesTimeout: Bool { true }
    @available(macOS 15.0, *)
    public var callExecutor: (any TaskExecutor)? { HTTPExchange.callExecutor }

    public init(endpoint: ProviderEndpoint) {
        self.endpoint = endpoint
    }

    public var url: String { "\(endpoint.baseURL)/api/chat" }

    public func body(_ request: ChatRequest) -> JSONValue {
        var options: [(String, JSONValue)] = []
        if let t = request.temperature { options.append(("temperature", JSONBody.double(t))) }
        if let n = request.maxTokens { options.append(("num_predict", JSONBody.int(n))) }
        if let p = endpoint.topP { options.append(("top_p", JSONBody.double(p))) }
        if !request.stop.isEmpty { options.append(("stop", .array(request.stop.map { .string($0) }))) }
        return .object([("model", .string(request.model)), ("messages", JSONBody.messages(request.messages)),
                        ("stream", .bool(false)), ("options", .object(options))])
    }

    public func requestIdentity(_ request: ChatRequest) -> String? {
        "\(url)\n\(body(request).serialized())"
    }

    public func complete(_ request: ChatRequest) async throws -> ChatReply {
        let redactor = endpoint.redactor
        let headers = endpoint.apiKey.map { [("Authorization", "Bearer \($0)")] } ?? []
        let response = try await HTTPExchange.post(url: url, headers: headers, body: body(request), timeout: request.timeout, redactor: redactor)
        guard (200..<300).contains(response.status) else {
            throw HTTPExchange.error(for: response, model: request.model, request: request, keyVariable: nil,
                                     redactor: redactor, message: response.json?["error"]?.stringValue)
        }
        guard let json = response.json else { throw ProviderError.malformedReply("not JSON: \(redactor.redact(String(response.text.prefix(200))))") }
        if let error = json["error"]?.stringValue { throw ProviderError.http(status: 500, message: redactor.redact(error), retryAfter: nil) }
        guard let message = json["message"] else { throw ProviderError.malformedReply("no message in the reply") }
        let usage = TokenUsage(promptTokens: json["prompt_eval_count"]?.intValue ?? 0, completionTokens: json["eval_count"]?.intValue ?? 0)
        return ChatReply(text: message["content"]?.stringValue, finishReason: json["done_reason"]?.stringValue ?? "stop", usage: usage)
    }
}
