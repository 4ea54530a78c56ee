/// Why a tune stopped searching.
public enum TuneStopReason: Sendable, Codable, Equatable, CustomStringConvertible {
    /// Every round asked for ran.
    case roundsDone(Int)
    /// `rounds` rounds in a row found no candidate beating its parent on dev beyond noise.
    case noImprovement(rounds: Int)
    /// The next step would have passed the call cap.
    case callBudget(used: Int, limit: Int)
    /// The cost limit was reached.
    case costBudget(spent: Double, limit: Double)
    /// The user stopped it.
    case cancelled
    /// A scoring run stopped early (a configuration error, its own cost limit) or could not be stored.
    case scorerFailed(String)
    /// The proposer's call failed.
    case proposerFailed(String)

    /// Whether `--resume` can carry on from here (a budget or a failure can be lifted or fixed;
    /// a finished search cannot go further with the same settings).
    public var isResumable: Bool {
        switch self {
        case .roundsDone, .noImprovement: false
        default: true
        }
    }

    public var description: String {
        switch self {
        case let .roundsDone(n): "all \(n) round\(n == 1 ? "" : "s") ran"
        case let .noImprovement(n): n == 1 ? "no candidate beat its parent on dev beyond noise" : "no candidate beat its parent on dev beyond noise for \(n) rounds"
        case let .callBudget(used, limit): "stopped at the call budget: \(used) of \(limit) calls used; the next step needs more"
        case let .costBudget(spent, limit): "stopped at the cost limit: $\(spent.formatted(decimals: 4)) spent of $\(limit.formatted(decimals: 4))"
        case .cancelled: "cancelled"
        case let .scorerFailed(m): "a scoring run stopped: \(m)"
        case let .proposerFailed(m): "the proposer's call failed: \(m)"
        }
    }
}
