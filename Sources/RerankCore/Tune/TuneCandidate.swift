/// One prompt version in a tune's lineage: the start prompt (number 0) or an edit the proposer
/// made of its parent, with what became of it.
public struct TuneCandidate: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// The prompt the tune started from.
        case start
        /// Proposed and valid, not yet decided (a round in progress).
        case proposed
        /// The reply was not in the strict format, or the prompt failed validation; never scored.
        case discarded
        /// Dropped by successive halving on a minibatch.
        case eliminated
        /// Survived the halving but did not beat its parent on the whole dev split beyond noise.
        case rejected
        /// Beat its parent on dev beyond noise: the new best.
        case accepted
    }

    /// 0 for the start prompt, then in the order proposed.
    public var number: Int
    public var parent: Int?
    /// 0 for the start prompt.
    public var round: Int
    /// Which of the round's K proposals this is (0-based).
    public var variant: Int
    public var text: String
    /// The proposer's critique of the failures that led to this version.
    public var critique: String
    public var status: Status
    /// Why it was discarded, eliminated or rejected.
    public var note: String?
    /// The largest minibatch it was scored on, and its mean primary metric there.
    public var minibatchQueries: Int?
    public var minibatchMean: Double?
    /// Its mean primary metric on the whole dev split, and the paired comparison with its parent.
    public var devMean: Double?
    public var devDelta: Double?
    public var devP: Double?
    /// Calls made for it (its proposal and its scoring; cached replies are free).
    public var calls: Int
    /// Stored runs that scored it.
    public var runIDs: [Int64]

    public init(number: Int, parent: Int?, round: Int, variant: Int, text: String, critique: String, status: Status,
                note: String? = nil, calls: Int = 0) {
        self.number = number
        self.parent = parent
        self.round = round
        self.variant = variant
        self.text = text
        self.critique = critique
        self.status = status
        self.note = note
        self.calls = calls
        runIDs = []
    }
}
