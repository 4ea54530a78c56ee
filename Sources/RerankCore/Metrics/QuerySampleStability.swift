/// How much one query's ranking moves between repeated samples (`--samples k`, k ≥ 2) of the
/// same prompt, model and candidates: the order each sample's scores give on their own, compared
/// sample with sample.
///
/// The run's ranking uses the aggregate of the samples; this looks at the samples one by one,
/// because the aggregate hides how much a single call (which is what mem0 makes) can differ.
public struct QuerySampleStability: Sendable, Hashable, Codable {
    /// The mean Kendall tau-b between the scores of every pair of samples, over the candidates
    /// both samples scored (ties counted as `ScoreAgreement.kendallTauB` counts them); nil when
    /// no pair has a defined tau (for example every score of a sample equal).
    public var meanTau: Double?
    /// The pairs of samples `meanTau` averages.
    public var tauPairs: Int
    /// The metrics of the ranking each sample's scores give on their own, in sample order
    /// (ranked with the run's tie policy and top_k, as the aggregate ranking is).
    public var sampleMetrics: [QueryMetrics]

    public init(meanTau: Double?, tauPairs: Int, sampleMetrics: [QueryMetrics]) {
        self.meanTau = meanTau
        self.tauPairs = tauPairs
        self.sampleMetrics = sampleMetrics
    }

    /// One query's stability from its scores by candidate and sample (`scores[c][s]`; nil where
    /// a sample has no score, which ranks last, as `Ranker` puts an unscored candidate).
    /// - Parameter metrics: the metrics of the ranking that one sample's scores (by candidate) give.
    public static func measure(scores: [[Double?]], samples: Int, metrics: ([Double?]) -> QueryMetrics) -> QuerySampleStability {
        var taus: [Double] = []
        for s in 0..<samples {
            for t in (s + 1)..<samples {
                let both = scores.compactMap { row -> (Double, Double)? in
                    guard s < row.count, t < row.count, let x = row[s], let y = row[t] else { return nil }
                    return (x, y)
                }
                if let tau = ScoreAgreement.kendallTauB(both.map(\.0), both.map(\.1)) { taus.append(tau) }
            }
        }
        let perSample = (0..<samples).map { s in metrics(scores.map { s < $0.count ? $0[s] : nil }) }
        return QuerySampleStability(meanTau: taus.isEmpty ? nil : taus.reduce(0, +) / Double(taus.count),
                                    tauPairs: taus.count, sampleMetrics: perSample)
    }

    /// The metric's value under each sample's ranking, where defined.
    public func values(_ metric: MetricName) -> [Double] { sampleMetrics.compactMap { $0[metric] } }

    /// The sample standard deviation (n − 1 in the denominator) of the metric across samples:
    /// 0 when every sample ranks alike; nil with fewer than two samples where it is defined.
    public func standardDeviation(_ metric: MetricName) -> Double? {
        let v = values(metric)
        guard v.count >= 2 else { return nil }
        let mean = v.reduce(0, +) / Double(v.count)
        return (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count - 1)).squareRoot()
    }

    /// The smallest and largest value of the metric across samples.
    public func range(_ metric: MetricName) -> (min: Double, max: Double)? {
        let v = values(metric)
        guard let low = v.min(), let high = v.max() else { return nil }
        return (low, high)
    }
}
