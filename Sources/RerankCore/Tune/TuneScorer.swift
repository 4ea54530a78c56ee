/// What the tuner asks of the scorer: evaluate a prompt on some queries of the dataset. The
/// front end implements it over the store (response cache, recorded runs) and a provider; the
/// tuner itself makes no call and writes nothing.
public protocol TuneScorer: Sendable {
    /// Calls an evaluation of `prompt` on `queryIDs` would make: those the response cache does
    /// not answer. The tuner checks it against the call cap before it evaluates.
    func callsNeeded(prompt: ScoringPrompt, queryIDs: [String]) async throws -> Int
    /// Scores `prompt` on `queryIDs` (all from one side of the split, `split`). `label` says
    /// what the evaluation is for, for the stored run.
    func evaluate(prompt: ScoringPrompt, queryIDs: [String], split: DatasetSplit, label: String) async throws -> TuneEvaluation
    /// Records the tune's one look at the test split (the confirmation's run of the best prompt).
    func recordTestLook(runID: Int64?) async throws
}

/// One evaluation's outcome.
public struct TuneEvaluation: Sendable {
    public var report: RunReport
    /// The stored run, when the scorer stores runs.
    public var runID: Int64?
    /// Calls made to the provider (cached replies excluded).
    public var callsMade: Int
    /// US dollars spent (0 when no price is known).
    public var cost: Double

    public init(report: RunReport, runID: Int64?, callsMade: Int, cost: Double) {
        self.report = report
        self.runID = runID
        self.callsMade = callsMade
        self.cost = cost
    }

    /// The primary metric per query, for the queries it is defined on.
    public func values(_ metric: MetricName) -> [String: Double] {
        Dictionary(report.queries.compactMap { q in q.reranked[metric].map { (q.queryID, $0) } }, uniquingKeysWith: { a, _ in a })
    }
}

/// Where the tuner saves its lineage after every step (the store, for `tune show` and resume).
public protocol TuneJournal: Sendable {
    func save(_ lineage: TuneLineage) async throws
}
