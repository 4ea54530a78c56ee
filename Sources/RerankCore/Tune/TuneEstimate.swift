/// What a tune will take at most before it starts: calls (scorer and proposer) and, where
/// prices are known, dollars. An upper bound: every proposal valid, no reply cached, every
/// round run; the call cap, when lower, is the bound that holds.
public struct TuneEstimate: Sendable {
    /// Scoring the start prompt on every dev query (the first round's parent).
    public var startCalls: Int
    /// One round: K proposer calls, the halving's minibatches, the survivor on all dev queries.
    public var roundScorerCalls: Int
    public var roundProposerCalls: Int
    /// The confirmation: start and best on every test query.
    public var confirmationCalls: Int
    public var rounds: Int
    public var maxCalls: Int?
    /// Dollars per scorer call and per proposer call, when priced.
    public var scorerCallCost: Double?
    public var proposerCallCost: Double?

    public init(settings: TuneSettings, runSettings: RunSettings, dataset: Dataset, scorerCallCost: Double?, proposerCallCost: Double?) {
        let samples = max(1, runSettings.samples)
        let dev = dataset.queries.filter { $0.split == .dev }
        let test = dataset.queries.filter { $0.split == .test }
        let devCalls = dev.reduce(0) { $0 + $1.candidates.count } * samples
        let perQuery = dev.isEmpty ? 0 : Double(devCalls) / Double(dev.count)
        startCalls = devCalls
        var halving = 0.0
        for stage in SuccessiveHalving.schedule(candidates: settings.candidates, first: settings.minibatch, total: dev.count) {
            halving += Double(stage.candidates * stage.queries) * perQuery
        }
        roundScorerCalls = Int(halving.rounded(.up)) + (settings.candidates > 0 ? devCalls : 0)
        roundProposerCalls = settings.candidates
        confirmationCalls = 2 * test.reduce(0) { $0 + $1.candidates.count } * samples
        rounds = settings.rounds
        maxCalls = settings.maxCalls
        self.scorerCallCost = scorerCallCost
        self.proposerCallCost = proposerCallCost
    }

    /// Dollars for one proposer call at `price`: it reads the instructions, the prompt and the
    /// failures (about 1,500 tokens) and writes a critique and a prompt (up to its token limit).
    public static func proposerCallCost(_ price: PriceTable.Price?, settings: TuneSettings) -> Double? {
        price.map { $0.cost(TokenUsage(promptTokens: 1500, completionTokens: settings.proposerMaxTokens)) }
    }

    /// Calls of a full search, before the cap.
    public var uncappedCalls: Int { startCalls + rounds * (roundScorerCalls + roundProposerCalls) + confirmationCalls }
    /// Calls at most, the cap included.
    public var calls: Int { min(uncappedCalls, maxCalls ?? .max) }
    public var roundCalls: Int { roundScorerCalls + roundProposerCalls }

    /// Dollars at most for the uncapped search, when both prices are known.
    public var cost: Double? {
        guard let s = scorerCallCost, let p = proposerCallCost else { return nil }
        let scorerCalls = startCalls + rounds * roundScorerCalls + confirmationCalls
        return Double(scorerCalls) * s + Double(rounds * roundProposerCalls) * p
    }
}
