/// The words every output (table, Markdown, HTML, the workbench) puts next to the calibration
/// tables, written once so the CLI and the workbench cannot describe the same numbers two ways.
extension ScoreCalibration {
    /// Which pairs the tables count, and which they leave out.
    public var countedNote: String {
        "\(pairs.count) pair\(pairs.count == 1 ? "" : "s") with the model's own score and a label, over \(queryCount) quer\(queryCount == 1 ? "y" : "ies")"
            + "; left out: \(unscored) without a score from the model (failed call, no number or empty reply, or not run), \(unjudged) unjudged"
    }

    /// How relevance is decided: the metrics' own threshold.
    public var relevanceNote: String { "relevant = label >= \(relevanceThreshold), as in the metrics" }

    /// What the threshold table's columns are, and what recall is measured against.
    public var thresholdNote: String {
        "keep every scored candidate with score >= cut, before any top_k; precision and recall pooled over all queries (micro); "
            + "recall against the pool: relevant kept / relevant candidates"
            + (relevantOutsidePool > 0 ? " (\(relevantOutsidePool) relevant judged outside the pool not counted: no threshold can keep them)" : "")
    }

    /// A suggested cut in one line: "precision >= 0.80: keep score >= 0.66 (...)", or that
    /// no cut reaches the target.
    public func suggestionLine(_ target: Target) -> String {
        let goal = "\(target.metricName) >= \(target.value.formatted(decimals: 2))"
        guard let c = suggestedCut(for: target) else { return "\(goal): no cut reaches it" }
        return "\(goal): keep score >= \(c.cut.formatted(decimals: 2)) (precision \(Self.cell(c.precision)), recall \(Self.cell(c.recall)), "
            + "\(c.keptPerQuery.formatted(decimals: 2)) kept per query)"
    }

    /// A share or mean with three decimals; n/a where it is undefined (an empty bin, nothing kept).
    public static func cell(_ v: Double?) -> String { v.map { $0.formatted(decimals: 3) } ?? "n/a" }

    /// A bin's range as the tables print it: "0.0–0.1", the last "0.9–1.0".
    public static func range(_ bin: Bin) -> String { "\(bin.lower.formatted(decimals: 1))–\(bin.upper.formatted(decimals: 1))" }

    /// The reliability table as rows of cells, header first; `short` headers for narrow screens.
    public func reliabilityRows(short: Bool = false) -> [[String]] {
        [short ? ["score", "pairs", "mean", "label", "relevant"] : ["score", "pairs", "mean score", "mean label", "share relevant"]]
            + bins.map { [Self.range($0), String($0.pairs), Self.cell($0.meanScore), Self.cell($0.meanLabel), Self.cell($0.shareRelevant)] }
    }

    /// The threshold table as rows of cells, header first; `short` headers for narrow screens.
    public func thresholdRows(short: Bool = false) -> [[String]] {
        [short ? ["cut", "kept/q", "precision", "recall"] : ["keep score >=", "kept per query", "precision", "recall"]]
            + cuts.map { [$0.cut.formatted(decimals: 1), $0.keptPerQuery.formatted(decimals: 2), Self.cell($0.precision), Self.cell($0.recall)] }
    }
}
