/// Progress of a tune, for a front end to show (the command's lines, a workbench view).
public enum TuneEvent: Sendable {
    /// A round begins from the best prompt so far.
    case roundStarted(round: Int, parent: Int)
    /// An evaluation is about to run: candidate, how many queries of which side, calls it needs.
    case evaluating(candidate: Int, queries: Int, split: DatasetSplit, calls: Int)
    /// A candidate was added or changed (proposed, discarded, scored, eliminated, accepted).
    case candidate(TuneCandidate)
    /// Calls made and dollars spent so far.
    case spent(calls: Int, cost: Double)
    /// The test split's one look is done.
    case confirmed(TuneConfirmation)
    /// The tune ended this session (finished, or stopped with a reason).
    case ended(TuneLineage)
}
