import RerankCore

/// The tune the workbench shows: one started here (live) or the latest stored for this dataset.
public struct TuneProgress: Sendable, Equatable {
    /// The store's number for it, once `beginTune` gave one.
    public var tuneID: Int64?
    public var lineage: TuneLineage
    public var settings: TuneSettings
    public var scorer: String
    public var proposer: String
    /// Going in the background now.
    public var running: Bool
    /// What the tuner is doing now ("round 2: candidate 6 on 8 dev queries").
    public var activity: String
    /// The calls the whole tune may make at most (the estimate shown before it started).
    public var callBound: Int?
    /// Files written for the winner, once it finished with a better prompt.
    public var written: [String] = []
    /// Why it stopped, when not finished (budget, Ctrl-C, an error).
    public var stopMessage: String?

    public init(tuneID: Int64?, lineage: TuneLineage, settings: TuneSettings, scorer: String, proposer: String,
                running: Bool, activity: String, callBound: Int?) {
        self.tuneID = tuneID
        self.lineage = lineage
        self.settings = settings
        self.scorer = scorer
        self.proposer = proposer
        self.running = running
        self.activity = activity
        self.callBound = callBound
    }

    /// The candidates in tree order: each followed by its children, so the list reads as the
    /// lineage (`depth` indents it).
    public var treeOrder: [(candidate: TuneCandidate, depth: Int)] {
        var out: [(TuneCandidate, Int)] = []
        func walk(_ c: TuneCandidate, _ depth: Int) {
            out.append((c, depth))
            for child in lineage.children(of: c.number) { walk(child, depth + 1) }
        }
        walk(lineage.start, 0)
        // A candidate whose parent is missing (never expected) still shows.
        let seen = Set(out.map(\.0.number))
        for c in lineage.candidates where !seen.contains(c.number) { out.append((c, 0)) }
        return out
    }
}

/// What a tune started from the workbench will take at most, for the question before it.
public struct TuneStartEstimate: Sendable, Equatable {
    public var provider: String
    public var model: String
    public var devQueries: Int
    public var testQueries: Int
    public var rounds: Int
    public var candidates: Int
    public var calls: Int
    public var roundCalls: Int
    public var maxCalls: Int?
    public var cost: Double?

    public init(provider: String, model: String, devQueries: Int, testQueries: Int, rounds: Int, candidates: Int,
                calls: Int, roundCalls: Int, maxCalls: Int?, cost: Double?) {
        self.provider = provider
        self.model = model
        self.devQueries = devQueries
        self.testQueries = testQueries
        self.rounds = rounds
        self.candidates = candidates
        self.calls = calls
        self.roundCalls = roundCalls
        self.maxCalls = maxCalls
        self.cost = cost
    }
}
