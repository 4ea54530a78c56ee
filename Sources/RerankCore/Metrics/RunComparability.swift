/// What two runs can fairly be compared on, in one place for `rerank-eval compare` and the
/// workbench: the same wording about datasets, and only the queries both runs finished.
public enum RunComparability {
    /// The note both front ends print when two runs used different dataset files (callers ask
    /// only when the hashes differ). Queries are then matched by id.
    public static func differentDatasets(a: String, aHash: String, b: String, bHash: String) -> String {
        "different datasets (sha256 \(aHash.prefix(12)) vs \(bHash.prefix(12))); compared on the query ids both have"
    }

    /// Whether every candidate of the query was answered (scored, or failed for good): a query
    /// a cancelled run never reached still shows its first-stage order, which is not a result.
    public static func isComplete(_ query: QueryReport) -> Bool {
        query.candidates.allSatisfy { $0.score != nil || $0.failed }
    }

    /// Both reports cut to the queries that both completed, and how many queries of either run
    /// were left out for it.
    public static func completedInBoth(_ a: RunReport, _ b: RunReport) -> (RunReport, RunReport, leftOut: Int) {
        let doneA = Set(a.queries.filter(isComplete).map(\.queryID))
        let doneB = Set(b.queries.filter(isComplete).map(\.queryID))
        let both = doneA.intersection(doneB)
        let common = Set(a.queries.map(\.queryID)).intersection(b.queries.map(\.queryID))
        var cutA = a, cutB = b
        cutA.queries = a.queries.filter { both.contains($0.queryID) }
        cutB.queries = b.queries.filter { both.contains($0.queryID) }
        return (cutA, cutB, common.count - both.count)
    }
}
