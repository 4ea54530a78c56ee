/// The one look at the test split a tune takes: the best prompt against the start prompt, paired
/// over the test queries. Only this decides the verdict; dev numbers were used to choose.
public struct TuneConfirmation: Sendable, Codable, Equatable {
    public enum Verdict: String, Sendable, Codable {
        /// Better on test beyond noise.
        case confirmed
        /// Better on dev, but on test the difference can be noise.
        case notConfirmed
        /// Worse on test beyond noise.
        case worseOnTest
    }

    /// The candidate confirmed (the start prompt is number 0).
    public var best: Int
    public var comparison: PairedComparison
    public var startRunID: Int64?
    public var bestRunID: Int64?

    public init(best: Int, comparison: PairedComparison, startRunID: Int64?, bestRunID: Int64?) {
        self.best = best
        self.comparison = comparison
        self.startRunID = startRunID
        self.bestRunID = bestRunID
    }

    public var verdict: Verdict {
        guard comparison.isSignificant else { return .notConfirmed }
        return comparison.meanDelta > 0 ? .confirmed : .worseOnTest
    }

    /// "improved on dev, confirmed on test: tuned is better than start on ndcg@10 by 0.210, ..."
    public var summary: String {
        let detail = comparison.verdict(nameA: "start", nameB: "tuned")
        switch verdict {
        case .confirmed: return "improved on dev, confirmed on test: \(detail)"
        case .notConfirmed: return "improved on dev, not confirmed on test: \(detail)"
        case .worseOnTest: return "improved on dev, worse on test: \(detail)"
        }
    }

    public static func == (a: TuneConfirmation, b: TuneConfirmation) -> Bool {
        a.best == b.best && a.startRunID == b.startRunID && a.bestRunID == b.bestRunID
            && a.comparison.deltas == b.comparison.deltas && a.comparison.queryIDs == b.comparison.queryIDs
    }
}
