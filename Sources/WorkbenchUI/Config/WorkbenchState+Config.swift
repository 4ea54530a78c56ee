import RerankCore

extension WorkbenchState {
    /// Takes the config file's outcome: a good config is applied; a bad one is shown in a
    /// message on the first screen and the built-in config applies. Returns the config in force.
    @discardableResult
    public mutating func start(with loaded: Result<WorkbenchConfig, ConfigProblem>) -> WorkbenchConfig {
        switch loaded {
        case let .success(config):
            apply(config)
            return config
        case let .failure(problem):
            modals.append(.message(title: "Config not used", body: problem.description))
            apply(.builtIn)
            return .builtIn
        }
    }

    /// Takes a config's keys and theme. The keymap was checked when the file was read; a
    /// config made in code that does not hold is refused whole, keeping the built-in keys.
    public mutating func apply(_ config: WorkbenchConfig) {
        keymap = (try? config.keymap()) ?? .standard
        theme = config.theme
    }

    /// Takes a config's defaults for the run settings: what a fresh session starts with.
    public mutating func applyDefaults(_ config: WorkbenchConfig) {
        if let provider = config.provider, provider != settings.provider {
            settings.provider = provider
            settings.model = ProviderCatalog.defaultModel(provider)
            settings.baseURL = nil
            settings.concurrency = ProviderCatalog.defaultConcurrency(provider)
        }
        if let model = config.model { settings.model = model }
        if let cutoffs = config.cutoffs { settings.metrics.cutoffs = cutoffs }
        if let concurrency = config.concurrency { settings.concurrency = concurrency }
    }
}
