/// How p-values of several comparisons made together are adjusted, so that trying many prompts
/// (or many matrix cells) against one baseline does not turn luck into a "better" verdict.
///
/// Definitions are those of `shared/spec/metrics.md` and equal statsmodels'
/// `multipletests(method="holm")` and `multipletests(method="fdr_bh")`.
public enum PValueCorrection: String, Sendable, Hashable, Codable, CaseIterable {
    /// Holm's step-down method: controls the chance of any false "better" (family-wise error).
    case holm
    /// Benjamini–Hochberg: controls the expected share of false "better"s among the significant
    /// ones (false discovery rate); less strict than Holm.
    case bh
    /// Raw p-values: each comparison judged as if it were the only one.
    case none

    /// The name used in outputs ("Holm", "Benjamini-Hochberg", "none").
    public var displayName: String {
        switch self {
        case .holm: "Holm"
        case .bh: "Benjamini-Hochberg"
        case .none: "none"
        }
    }

    /// Adjusts `pValues` (in any order); the result is in the same order as the input.
    public func adjust(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        guard m > 1 else { return pValues.map { min(1, $0) } }
        // Indices of the p-values in ascending order; ties keep input order so equal p-values
        // get equal adjusted values either way.
        let order = pValues.indices.sorted { pValues[$0] != pValues[$1] ? pValues[$0] < pValues[$1] : $0 < $1 }
        var adjusted = pValues
        switch self {
        case .none:
            return pValues
        case .holm:
            // p(i) = max over j <= i of min(1, (m - j + 1) p(j)), with j 1-based.
            var running = 0.0
            for (rank, index) in order.enumerated() {
                running = max(running, min(1, Double(m - rank) * pValues[index]))
                adjusted[index] = running
            }
        case .bh:
            // p(i) = min over j >= i of min(1, m p(j) / j), with j 1-based.
            var running = 1.0
            for (rank, index) in order.enumerated().reversed() {
                running = min(running, min(1, Double(m) * pValues[index] / Double(rank + 1)))
                adjusted[index] = running
            }
        }
        return adjusted
    }
}
