/// Evaluations of a dataset's held-out test queries. Each look lets the choices that follow
/// depend a little more on the test set, so from the second look on its numbers are no longer a
/// clean estimate of how a prompt does on new queries, and every output says so.
public enum TestLook {
    /// What looked at the test queries.
    public enum Kind: String, Sendable, Codable {
        /// A run of the test split (or of all queries of a file with a split).
        case run
        /// A comparison restricted to the test split.
        case compare
        /// A tune's confirmation: its best prompt against its start prompt on the test split.
        case tune
    }

    /// Whether a run with this selection evaluates test queries (only on a file with a split,
    /// where `selection` is not nil).
    public static func includesTest(_ selection: SplitSelection?) -> Bool {
        selection == .test || selection == .all
    }

    /// The warning for `count` looks, from the second one on: "test split looked at 3 times:
    /// its numbers are no longer a clean estimate".
    public static func warning(count: Int) -> String? {
        count >= 2 ? "test split looked at \(count) times: its numbers are no longer a clean estimate" : nil
    }
}
