/// A recipe with everything decided: the queries to evaluate, the prompt, the settings a run
/// records, and the provider to build. Passed on as one value from the resolver to the runner.
public struct ResolvedRun: Sendable {
    /// The queries the run evaluates (the chosen side of a split).
    public var dataset: Dataset
    public var prompt: ScoringPrompt
    public var settings: RunSettings
    public var provider: ProviderSpec
    /// Every (query, candidate, sample) call of the run.
    public var plan: RunPlan
    /// What to tell the user before the run starts.
    public var notes: [RunNote]

    public init(dataset: Dataset, prompt: ScoringPrompt, settings: RunSettings, provider: ProviderSpec, plan: RunPlan, notes: [RunNote] = []) {
        self.dataset = dataset
        self.prompt = prompt
        self.settings = settings
        self.provider = provider
        self.plan = plan
        self.notes = notes
    }

    /// The report builder for this run's results.
    public func builder(prices: PriceTable = .bundled) -> RunReportBuilder {
        RunReportBuilder(dataset: dataset, prompt: prompt, settings: settings, prices: prices)
    }
}
