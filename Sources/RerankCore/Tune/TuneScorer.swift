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
