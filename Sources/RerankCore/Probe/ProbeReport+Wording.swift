/// The sentences every front end shows for a probe.
extension AttackSummary {
    /// "injection: 34 of 36 queries (94.4%) put an injected memory in the top 10; ...".
    public func sentence(k: Int) -> String {
        guard let rate = successRate else { return "\(attack.rawValue): no query measured (its calls were not all made)" }
        var line = "\(attack.rawValue): \(successes) of \(queries) quer\(queries == 1 ? "y" : "ies") (\((rate * 100).formatted(decimals: 1))%) put an injected memory in the top \(k)"
        if let meanRank { line += "; mean rank \(meanRank.formatted(decimals: 1))" }
        if let meanScore { line += ", mean score \(meanScore.formatted(decimals: 3))" }
        if let cleanNDCG, let attackedNDCG, let ndcgLoss {
            line += "; NDCG@\(k) of the own memories \(cleanNDCG.formatted(decimals: 4)) -> \(attackedNDCG.formatted(decimals: 4)) (lost \(ndcgLoss.formatted(decimals: 4)))"
        }
        return line
    }
}

extension ProbeReport {
    /// Prompt, mode, provider and model: what one probe measured.
    public var subject: String {
        "\(promptName) (\(mode.rawValue) mode), \(provider)/\(model)"
    }
}
