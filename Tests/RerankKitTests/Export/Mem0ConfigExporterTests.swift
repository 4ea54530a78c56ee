import Foundation
import RerankKit
@testable import RerankCore
@testable import RerankProviders
@testable import RerankStore
import RerankTestSupport
import Testing

/// mem0 reranker configs, written out in full: the key as a variable reference, the llm block
/// only for a non-default endpoint, the `local` provider as an OpenAI-compatible server, and a
/// header that says which mem0 versions the prompt is for.
@Suite struct Mem0ConfigExporterTests {
    let openAI = RunSettings(provider: "openai", model: "gpt-4o-mini")

    @Test func jsonForTheDefaultEndpoint() {
        #expect(Mem0ConfigExporter.json(settings: openAI, prompt: "Score it.") == """
            {
              "reranker": {
                "provider": "llm_reranker",
                "config": {
                  "provider": "openai",
                  "model": "gpt-4o-mini",
                  "api_key": "${OPENAI_API_KEY}",
                  "temperature": 0.0,
                  "max_tokens": 100,
                  "scoring_prompt": "Score it."
                }
              }
            }

            """)
    }

    @Test func topKAndAnotherBaseURLAddTheirFields() throws {
        var s = openAI
        s.topK = 5
        s.temperature = nil
        s.maxTokens = 1
        s.baseURL = "http://proxy:9/v1"
        let config = try Mem0RerankerConfig.parse(Mem0ConfigExporter.json(settings: s, prompt: "p"), environment: ["OPENAI_API_KEY": "k"])
        #expect(config.baseURL == "http://proxy:9/v1" && config.model == "gpt-4o-mini")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(Mem0ConfigExporter.json(settings: s, prompt: "p").utf8)) as? [String: Any])
        let c = try #require((doc["reranker"] as? [String: Any])?["config"] as? [String: Any])
        #expect(c["top_k"] as? Int == 5 && c["max_tokens"] as? Int == 1 && (c["temperature"] as? NSNumber)?.doubleValue == 0)
        let llm = try #require(c["llm"] as? [String: Any])
        #expect(llm["provider"] as? String == "openai")
        #expect((llm["config"] as? [String: String]) == ["model": "gpt-4o-mini", "openai_base_url": "http://proxy:9/v1"])
        // The preset's own URL needs no llm block.
        s.baseURL = "https://api.openai.com/v1"
        #expect(!Mem0ConfigExporter.json(settings: s, prompt: "p").contains("\"llm\""))
    }

    @Test func azureGetsItsEndpointAndKeyInAzureKwargs() throws {
        var s = RunSettings(provider: "azure_openai", model: "my-deployment")
        s.baseURL = "https://example.openai.azure.com"
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(Mem0ConfigExporter.json(settings: s, prompt: "p").utf8)) as? [String: Any])
        let c = try #require((doc["reranker"] as? [String: Any])?["config"] as? [String: Any])
        #expect(c["api_key"] as? String == "${AZURE_OPENAI_API_KEY}")
        let nested = try #require((c["llm"] as? [String: Any])?["config"] as? [String: Any])
        #expect(nested["azure_kwargs"] as? [String: String] == ["azure_endpoint": "https://example.openai.azure.com", "api_key": "${AZURE_OPENAI_API_KEY}"])
    }

    @Test func aLocalRunBecomesAnOpenAICompatibleServerOnLlamaServersPort() throws {
        var s = RunSettings(provider: ProviderPreset.localName, model: "gemma-3-270m")
        s.baseURL = "http://127.0.0.1:41234/v1"   // the run's temporary port, not exported
        s.route = .completions
        let json = Mem0ConfigExporter.json(settings: s, prompt: "p")
        let c = try #require(((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["reranker"] as? [String: Any])?["config"] as? [String: Any])
        #expect(c["provider"] as? String == "openai" && c["api_key"] as? String == "no-key-needed")
        #expect((c["llm"] as? [String: Any])?["config"] as? [String: String] == ["model": "gemma-3-270m", "openai_base_url": "http://127.0.0.1:8080/v1"])
        #expect(!json.contains("41234"))
        let yaml = Mem0ConfigExporter.yaml(settings: s, prompt: "p")
        #expect(yaml.contains("# The run used RerankBench's local llama-server; mem0 reaches it as an OpenAI-compatible server at\n# http://127.0.0.1:8080/v1: start one there"))
        #expect(yaml.contains("# mem0 sends chat requests; this run used the plain completions endpoint"))
        #expect(!yaml.contains("set OPENAI_API_KEY"), "no key is needed, so none is asked for")
    }

    @Test func yamlHeaderNamesTheMem0VersionsAndAParserMem0DoesNotUse() {
        let system = Mem0ConfigExporter.yaml(settings: openAI, prompt: "Line one\n\nLine three")
        #expect(system == """
            # mem0 reranker config exported by RerankBench for mem0 2.0.2 and later (the prompt is sent verbatim as the system message).
            # The API key is not stored here: set OPENAI_API_KEY in the environment.
            reranker:
              provider: "llm_reranker"
              config:
                provider: "openai"
                model: "gpt-4o-mini"
                api_key: "${OPENAI_API_KEY}"
                temperature: 0.0
                max_tokens: 100
                scoring_prompt: |-
                  Line one

                  Line three

            """)
        var template = openAI
        template.mode = .template
        template.parser = .labeled
        let header = Mem0ConfigExporter.yaml(settings: template, prompt: "Score {query} {document}").split(separator: "\n").prefix(3).map(String.init)
        #expect(header[0].hasPrefix("# mem0 reranker config exported by RerankBench for mem0 2.0.1 and earlier"))
        #expect(header[2] == "# This run scored replies with the labeled parser; mem0 takes the first number in the reply text, so its scores will differ.")
    }

    @Test func pythonModuleReadsTheKeyFromTheEnvironment() {
        #expect(Mem0ConfigExporter.python(settings: openAI, prompt: "Say \"yes\"\n") == """
            # mem0 reranker config exported by RerankBench for mem0 2.0.2 and later (the prompt is sent verbatim as the system message).
            # The API key is not stored here: set OPENAI_API_KEY in the environment.
            import os

            MEM0_CONFIG = {
                "reranker": {
                    "provider": "llm_reranker",
                    "config": {
                        "provider": "openai",
                        "model": "gpt-4o-mini",
                        "api_key": os.environ.get("OPENAI_API_KEY"),
                        "temperature": 0.0,
                        "max_tokens": 100,
                        "scoring_prompt": "Say \\"yes\\"\\n",
                    },
                },
            }

            """)
    }

    @Test(arguments: [
        ("a\nb", true), ("Line one\n\nLine three", true), ("single line", false), ("a\nb\n", false), (" a\nb", false),
        ("\na", false), ("a \nb", false), ("a\n\u{1B}b", false), ("a\n\u{2028}b", false), ("a\tb\nc", false),
    ])
    func literalBlockOnlyWhenItReadsBackExactly(text: String, fits: Bool) {
        #expect(Mem0ConfigExporter.fitsLiteralBlock(text) == fits, "\(text.debugDescription)")
    }
}
