/// Everything a tune has done so far: every candidate with its parent, the budget spent, the
/// best prompt, and how it ended. Saved after every step, so a stopped tune resumes from it.
public struct TuneLineage: Sendable, Codable, Equatable {
    public var candidates: [TuneCandidate]
    public var roundsCompleted: Int
    /// Rounds in a row whose candidates did not beat their parent.
    public var stalledRounds: Int
    /// Calls made so far (scorer and proposer; cached replies are free).
    public var calls: Int
    public var proposerCalls: Int
    /// US dollars spent so far (0 when no price is known).
    public var cost: Double
    /// The number of the best candidate so far.
    public var best: Int
    public var stopReason: TuneStopReason?
    public var confirmation: TuneConfirmation?
    /// Set once the tune has nothing left to do (confirmed, or nothing to confirm).
    public var finished: Bool

    /// A lineage holding only the start prompt.
    public init(start: ScoringPrompt) {
        candidates = [TuneCandidate(number: 0, parent: nil, round: 0, variant: 0, text: start.text, critique: "", status: .start)]
        roundsCompleted = 0
        stalledRounds = 0
        calls = 0
        proposerCalls = 0
        cost = 0
        best = 0
        finished = false
    }

    public init(candidates: [TuneCandidate], roundsCompleted: Int, stalledRounds: Int, calls: Int, proposerCalls: Int, cost: Double,
                best: Int, stopReason: TuneStopReason?, confirmation: TuneConfirmation?, finished: Bool) {
        self.candidates = candidates
        self.roundsCompleted = roundsCompleted
        self.stalledRounds = stalledRounds
        self.calls = calls
        self.proposerCalls = proposerCalls
        self.cost = cost
        self.best = best
        self.stopReason = stopReason
        self.confirmation = confirmation
        self.finished = finished
    }

    public subscript(number: Int) -> TuneCandidate? {
        candidates.first { $0.number == number }
    }

    public var start: TuneCandidate { candidates[0] }
    public var bestCandidate: TuneCandidate { self[best] ?? start }

    /// The candidates made from `number`, in the order proposed.
    public func children(of number: Int) -> [TuneCandidate] {
        candidates.filter { $0.parent == number }
    }

    /// Proposals discarded for their format or validation.
    public var discarded: Int { candidates.filter { $0.status == .discarded }.count }

    /// Whether the tune found a prompt better than the start on dev.
    public var improved: Bool { best != 0 }

    public mutating func update(_ candidate: TuneCandidate) {
        if let i = candidates.firstIndex(where: { $0.number == candidate.number }) {
            candidates[i] = candidate
        } else {
            candidates.append(candidate)
        }
    }
}
