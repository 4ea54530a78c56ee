import Foundation

/// Turns a `RunRecipe` into a `ResolvedRun`, one way only: recipe → prompt → endpoint →
/// settings → plan. Settings are read from the endpoint it decided, never back out of a built
/// provider. Pure apart from reading the files the recipe names (prompt, recording, model file
/// existence) and the environment it is given.
public struct RunResolver: Sendable {
    public var environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// Everything a run needs, for the queries of `dataset` the recipe selects.
    public func resolve(_ recipe: RunRecipe, dataset full: Dataset) throws(RecipeError) -> ResolvedRun {
        let (prompt, problems) = try prompt(recipe)
        let spec = try provider(recipe, prompt: prompt)
        let selection = try SplitSelection.resolve(recipe.split, for: full)
        let data = full.selecting(selection)
        var settings = settings(recipe, prompt: prompt, provider: spec)
        settings.split = full.hasSplits ? selection : nil

        var notes: [RunNote] = recipe.config?.warnings.map(RunNote.configWarning) ?? []
        if full.hasSplits, recipe.split == nil {
            notes.append(.evaluatingDevSplit(path: full.path, evaluated: data.queries.count, total: full.queries.count))
        }
        if spec.ignoresPrompt { notes.append(.providerIgnoresPrompt(provider: spec.name)) }
        let place = prompt.path ?? prompt.name
        for p in problems where p.severity == .warning {
            notes.append(.promptWarning(place: place, line: p.line, column: p.column, message: p.message))
        }
        let plan: RunPlan
        do { plan = try RunPlan(dataset: data, prompt: prompt, settings: settings) } catch {
            throw RecipeError(.invalidPrompt, error.description)
        }
        if case let .replay(player) = spec {
            try Self.checkReplay(player, plan: plan, prompt: prompt, settings: settings, dataset: data, recipe: recipe)
        }
        return ResolvedRun(dataset: data, prompt: prompt, settings: settings, provider: spec, plan: plan, notes: notes)
    }

    /// The scoring prompt (and the warnings found in it); errors in it stop the run.
    public func prompt(_ recipe: RunRecipe) throws(RecipeError) -> (ScoringPrompt, [PromptProblem]) {
        let prompt: ScoringPrompt
        switch recipe.prompt {
        case let .file(path):
            do { prompt = try ScoringPrompt.load(path: path) } catch { throw RecipeError(.unreadableInput, error.description) }
        case let .given(given):
            prompt = given
        case .configOrDefault:
            if let replay = recipe.replay, let recorded = try Self.recordedPrompt(replay) {
                prompt = recorded
            } else if let text = recipe.config?.scoringPrompt, !text.isEmpty {
                let source = recipe.configPath ?? "the config"
                prompt = ScoringPrompt(name: "scoring_prompt from \(source)", text: text, path: recipe.configPath)
            } else {
                prompt = recipe.mode == .template ? BuiltinPrompts.mem0TemplatePrompt : BuiltinPrompts.mem0SystemPrompt
            }
        }
        let mode = recipe.mode ?? prompt.mode ?? .system
        let problems = prompt.validate(mode: mode)
        let errors = problems.filter { $0.severity == .error }
        if !errors.isEmpty {
            let place = prompt.path ?? prompt.name
            throw RecipeError(.invalidPrompt, errors.map { p in
                p.line > 0 ? "\(place):\(p.line):\(p.column): \(p.message)" : "\(place): \(p.message)"
            }.joined(separator: "\n"))
        }
        return (prompt, problems)
    }

    /// The prompt a recording was made with (its mode, parser and scale as the prompt's own),
    /// nil for a recording that does not hold the text.
    static func recordedPrompt(_ path: String) throws(RecipeError) -> ScoringPrompt? {
        do { return try Recording.header(path: path).prompt } catch { throw RecipeError(.unreadableInput, error.description) }
    }

    /// A replay starts only when the recording answers every call of the plan: a request it
    /// does not hold would stop the run at its first call, leaving a run that never started.
    static func checkReplay(_ player: ReplayProvider, plan: RunPlan, prompt: ScoringPrompt, settings: RunSettings,
                            dataset: Dataset, recipe: RunRecipe) throws(RecipeError) {
        let missing = plan.tasks.filter { !player.holdsReply(for: $0.request) }.count
        guard missing > 0 else { return }
        let header = player.header
        // Every difference is named; the remedy is for the first (the prompt decides the most).
        var differences: [String] = []
        var remedies: [Remedy] = []
        if prompt.textHash != header.promptSha256 {
            differences.append("it was made with prompt '\(header.promptName)' (sha256 \(header.promptSha256.prefix(12))), this run has '\(prompt.name)' (sha256 \(prompt.textHash.prefix(12)))")
            if header.promptText != nil, case .file(_) = recipe.prompt {
                remedies = [.drop(.prompt)]
            } else {
                remedies = [.set(.prompt, placeholder: "FILE")]
            }
        }
        if let mode = header.mode, mode != settings.mode {
            differences.append("it was made in \(mode.rawValue) mode, this run is in \(settings.mode.rawValue) mode")
            if remedies.isEmpty { remedies = [recipe.mode == nil ? .use(.mode, value: mode.rawValue) : .drop(.mode)] }
        }
        if dataset.contentHash != header.datasetSha256 {
            differences.append("it was made on \(header.datasetPath) (sha256 \(header.datasetSha256.prefix(12))), this run is on \(dataset.path) (sha256 \(dataset.contentHash.prefix(12)))")
            if remedies.isEmpty { remedies = [.set(.dataset, placeholder: header.datasetPath)] }
        }
        if differences.isEmpty {
            differences.append("it holds fewer samples or other queries than this run asks for")
        }
        throw RecipeError(.recordingMismatch, "holds no reply for \(missing) of the run's \(plan.count) requests: \(differences.joined(separator: "; "))",
                          file: player.path, remedies: remedies)
    }

    /// The provider to build, with its endpoint decided: name, model, URL, key, route.
    public func provider(_ recipe: RunRecipe, prompt: ScoringPrompt) throws(RecipeError) -> ProviderSpec {
        if let replay = recipe.replay {
            if let named = recipe.provider, named != ProviderCatalog.replayName {
                throw RecipeError(.replayWithProvider, "a recording serves the replies, so provider '\(named)' is not used", remedies: [.drop(.provider)])
            }
            do { return .replay(try ReplayProvider(path: replay)) } catch { throw RecipeError(.unreadableInput, error.description) }
        }
        let name = recipe.resolvedProviderName
        if name == ProviderCatalog.replayName {
            throw RecipeError(.missingRecording, "provider 'replay' needs a recording", remedies: [.set(.replay, placeholder: "FILE")])
        }
        if name == ProviderCatalog.lexicalName { return .lexical }
        guard let preset = ProviderPreset.named(name) else {
            throw RecipeError(.unknownProvider, "unknown provider '\(name)'; known providers: \(ProviderCatalog.names.joined(separator: ", "))",
                              remedies: [.set(.provider, placeholder: "NAME")])
        }
        let model = self.model(recipe, provider: name)
        if model.isEmpty {
            throw RecipeError(.missingModel, "provider '\(name)' needs a model name", remedies: [.set(.model, placeholder: "NAME")])
        }
        let endpoint = try self.endpoint(recipe, preset: preset, model: model)
        guard preset.name == ProviderPreset.localName else {
            if recipe.modelFile != nil {
                throw RecipeError(.modelFileNotLocal, "a model file is served only by provider 'local'; for '\(name)' name the model instead",
                                  remedies: [.drop(.modelFile), .set(.model, placeholder: "NAME")])
            }
            return .endpoint(endpoint, model: model, local: nil)
        }
        if recipe.baseURL != nil {
            throw RecipeError(.baseURLNotForLocal, "a base URL does not apply to provider 'local' (RerankBench runs that server itself); for a llama-server you run yourself, use provider llamacpp with its URL",
                              remedies: [.drop(.baseURL), .use(.provider, value: "llamacpp")])
        }
        let file = try recipe.modelFile.map { path throws(RecipeError) in try Self.modelFilePath(path) }
        return .endpoint(endpoint, model: model, local: .init(modelFile: file, slots: recipe.concurrency ?? preset.defaultConcurrency))
    }

    /// The model: the named one, else the config's (when the provider is the config's), else
    /// the provider's default.
    public func model(_ recipe: RunRecipe, provider name: String) -> String {
        recipe.model ?? (recipe.provider == nil ? recipe.config?.model : nil) ?? ProviderCatalog.defaultModel(name)
    }

    /// Key and URL resolved the way the official clients do: explicit values first, then the
    /// mem0 config's (for the config's own provider), then the provider's environment variables.
    func endpoint(_ recipe: RunRecipe, preset: ProviderPreset, model: String) throws(RecipeError) -> ProviderEndpoint {
        func env(_ name: String?) -> String? {
            guard let name, let v = environment[name], !v.isEmpty else { return nil }
            return v
        }
        // A config describes its own provider: its URL and key do not follow a switch to another.
        let config = recipe.config.flatMap { $0.provider == preset.name ? $0 : nil }
        var key = recipe.apiKey
        var source = recipe.apiKeySource
        if key == nil, let v = config?.apiKey {
            key = v
            source = recipe.configPath.map { "the config \($0)" } ?? "the config"
        }
        if key == nil, let v = env(preset.keyVariable) {
            key = v
            source = preset.keyVariable
        }
        if preset.keyRequired, key == nil {
            throw RecipeError(.missingAPIKey, "provider '\(preset.name)' needs an API key",
                              remedies: [.environment(preset.keyVariable ?? "the key"), .set(.apiKey, placeholder: "KEY")])
        }
        var base = recipe.baseURL ?? config?.baseURL ?? env(preset.baseURLVariable) ?? preset.baseURL
        if preset.wire == .azureOpenAI {
            base = recipe.azureEndpoint ?? config?.azureEndpoint ?? recipe.baseURL ?? config?.baseURL ?? env("AZURE_OPENAI_ENDPOINT") ?? ""
            if base.isEmpty {
                throw RecipeError(.missingEndpoint, "provider 'azure_openai' needs an endpoint",
                                  remedies: [.environment("AZURE_OPENAI_ENDPOINT"), .set(.config, placeholder: "a mem0 config with azure_kwargs.azure_endpoint"),
                                             .set(.baseURL, placeholder: "URL")])
            }
        }
        if preset.name == "ollama", base == env("OLLAMA_HOST"), !base.hasPrefix("http") {
            base = "http://" + base
        }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw RecipeError(.badBaseURL, "base URL '\(base)' must start with http:// or https://", remedies: [.set(.baseURL, placeholder: "URL")])
        }
        if recipe.route == .completions, preset.wire != .openai {
            throw RecipeError(.routeNotSupported, "the plain completions API needs an OpenAI-compatible provider; '\(preset.name)' speaks only its chat API",
                              remedies: [.use(.route, value: OpenAIRoute.chat.rawValue)])
        }
        if recipe.promptCache == false, preset.wire != .openai || !preset.isLocal {
            throw RecipeError(.promptCacheNotSupported, "turning off prompt-cache reuse is a llama.cpp server setting",
                              remedies: [.use(.provider, value: ProviderPreset.localName), .use(.provider, value: "llamacpp"), .drop(.promptCache)])
        }
        let deployment = recipe.azureDeployment ?? config?.azureDeployment ?? env("AZURE_OPENAI_DEPLOYMENT") ?? model
        let version = recipe.azureAPIVersion ?? config?.azureAPIVersion ?? env("AZURE_OPENAI_API_VERSION") ?? env("OPENAI_API_VERSION")
        var endpoint = ProviderEndpoint(preset: preset, baseURL: base, apiKey: key, keySource: source,
                                        azureDeployment: deployment, azureAPIVersion: version,
                                        isReasoningModel: recipe.isReasoningModel ?? config?.isReasoningModel,
                                        topP: recipe.topP ?? config?.topP ?? 0.1, route: recipe.route ?? preset.defaultRoute)
        endpoint.promptCache = recipe.promptCache
        return endpoint
    }

    /// The settings a run records. With `provider` nil (the workbench before its first run, when
    /// no key may be given yet) the endpoint fields are the recipe's own.
    public func settings(_ recipe: RunRecipe, prompt: ScoringPrompt, provider spec: ProviderSpec?) -> RunSettings {
        let name = spec?.name ?? recipe.resolvedProviderName
        let model: String
        if case let .replay(player) = spec { model = player.header.model } else { model = self.model(recipe, provider: name) }
        let config = recipe.config
        let parser = recipe.parser ?? (recipe.logprobs ? .logprob : nil) ?? prompt.parser ?? .mem0
        var settings = RunSettings(
            provider: name, model: model, mode: recipe.mode ?? prompt.mode ?? .system,
            parser: parser, scale: recipe.scale ?? prompt.scale ?? .unit,
            temperature: recipe.temperature ?? config?.temperature ?? 0.0,
            maxTokens: recipe.maxTokens ?? config?.maxTokens ?? prompt.maxTokens ?? 100, stop: recipe.stop,
            topLogprobs: (recipe.logprobs || parser == .logprob) ? 20 : nil, topK: recipe.topK ?? config?.topK,
            samples: recipe.samples, aggregate: recipe.aggregate,
            concurrency: recipe.concurrency ?? ProviderCatalog.defaultConcurrency(name),
            failurePolicy: recipe.failurePolicy, ties: recipe.ties, metrics: recipe.metrics, retry: recipe.retry,
            timeout: recipe.timeout, requestsPerMinute: recipe.requestsPerMinute, tokensPerMinute: recipe.tokensPerMinute,
            maxCost: recipe.maxCost)
        settings.split = recipe.split
        switch spec {
        case nil:
            settings.baseURL = recipe.baseURL
            settings.route = recipe.route
            settings.modelFile = recipe.modelFile
            settings.promptCache = recipe.promptCache
        case .lexical?, .replay?:
            break
        case let .endpoint(endpoint, _, local)?:
            let wire = endpoint.preset.wire
            // The managed server's port is chosen when it starts: not part of the run's identity.
            settings.baseURL = local == nil ? endpoint.baseURL : nil
            settings.route = wire == .openai || wire == .azureOpenAI ? endpoint.route : nil
            settings.modelFile = local?.modelFile
            settings.promptCache = endpoint.promptCache
            if wire != .anthropic {
                settings.topP = endpoint.topP
                settings.isReasoningModel = endpoint.isReasoningModel
            }
            if wire == .azureOpenAI {
                settings.azureDeployment = endpoint.azureDeployment
                settings.azureAPIVersion = endpoint.azureAPIVersion
            }
        }
        return settings
    }

    /// The absolute path of a user's GGUF file, the one spelling every server record uses (so
    /// a persistent server started for it is found again); an error when it is not a file.
    public static func modelFilePath(_ modelFile: String) throws(RecipeError) -> String {
        // Joined first, then standardized: `../m.gguf` must come out as the same spelling as the
        // absolute path, or a server started for the file is not found again.
        let joined = modelFile.hasPrefix("/") ? modelFile : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(modelFile)
        let absolute = (joined as NSString).standardizingPath
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: absolute),
              attributes[.type] as? FileAttributeType == .typeRegular else {
            throw RecipeError(.noSuchModelFile, "no such model file", file: modelFile, remedies: [.set(.modelFile, placeholder: "GGUF-FILE")])
        }
        return absolute
    }
}
