import Foundation
import RerankKit
import RerankTestSupport
import Testing

@Suite struct Mem0ConfigTests {
    @Test func fullShapeWithNestedLLMBlockResolvesByMem0Precedence() throws {
        let json = """
        {"reranker": {"provider": "llm_reranker", "config": {
            "provider": "openai", "model": "gpt-4o-mini", "api_key": "sk-top", "top_k": 5,
            "temperature": 0.2, "max_tokens": 50, "scoring_prompt": "Rate it.",
            "llm": {"provider": "ollama", "config": {"model": "llama3.1:8b", "ollama_base_url": "http://gpu:11434", "temperature": 0.0}}
        }}}
        """
        let c = try Mem0RerankerConfig.parse(json)
        #expect(c.provider == "ollama")           // nested provider wins
        #expect(c.model == "llama3.1:8b")         // nested model wins
        #expect(c.temperature == 0.0)             // nested temperature wins
        #expect(c.maxTokens == 50)                // top level fills what the nested block lacks
        #expect(c.apiKey == "sk-top")
        #expect(c.baseURL == "http://gpu:11434")
        #expect(c.topK == 5)
        #expect(c.scoringPrompt == "Rate it.")
        #expect(c.warnings.isEmpty)
    }

    @Test func innerConfigAloneAndYAML() throws {
        let yaml = """
        provider: anthropic
        model: claude-3-5-haiku-latest
        api_key: ${MY_ANTHROPIC}
        top_k: 0
        """
        let c = try Mem0RerankerConfig.parse(yaml, environment: ["MY_ANTHROPIC": "sk-ant-from-env"])
        #expect(c.provider == "anthropic")
        #expect(c.apiKey == "sk-ant-from-env")
        #expect(c.topK == nil)                    // 0 keeps all, as mem0
        #expect(c.maxTokens == 100 && c.temperature == 0.0)
    }

    @Test func defaultsFollowMem0Code() throws {
        let c = try Mem0RerankerConfig.parse(#"{"provider": "llm_reranker", "config": {}}"#)
        #expect(c.provider == "openai" && c.model == "gpt-5-mini" && c.maxTokens == 100 && c.temperature == 0.0)
    }

    @Test func unknownKeysAreNamed() throws {
        let c = try Mem0RerankerConfig.parse(#"{"reranker": {"provider": "llm_reranker", "config": {"model": "gpt-4o-mini", "openai_base_url": "http://x", "top_n": 3}}}"#, file: "cfg.json")
        #expect(c.warnings.count == 2)
        #expect(c.warnings.contains { $0.contains("cfg.json: reranker.config.openai_base_url: unknown key, mem0 ignores it silently; mem0 reads it only inside llm.config") })
        #expect(c.warnings.contains { $0.contains("top_n") })
        #expect(c.baseURL == nil)
    }

    @Test func azureKwargs() throws {
        let c = try Mem0RerankerConfig.parse("""
        {"llm": {"provider": "azure_openai", "config": {"model": "gpt-4o-mini", "azure_kwargs": {"api_key": "az-key-123456789", "azure_deployment": "dep1", "azure_endpoint": "https://x.openai.azure.com", "api_version": "2024-10-21"}}}}
        """)
        #expect(c.provider == "azure_openai")
        #expect(c.azureDeployment == "dep1" && c.azureEndpoint == "https://x.openai.azure.com" && c.azureAPIVersion == "2024-10-21")
        #expect(c.apiKey == "az-key-123456789")
    }

    @Test func nonLLMRerankerIsRejected() {
        #expect(throws: InputError.self) { try Mem0RerankerConfig.parse(#"{"reranker": {"provider": "cohere", "config": {}}}"#) }
        #expect(throws: InputError.self) { try Mem0RerankerConfig.parse(#"{"llm": {"provider": "bedrock", "config": {}}}"#) }
    }

    @Test func missingKeyNamesTheVariable() {
        do {
            _ = try RunRecipe.named("anthropic").resolvedEndpoint()
            Issue.record("expected an error")
        } catch let error as RecipeError {
            #expect(error.code == .missingAPIKey)
            #expect(error.remedies == [.environment("ANTHROPIC_API_KEY"), .set(.apiKey, placeholder: "KEY")])
            #expect(error.description.contains("set ANTHROPIC_API_KEY"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func environmentBaseURLsAreHonoured() throws {
        let e = try RunRecipe.named("openai").resolvedEndpoint(environment: ["OPENAI_API_KEY": "sk-1234567890", "OPENAI_BASE_URL": "http://proxy:8000/v1/"])
        #expect(e.baseURL == "http://proxy:8000/v1")
        #expect(e.keySource == "OPENAI_API_KEY")
        let o = try RunRecipe.named("ollama").resolvedEndpoint(environment: ["OLLAMA_HOST": "127.0.0.1:11500"])
        #expect(o.baseURL == "http://127.0.0.1:11500")
        let explicit = try RunRecipe.named("openai", baseURL: "http://mine/v1").resolvedEndpoint(environment: ["OPENAI_API_KEY": "k", "OPENAI_BASE_URL": "http://env"])
        #expect(explicit.baseURL == "http://mine/v1")
    }

    @Test func configDrivesTheRequestsSent() async throws {
        let server = try FakeProviderServer { r, _ in .text("0.7", for: r) }
        defer { server.stop() }
        let config = try Mem0RerankerConfig.parse("""
        {"reranker": {"provider": "llm_reranker", "config": {"model": "ignored", "max_tokens": 64,
          "llm": {"provider": "openai", "config": {"model": "gpt-5-mini", "openai_base_url": "\(server.baseURL)/v1", "api_key": "sk-nested-1234567890"}}}}}
        """)
        var recipe = RunRecipe()
        recipe.config = config
        let resolver = RunResolver(environment: [:])
        let spec = try resolver.provider(recipe, prompt: BuiltinPrompts.mem0SystemPrompt)
        let provider = try ProviderFactory.make(spec, dataset: Dataset(path: "x", queries: []), environment: [:])
        _ = try await provider.complete(ChatRequest(model: config.model, messages: [.user("x")], temperature: config.temperature, maxTokens: config.maxTokens))
        let r = try #require(server.requests.first)
        #expect(r.header("Authorization") == "Bearer sk-nested-1234567890")
        #expect(r.body == #"{"model":"gpt-5-mini","messages":[{"role":"user","content":"x"}],"max_completion_tokens":64,"temperature":0.0,"top_p":0.1}"#)
    }
}
