import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// The one resolver both front ends use: recipe → prompt → endpoint → settings → plan, tested
/// directly (no process, no network).
@Suite struct RunResolverTests {
    static let data = Fixtures.dataset(queries: 3, candidates: 4)
    static let azureConfig = """
        {"reranker": {"provider": "llm_reranker", "config": {"provider": "azure_openai", "model": "gpt-4o-mini", "top_k": 3,
         "llm": {"provider": "azure_openai", "config": {"model": "gpt-4o-mini", "api_key": "azure-key-0123456789", "max_tokens": 64,
           "azure_kwargs": {"azure_deployment": "dep", "api_version": "2024-10-21", "azure_endpoint": "https://example.openai.azure.com"}}}}}}
        """

    static func azureRecipe() throws -> RunRecipe {
        var recipe = RunRecipe()
        recipe.config = try Mem0RerankerConfig.parse(azureConfig)
        recipe.configPath = "azure.json"
        return recipe
    }

    static func resolve(_ recipe: RunRecipe, environment: [String: String] = [:], dataset: Dataset = data) throws(RecipeError) -> ResolvedRun {
        try RunResolver(environment: environment).resolve(recipe, dataset: dataset)
    }

    static func code(_ recipe: RunRecipe, environment: [String: String] = [:]) -> RecipeError.Code? {
        do { _ = try resolve(recipe, environment: environment) } catch { return error.code }
        return nil
    }

    @Test func theDefaultRecipeIsTheOfflineBaselineWithMem0sDefaults() throws {
        let run = try Self.resolve(RunRecipe())
        #expect(run.settings.provider == "lexical")
        #expect(run.settings.model == LexicalProvider.modelName)
        #expect(run.settings.parser == .mem0 && run.settings.maxTokens == 100 && run.settings.temperature == 0)
        #expect(run.settings.concurrency == 8)
        #expect(run.prompt.text == BuiltinPrompts.mem0SystemPrompt.text)
        #expect(run.notes == [.providerIgnoresPrompt(provider: "lexical")])
        // The report says what the screen says: the baseline ignores the prompt.
        #expect(run.builder().build(results: []).providerIgnoresPrompt)
        #expect(run.plan.count == 12)
    }

    @Test func anAzureConfigDecidesTheEndpointAndTheSettings() throws {
        let run = try Self.resolve(try Self.azureRecipe())
        guard case let .endpoint(endpoint, model, local) = run.provider else { Issue.record("not an endpoint"); return }
        #expect(model == "gpt-4o-mini" && local == nil)
        #expect(endpoint.baseURL == "https://example.openai.azure.com")
        #expect(endpoint.apiKey == "azure-key-0123456789")
        #expect(endpoint.keySource == "the config azure.json")
        #expect(run.settings.azureDeployment == "dep" && run.settings.azureAPIVersion == "2024-10-21")
        #expect(run.settings.topK == 3 && run.settings.maxTokens == 64)
        #expect(run.settings.route == .chat && run.settings.topP == 0.1)
        #expect(!run.builder().build(results: []).providerIgnoresPrompt)
    }

    /// `--resume` and the workbench rebuild a recipe from settings: resolving it must give the
    /// same settings back, or a resumed run would send other requests than its start did.
    @Test(arguments: ["lexical", "openai", "azure", "vllm-completions", "anthropic", "ollama"])
    func aRecipeFromResolvedSettingsResolvesToTheSameSettings(_ name: String) throws {
        var recipe = RunRecipe()
        // A resume gives the key again (a store never holds one): here through the environment.
        var environment = ["OPENAI_API_KEY": "sk-0123456789", "ANTHROPIC_API_KEY": "sk-ant-0123456789", "AZURE_OPENAI_API_KEY": "azure-0123456789"]
        switch name {
        case "azure": recipe = try Self.azureRecipe()
        case "vllm-completions":
            recipe.provider = "vllm"
            recipe.model = "qwen"
            recipe.route = .completions
            recipe.promptCache = false
            recipe.baseURL = "http://127.0.0.1:9/v1"
        case "lexical": break
        default:
            recipe.provider = name
            environment["OLLAMA_HOST"] = "127.0.0.1:11500"
        }
        recipe.samples = 3
        recipe.logprobs = name == "openai"
        let first = try Self.resolve(recipe, environment: environment)
        let again = try Self.resolve(RunRecipe(settings: first.settings, prompt: first.prompt), environment: environment)
        #expect(again.settings == first.settings)
    }

    @Test func givenOptionsWinOverTheConfigAndTheConfigOnlyDescribesItsOwnProvider() throws {
        var recipe = try Self.azureRecipe()
        recipe.model = "gpt-4.1-mini"
        #expect(try Self.resolve(recipe).settings.model == "gpt-4.1-mini")
        // Switching provider drops the config's endpoint and key (and its model).
        recipe.provider = "openai"
        recipe.model = nil
        #expect(Self.code(recipe) == .missingAPIKey)
        let run = try Self.resolve(recipe, environment: ["OPENAI_API_KEY": "sk-0123456789"])
        guard case let .endpoint(endpoint, _, _) = run.provider else { Issue.record("not an endpoint"); return }
        #expect(endpoint.baseURL == "https://api.openai.com/v1" && endpoint.keySource == "OPENAI_API_KEY")
        #expect(run.settings.model == ProviderCatalog.defaultModel("openai"))
        #expect(run.settings.azureDeployment == nil)
    }

    @Test func fillEndpointKeepsAConfigsEndpointOnlyForItsProvider() throws {
        let startup = try Self.azureRecipe()
        let first = try Self.resolve(startup)
        var same = RunRecipe(settings: first.settings, prompt: first.prompt)
        same.fillEndpoint(from: startup)
        #expect(try Self.resolve(same).settings == first.settings)
        var other = RunRecipe(settings: RunSettings(provider: "openai", model: "m"), prompt: first.prompt)
        other.fillEndpoint(from: startup)
        #expect(other.config == nil && other.apiKey == nil)
    }

    @Test func problemsComeWithACodeAndRemediesNotFlags() throws {
        var unknown = RunRecipe.named("cohere")
        #expect(Self.code(unknown) == .unknownProvider)
        unknown.provider = "vllm"
        unknown.model = nil
        #expect(Self.code(unknown) == .missingModel)
        var local = RunRecipe.named("local", baseURL: "http://127.0.0.1:8080")
        #expect(Self.code(local) == .baseURLNotForLocal)
        local = RunRecipe.named("openai", apiKey: "sk-0123456789")
        local.modelFile = "model.gguf"
        #expect(Self.code(local) == .modelFileNotLocal)
        var cache = RunRecipe.named("openai", apiKey: "sk-0123456789")
        cache.promptCache = false
        #expect(Self.code(cache) == .promptCacheNotSupported)
        var route = RunRecipe.named("anthropic", apiKey: "sk-0123456789")
        route.route = .completions
        #expect(Self.code(route) == .routeNotSupported)
        #expect(Self.code(RunRecipe.named("replay")) == .missingRecording)
        var badURL = RunRecipe.named("vllm", baseURL: "localhost:8000")
        badURL.model = "m"
        do {
            _ = try Self.resolve(badURL)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .badBaseURL)
            #expect(error.remedies == [.set(.baseURL, placeholder: "URL")])
            #expect(!error.problem.contains("--"))
        }
    }

    @Test func aFileWithASplitEvaluatesDevUnlessAskedAndSaysSo() throws {
        var data = Self.data
        data.queries[0].split = .test
        data.queries[1].split = .dev
        data.queries[2].split = .dev
        let dev = try Self.resolve(RunRecipe(), dataset: data)
        #expect(dev.dataset.queries.count == 2 && dev.settings.split == .dev)
        #expect(dev.notes.contains(.evaluatingDevSplit(path: data.path, evaluated: 2, total: 3)))
        var all = RunRecipe()
        all.split = .all
        #expect(try Self.resolve(all, dataset: data).dataset.queries.count == 3)
        // A split asked of a file without one names the way to make one.
        var test = RunRecipe()
        test.split = .test
        do {
            _ = try Self.resolve(test)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .badSplit)
            #expect(error.remedies.first == .makeSplit(dataset: Self.data.path))
        }
    }

    @Test func aPromptWithErrorsStopsTheRunAndWarningsBecomeNotes() throws {
        var recipe = RunRecipe()
        recipe.prompt = .given(ScoringPrompt(name: "broken", text: "Score it: {query} {document} {unknown_field}"))
        recipe.mode = .template
        #expect(Self.code(recipe) == .invalidPrompt)
        recipe.mode = .system
        let run = try Self.resolve(recipe)
        #expect(run.notes.contains { if case .promptWarning(place: "broken", _, _, _) = $0 { return true } else { return false } })
    }

    @Test func aModelFileIsSpelledAsOneAbsolutePath() throws {
        let dir = Fixtures.temporaryDirectory()
        let file = (dir as NSString).appendingPathComponent("m.gguf")
        _ = FileManager.default.createFile(atPath: file, contents: Data("GGUF".utf8))
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: true)
        // Joined, then standardized: a way round through `..` is the same spelling.
        #expect(try RunResolver.modelFilePath(dir + "/sub/../m.gguf") == (file as NSString).standardizingPath)
        do {
            _ = try RunResolver.modelFilePath("missing.gguf")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .noSuchModelFile && error.file == "missing.gguf")
        }
    }
}
