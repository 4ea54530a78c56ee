import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// Each provider against a loopback server: the exact request it sends and how it reads replies.
@Suite struct WireFormatTests {
    static let key = "sk-test-0123456789abcdefXYZ"

    func roundTrip(_ provider: any ChatProvider, _ request: ChatRequest, reply: @escaping @Sendable (RecordedRequest) -> FakeReply) async throws -> (RecordedRequest, ChatReply) {
        let server = try FakeProviderServer { r, _ in reply(r) }
        defer { server.stop() }
        let answer = try await provider.complete(request)
        let recorded = try #require(server.requests.first)
        return (recorded, answer)
    }

    func endpoint(_ name: String, _ server: String, key: String? = key, reasoning: Bool? = nil) -> ProviderEndpoint {
        ProviderEndpoint(preset: ProviderPreset.named(name)!, baseURL: server, apiKey: key, keySource: "test", isReasoningModel: reasoning)
    }

    let messages = [ChatMessage.system("Rate it."), .user("Query: q\n\nDocument: d")]

    @Test func openAIRequestShapeForAnOrdinaryModel() async throws {
        let server = try FakeProviderServer { r, _ in .text("0.8", for: r, finishReason: "stop", promptTokens: 31, completionTokens: 2) }
        defer { server.stop() }
        let provider = OpenAIChatProvider(endpoint: endpoint("openai", server.baseURL + "/v1"))
        let reply = try await provider.complete(ChatRequest(model: "gpt-4o-mini", messages: messages, temperature: 0.0, maxTokens: 100, stop: ["\n\n"]))
        let r = try #require(server.requests.first)
        #expect(r.method == "POST")
        #expect(r.path == "/v1/chat/completions")
        #expect(r.header("Authorization") == "Bearer \(Self.key)")
        #expect(r.header("Content-Type") == "application/json")
        // Replies are not decompressed, so the request must say it takes none.
        #expect(r.header("Accept-Encoding") == "identity")
        #expect(r.body == #"{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Rate it."},{"role":"user","content":"Query: q\n\nDocument: d"}],"max_tokens":100,"temperature":0.0,"top_p":0.1,"stop":["\n\n"]}"#)
        #expect(reply.text == "0.8")
        #expect(reply.finishReason == "stop")
        #expect(reply.usage == TokenUsage(promptTokens: 31, completionTokens: 2))
    }

    /// mem0's model-name rules (shared/spec/mem0-reranker.md).
    @Test(arguments: [
        ("gpt-5-mini", nil as Bool?, ["model", "messages", "max_completion_tokens", "temperature", "top_p"]),
        ("gpt-5", nil, ["model", "messages"]),
        ("o3-mini", nil, ["model", "messages"]),
        ("o1", nil, ["model", "messages"]),
        ("o3-2025-04-16", nil, ["model", "messages"]),
        ("openai/o3-mini", nil, ["model", "messages"]),
        ("gpt-5o-mini", nil, ["model", "messages"]),
        ("gpt-5.4-nano", nil, ["model", "messages", "max_completion_tokens", "temperature", "top_p"]),
        ("o4-mini", nil, ["model", "messages", "max_tokens", "temperature", "top_p"]),
        ("gpt-4.1", nil, ["model", "messages", "max_tokens", "temperature", "top_p"]),
        ("gpt-4.1", true, ["model", "messages"]),
        ("o3-mini", false, ["model", "messages", "max_tokens", "temperature", "top_p"]),
    ])
    func openAIParametersByModelName(model: String, reasoning: Bool?, keys: [String]) throws {
        let provider = OpenAIChatProvider(endpoint: endpoint("openai", "http://x", reasoning: reasoning))
        guard case let .object(fields) = provider.body(ChatRequest(model: model, messages: messages)) else { Issue.record("object"); return }
        #expect(fields.map(\.0) == keys)
    }

    @Test func openAILogprobsAreRequestedAndRead() async throws {
        let lp = [TokenLogprob(token: "Yes", logprob: -0.1, top: [.init(token: "Yes", logprob: -0.1), .init(token: "No", logprob: -2.4)])]
        let server = try FakeProviderServer { r, _ in .text("Yes", for: r, logprobs: lp) }
        defer { server.stop() }
        let provider = OpenAIChatProvider(endpoint: endpoint("llamacpp", server.baseURL + "/v1", key: nil))
        let reply = try await provider.complete(ChatRequest(model: "local", messages: messages, topLogprobs: 5))
        let body = try #require(server.requests.first?.json)
        #expect(body["logprobs"] == .bool(true))
        #expect(body["top_logprobs"]?.doubleValue == 5)
        #expect(server.requests.first?.header("Authorization") == nil)
        #expect(reply.logprobs == lp)
    }

    @Test func completionsRouteSendsOnePromptAndReadsTextAndLogprobs() async throws {
        let lp = [TokenLogprob(token: " yes", logprob: -0.3, top: [.init(token: " yes", logprob: -0.3), .init(token: " no", logprob: -1.5)])]
        let server = try FakeProviderServer { r, _ in .text(" yes", for: r, finishReason: "length", completionTokens: 1, logprobs: lp) }
        defer { server.stop() }
        var e = endpoint("llamacpp", server.baseURL + "/v1", key: nil)
        e.route = .completions
        // gpt-5 names would take max_completion_tokens on chat; the completions endpoint has only max_tokens.
        let reply = try await OpenAIChatProvider(endpoint: e).complete(
            ChatRequest(model: "gpt-5-mini", messages: messages, maxTokens: 1, stop: ["\n"], topLogprobs: 5))
        let r = try #require(server.requests.first)
        #expect(r.path == "/v1/completions")
        let body = try #require(r.json)
        #expect(body["messages"] == nil)
        #expect(body["prompt"]?.stringValue == messages.map(\.content).joined(separator: "\n\n"))
        #expect(body["max_tokens"]?.doubleValue == 1 && body["max_completion_tokens"] == nil)
        #expect(body["logprobs"]?.doubleValue == 5 && body["top_logprobs"] == nil)
        #expect(body["stop"] == .array([.string("\n")]))
        #expect(reply.text == " yes" && reply.finishReason == "length" && reply.usage.completionTokens == 1)
        let read = try #require(reply.logprobs?.first)
        #expect(read.token == " yes" && read.logprob == -0.3)
        #expect(Set(read.top.map(\.token)) == [" yes", " no"])
        let score = LogprobScoreParser().parse(reply)
        #expect(abs(score.value - exp(-0.3) / (exp(-0.3) + exp(-1.5))) < 1e-12)
    }

    @Test func completionsRouteIsOnlyForOpenAICompatibleProviders() throws {
        var options = RunRecipe.named("anthropic", apiKey: "k")
        options.route = .completions
        #expect(throws: RecipeError.self) { try options.resolvedEndpoint() }
        var local = RunRecipe.named("vllm")
        #expect(try local.resolvedEndpoint().route == .chat)
        local.route = .completions
        #expect(try local.resolvedEndpoint().route == .completions)
        #expect(try RunRecipe.named("local").resolvedEndpoint().route == .completions)
    }

    @Test func azureDeploymentURLAndHeader() async throws {
        let server = try FakeProviderServer { r, _ in .text("0.4", for: r) }
        defer { server.stop() }
        var e = endpoint("azure_openai", server.baseURL)
        e.azureDeployment = "rerank-dep"
        e.azureAPIVersion = "2024-10-21"
        _ = try await OpenAIChatProvider(endpoint: e).complete(ChatRequest(model: "gpt-4o-mini", messages: messages))
        let r = try #require(server.requests.first)
        #expect(r.uri == "/openai/deployments/rerank-dep/chat/completions?api-version=2024-10-21")
        #expect(r.header("api-key") == Self.key)
        #expect(r.header("Authorization") == nil)
    }

    @Test func anthropicMessagesShape() async throws {
        let server = try FakeProviderServer { r, _ in .text("0.6", for: r, finishReason: "length", promptTokens: 40, completionTokens: 100) }
        defer { server.stop() }
        let reply = try await AnthropicProvider(endpoint: endpoint("anthropic", server.baseURL))
            .complete(ChatRequest(model: "claude-3-5-haiku-latest", messages: messages, temperature: 0.0, maxTokens: 100))
        let r = try #require(server.requests.first)
        #expect(r.path == "/v1/messages")
        #expect(r.header("x-api-key") == Self.key)
        #expect(r.header("anthropic-version") == "2023-06-01")
        #expect(r.body == #"{"model":"claude-3-5-haiku-latest","max_tokens":100,"system":"Rate it.","messages":[{"role":"user","content":"Query: q\n\nDocument: d"}],"temperature":0.0}"#)
        #expect(reply.text == "0.6")
        #expect(reply.finishReason == "length")
        #expect(reply.wasTruncated)
        #expect(reply.usage == TokenUsage(promptTokens: 40, completionTokens: 100))
    }

    @Test func anthropicTemplateModeHasNoSystemField() throws {
        let body = AnthropicProvider(endpoint: endpoint("anthropic", "http://x")).body(ChatRequest(model: "m", messages: [.user("hi")], maxTokens: nil))
        #expect(body["system"] == nil)
        #expect(body["max_tokens"]?.doubleValue == 100)
    }

    @Test func ollamaChatShape() async throws {
        let server = try FakeProviderServer { r, _ in .text("0.3", for: r, promptTokens: 12, completionTokens: 4) }
        defer { server.stop() }
        let reply = try await OllamaProvider(endpoint: endpoint("ollama", server.baseURL, key: nil))
            .complete(ChatRequest(model: "llama3.1", messages: messages, temperature: 0.0, maxTokens: 50))
        let r = try #require(server.requests.first)
        #expect(r.path == "/api/chat")
        #expect(r.body == #"{"model":"llama3.1","messages":[{"role":"system","content":"Rate it."},{"role":"user","content":"Query: q\n\nDocument: d"}],"stream":false,"options":{"temperature":0.0,"num_predict":50,"top_p":0.1}}"#)
        #expect(reply.text == "0.3")
        #expect(reply.usage == TokenUsage(promptTokens: 12, completionTokens: 4))
    }

    @Test func nullContentIsNilText() async throws {
        let server = try FakeProviderServer { r, _ in .text(nil, for: r) }
        defer { server.stop() }
        let reply = try await OpenAIChatProvider(endpoint: endpoint("openai", server.baseURL)).complete(ChatRequest(model: "m", messages: messages))
        #expect(reply.text == nil)
    }

    @Test func httpErrorsBecomeTypedErrorsWithTheProvidersMessage() async throws {
        let server = try FakeProviderServer { r, _ in
            .error(429, "Rate limit reached for requests", for: r, headers: [("Retry-After", "7")])
        }
        defer { server.stop() }
        await #expect(throws: ProviderError.http(status: 429, message: "Rate limit reached for requests", retryAfter: 7)) {
            try await OpenAIChatProvider(endpoint: endpoint("openai", server.baseURL)).complete(ChatRequest(model: "m", messages: messages))
        }
    }

    @Test func unsupportedTemperatureIsAConfigurationError() async throws {
        let server = try FakeProviderServer { r, _ in
            .error(400, "Unsupported value: 'temperature' does not support 0.0 with this model. Only the default (1) value is supported.", for: r)
        }
        defer { server.stop() }
        do {
            _ = try await OpenAIChatProvider(endpoint: endpoint("openai", server.baseURL)).complete(ChatRequest(model: "gpt-5-mini", messages: messages, temperature: 0))
            Issue.record("expected an error")
        } catch let error as ProviderError {
            guard case let .configuration(message) = error else { Issue.record("\(error)"); return }
            #expect(message.hasPrefix("gpt-5-mini rejects temperature 0.0: Unsupported value"))
            #expect(!error.isRetryable)
        }
    }

    @Test func rejectedKeyIsRedactedAndNamesTheVariable() async throws {
        let server = try FakeProviderServer { r, _ in
            .error(401, "Incorrect API key provided: \(r.header("Authorization")!.dropFirst(7)). You can find your API key at ...", for: r)
        }
        defer { server.stop() }
        do {
            _ = try await OpenAIChatProvider(endpoint: endpoint("openai", server.baseURL)).complete(ChatRequest(model: "m", messages: messages))
            Issue.record("expected an error")
        } catch let error as ProviderError {
            let text = error.description
            #expect(!text.contains(Self.key))
            #expect(text.contains("sk-...fXYZ"))
            #expect(text.contains("OPENAI_API_KEY"))
        }
    }

    @Test func malformedAndAnthropicOllamaErrors() async throws {
        let server = try FakeProviderServer { r, _ in
            r.path.hasSuffix("/api/chat") ? .error(404, "model 'nope' not found", for: r) : .json("{not json")
        }
        defer { server.stop() }
        await #expect(throws: ProviderError.self) {
            try await OpenAIChatProvider(endpoint: endpoint("openai", server.baseURL)).complete(ChatRequest(model: "m", messages: messages))
        }
        do {
            _ = try await OllamaProvider(endpoint: endpoint("ollama", server.baseURL, key: nil)).complete(ChatRequest(model: "nope", messages: messages))
        } catch let error as ProviderError {
            #expect(error.description.contains("model 'nope' not found"))
            #expect(error.description.contains("Check the model name"))
        }
    }

    @Test func aCompressedReplyWeDidNotAskForIsNamedNotMisread() async throws {
        let server = try FakeProviderServer { _, _ in .json("\u{1F}\u{8B}binary", headers: [("Content-Encoding", "gzip")]) }
        defer { server.stop() }
        do {
            _ = try await OpenAIChatProvider(endpoint: endpoint("openai", server.baseURL)).complete(ChatRequest(model: "m", messages: messages))
            Issue.record("a gzip-encoded reply was accepted")
        } catch let error as ProviderError {
            guard case let .malformedReply(message) = error else { Issue.record("wrong error: \(error)"); return }
            #expect(message.contains("gzip-encoded reply") && message.contains("Accept-Encoding: identity"), "\(message)")
        }
    }

    /// The OpenAI body is written straight to bytes; they must be the JSON value's serialization
    /// byte for byte (the wire format, and the cache key hashed from `requestIdentity`), through
    /// every field rule, and when one provider sees requests of different shapes in turn.
    @Test func openAIBodyBytesAreTheSerializedBody() throws {
        let hostile = "quote \" back \\ nl \n tab \t nul \u{0} bell \u{7} é 漢字 🙂 \u{2028}"
        let messageSets: [[ChatMessage]] = [
            messages,
            [.user(hostile)],
            [.system(""), .user("a"), ChatMessage(role: .assistant, content: hostile)],
            [],
            // A system text's quoted bytes are kept for the next call: one that only begins
            // like it, or has its characters reversed, or the same text as a user's, must
            // still be quoted for itself.
            [.system(hostile), .user("a")],
            [.system(hostile + " "), .user("a")],
            [.system(String(hostile.reversed())), .user("a")],
            [.system(hostile), .user(hostile)],
            [.system(String(hostile.dropLast())), .user("a")],
        ]
        var requests: [ChatRequest] = []
        for model in ["gpt-4o-mini", "o3-mini", "openai/GPT-5-nano", "bench", "o1.x", "model \"quoted\""] {
            for temperature in [nil, 0.0, -0.0, 0.7, 1e-7] as [Double?] {
                for (maxTokens, stop, top) in [(100, [String](), nil), (nil, ["\n\n", "\""], 5), (7, ["x"], nil)] as [(Int?, [String], Int?)] {
                    for ms in messageSets {
                        requests.append(ChatRequest(model: model, messages: ms, temperature: temperature, maxTokens: maxTokens, stop: stop, topLogprobs: top))
                    }
                }
            }
        }
        let server = "http://127.0.0.1:1/v1"
        var endpoints: [ProviderEndpoint] = []
        for route in OpenAIRoute.allCases {
            for (reasoning, topP, cache) in [(nil, 0.1, nil), (true, nil, false), (false, 0.25, true)] as [(Bool?, Double?, Bool?)] {
                var e = ProviderEndpoint(preset: ProviderPreset.named("vllm")!, baseURL: server, isReasoningModel: reasoning, topP: topP, route: route)
                e.promptCache = cache
                endpoints.append(e)
            }
        }
        endpoints.append(endpoint("azure_openai", server))
        for e in endpoints {
            let provider = OpenAIChatProvider(endpoint: e)
            // In order and then reversed: the kept frame of one shape must not serve another.
            for request in requests + requests.reversed() {
                let expected = provider.body(request).serializedBytes()
                #expect(provider.bodyBytes(request) == expected)
                #expect(provider.requestIdentity(request) == "\(provider.url)\n\(provider.body(request).serialized())")
            }
        }
    }


    /// A provider's calls start on many threads at once, each with the same system text: the
    /// first ones race to keep its quoted bytes, and every one must write the same body.
    @Test func callsStartingTogetherShareTheKeptQuoteSafely() async throws {
        let system = String(repeating: "Rate the memory \"as is\".\n", count: 40)
        let request = ChatRequest(model: "bench", messages: [.system(system), .user("Query: q\n\nDocument: d")])
        let others = (0..<4).map { ChatRequest(model: "bench", messages: [.system(system + String($0)), .user("u")]) }
        for _ in 0..<200 {
            let provider = OpenAIChatProvider(endpoint: endpoint("vllm", "http://127.0.0.1:1/v1"))
            let expected = provider.body(request).serializedBytes()
            let same = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<8 {
                    group.addTask {
                        // Another text now and then: it must not replace what the others read.
                        if i % 4 == 3 { _ = provider.bodyBytes(others[i % others.count]) }
                        return provider.bodyBytes(request) == expected
                    }
                }
                return await group.reduce(true) { $0 && $1 }
            }
            #expect(same)
        }
    }
}
