/// How a tune searches and what it may spend. The scorer's own settings (provider, model, mode,
/// parser, metrics) are the run's `RunSettings`; these are the search's.
public struct TuneSettings: Sendable, Codable, Equatable {
    /// Rounds of proposing and selecting at most.
    public var rounds: Int
    /// Edited prompts asked of the proposer per round (K).
    public var candidates: Int
    /// Dev queries in the first minibatch of a round; doubled for the survivors of each halving.
    public var minibatch: Int
    /// Hard cap on calls (scorer and proposer); nil: no cap.
    public var maxCalls: Int?
    /// Stop once this many US dollars are spent (scorer and proposer); nil: no limit.
    public var maxCost: Double?
    /// Seeds the minibatches and the choice of failure examples.
    public var seed: UInt64
    /// A candidate replaces its parent only when better on dev with a paired p below this.
    public var alpha: Double
    /// Rounds in a row without a candidate beating its parent before the tune stops.
    public var patience: Int
    /// Worst dev queries shown to the proposer, and misranked pairs shown per query.
    public var failureQueries: Int
    public var pairsPerQuery: Int
    /// Sampling temperature of the proposer (some spread makes K proposals differ).
    public var proposerTemperature: Double
    /// Reply token limit of the proposer.
    public var proposerMaxTokens: Int

    public init(rounds: Int = 3, candidates: Int = 4, minibatch: Int = 8, maxCalls: Int? = nil, maxCost: Double? = nil,
                seed: UInt64 = 42, alpha: Double = 0.05, patience: Int = 1, failureQueries: Int = 3, pairsPerQuery: Int = 3,
                proposerTemperature: Double = 0.7, proposerMaxTokens: Int = 1500) {
        self.rounds = rounds
        self.candidates = candidates
        self.minibatch = minibatch
        self.maxCalls = maxCalls
        self.maxCost = maxCost
        self.seed = seed
        self.alpha = alpha
        self.patience = patience
        self.failureQueries = failureQueries
        self.pairsPerQuery = pairsPerQuery
        self.proposerTemperature = proposerTemperature
        self.proposerMaxTokens = proposerMaxTokens
    }
}
