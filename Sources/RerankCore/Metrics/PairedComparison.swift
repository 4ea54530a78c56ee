import Foundation

/// Is run B better than run A on a metric, beyond noise? Paired over the same queries.
///
/// Reports per-query deltas, win/tie/loss, a paired two-sided t-test (equal to scipy's
/// `ttest_rel`), a paired sign-flip randomization test and a bootstrap 95% confidence interval
/// of the mean delta (both with a fixed seed and stated numbers of resamples), and a verdict in
/// plain words.
public struct PairedComparison: Sendable, Codable {
    public var metric: MetricName
    public var queryIDs: [String]
    public var a: [Double]
    public var b: [Double]
    public var deltas: [Double]
    public var meanA: Double
    public var meanB: Double
    public var meanDelta: Double
    public var wins: Int
    public var ties: Int
    public var losses: Int
    public var tStatistic: Double?
    public var tTestP: Double?
    public var randomizationP: Double
    public var permutations: Int
    public var bootstrapLow: Double
    public var bootstrapHigh: Double
    public var resamples: Int
    public var seed: UInt64
    public var alpha: Double
    /// The randomization p-value after correcting for the other comparisons made with this one
    /// (equal to `randomizationP` for a single comparison or `correction == .none`).
    public var adjustedP: Double
    public var correction: PValueCorrection
    /// How many comparisons were corrected together (1: this one alone).
    public var familySize: Int
    /// The power the detectable effect is stated for (0.8).
    public var power: Double
    /// The smallest mean difference this many queries detect with `power` at `alpha`
    /// (paired t approximation; nil with fewer than 2 queries or no spread in the deltas).
    public var minimumDetectableEffect: Double?
    /// When the difference is not significant: how many queries a paired t-test would need to
    /// detect the observed mean difference with `power` at `alpha`, if the deltas' spread stayed
    /// the same (nil when significant, or when the observed difference is 0).
    public var queriesNeeded: Int?
    /// When either run scored each pair two or more times: the sample-to-sample noise of the
    /// metric, the larger of the two runs' mean over the compared queries of the per-query
    /// standard deviation across samples (`SampleStability.noise`). Nil when neither run has
    /// repeated samples.
    public var sampleNoise: Double?

    /// What a comparison concludes, in the order the verdict checks it.
    public enum Outcome: String, Sendable, Codable {
        /// The adjusted p-value is at or above alpha.
        case notSignificant = "no significant difference"
        /// Significant, but the mean difference is no larger than `sampleNoise`: re-asking the
        /// same prompt moves a query's metric by as much, so the difference cannot be trusted.
        case withinSampleNoise = "within sample noise"
        case better
        case worse
    }

    /// Compares per-query values of the same queries (`a[i]` and `b[i]` belong to `queryIDs[i]`).
    public init(metric: MetricName, queryIDs: [String], a: [Double], b: [Double], permutations: Int = 10_000,
                resamples: Int = 10_000, seed: UInt64 = 42, alpha: Double = 0.05, power: Double = 0.8,
                sampleNoise: Double? = nil) {
        precondition(a.count == b.count && a.count == queryIDs.count)
        self.metric = metric
        self.queryIDs = queryIDs
        self.a = a
        self.b = b
        self.permutations = permutations
        self.resamples = resamples
        self.seed = seed
        self.alpha = alpha
        let d = zip(b, a).map { $0 - $1 }
        deltas = d
        let n = Double(max(1, d.count))
        meanA = a.reduce(0, +) / n
        meanB = b.reduce(0, +) / n
        meanDelta = d.reduce(0, +) / n
        let eps = 1e-12
        wins = d.filter { $0 > eps }.count
        losses = d.filter { $0 < -eps }.count
        ties = d.count - wins - losses
        (tStatistic, tTestP) = Self.pairedTTest(d)
        var rng = SeededRandom(seed: seed)
        randomizationP = Self.signFlipP(d, permutations: permutations, rng: &rng)
        (bootstrapLow, bootstrapHigh) = Self.bootstrapCI(d, resamples: resamples, rng: &rng)
        adjustedP = randomizationP
        correction = .none
        familySize = 1
        self.power = power
        let sd = PowerAnalysis.standardDeviation(d)
        minimumDetectableEffect = sd.flatMap { PowerAnalysis.minimumDetectableEffect(sd: $0, queries: d.count, alpha: alpha, power: power) }
        queriesNeeded = nil
        self.sampleNoise = sampleNoise
        updateQueriesNeeded(sd: sd)
    }

    private mutating func updateQueriesNeeded(sd: Double?) {
        guard !isSignificant, let sd else {
            queriesNeeded = nil
            return
        }
        queriesNeeded = PowerAnalysis.queriesNeeded(effect: meanDelta, sd: sd, alpha: alpha, power: power)
    }

    /// Corrects the randomization p-values of comparisons made together (for example B, C and D
    /// each against A on one metric), in the same order as given.
    public static func corrected(_ family: [PairedComparison], by correction: PValueCorrection) -> [PairedComparison] {
        let adjusted = correction.adjust(family.map(\.randomizationP))
        return zip(family, adjusted).map { c, p in
            var c = c
            c.adjustedP = p
            c.correction = correction
            c.familySize = family.count
            c.updateQueriesNeeded(sd: PowerAnalysis.standardDeviation(c.deltas))
            return c
        }
    }

    /// The p-value the verdict uses: the randomization test's (no normality assumption), adjusted
    /// for the other comparisons made with it.
    public var p: Double { adjustedP }
    public var isSignificant: Bool { p < alpha }

    /// The rule for "better" (and "worse"): the adjusted p-value is below alpha, and, when either
    /// run has repeated samples, the mean difference is larger than `sampleNoise`. A significant
    /// test says the difference holds across queries; it does not say it holds across calls.
    /// When a query's metric moves by as much as the difference just from asking the same
    /// prompt again, one call in production is as likely to show the other order, so such a
    /// difference is reported as within sample noise, not as better or worse.
    public var outcome: Outcome {
        guard isSignificant else { return .notSignificant }
        if let sampleNoise, abs(meanDelta) <= sampleNoise { return .withinSampleNoise }
        return meanDelta > 0 ? .better : .worse
    }

    /// Whether `p` differs from the raw p-value's meaning (a correction over several comparisons).
    public var isCorrected: Bool { correction != .none && familySize > 1 }

    /// "p=0.012 (Holm over 3 comparisons; raw p=0.004)", or "p=0.004" for a lone comparison.
    public var pDescription: String {
        func text(_ p: Double) -> String { p < 0.001 ? "p<0.001" : "p=\(p.formatted(decimals: 3))" }
        guard isCorrected else { return text(p) }
        return "\(text(p)) (\(correction.displayName)-adjusted over \(familySize) comparisons; raw \(text(randomizationP)))"
    }

    /// What the sample can detect, and, when not significant, what it would take:
    /// "detectable at 80% power, alpha 0.05: a mean difference of 0.050 (paired t approximation);
    /// about 180 queries would detect +0.005".
    public var powerStatement: String {
        let head = "detectable at \(Int((power * 100).rounded()))% power, alpha \(alpha.formatted(decimals: 3)) with \(deltas.count) queries"
        guard let mde = minimumDetectableEffect else {
            return "\(head): n/a (needs at least 2 queries whose deltas are not all equal)"
        }
        var s = "\(head): a mean difference of \(mde.formatted(decimals: 3)) (paired t: (t(1-alpha/2) + t(power)) * sd / sqrt(n))"
        if !isSignificant {
            if let needed = queriesNeeded {
                s += "; about \(needed) queries would be needed to detect the observed \(meanDelta.signed(decimals: 3))"
            } else if abs(meanDelta) < 1e-12 {
                s += "; the observed difference is 0, which no number of queries detects"
            } else {
                s += "; more than \(PowerAnalysis.queryLimit) queries would be needed to detect the observed \(meanDelta.signed(decimals: 3))"
            }
        }
        return s
    }

    /// How verdicts name `sampleNoise`.
    public static let noiseWords = "mean per-query sd across samples"

    /// "B is better than A on ndcg@10 by 0.041, 95% CI [0.012, 0.070], p=0.006", or why not.
    public func verdict(nameA: String = "A", nameB: String = "B") -> String {
        let ci = "95% CI [\(bootstrapLow.signed(decimals: 3)), \(bootstrapHigh.signed(decimals: 3))]"
        let pText = pDescription
        switch outcome {
        case .better, .worse:
            return "\(nameB) is \(outcome.rawValue) than \(nameA) on \(metric) by \(abs(meanDelta).formatted(decimals: 3)), \(ci), \(pText)"
                + (sampleNoise.map { "; larger than the sample-to-sample spread (\(Self.noiseWords) \($0.formatted(decimals: 3)))" } ?? "")
        case .withinSampleNoise:
            return "within sample noise on \(metric): \(nameB) - \(nameA) = \(meanDelta.signed(decimals: 3)), \(ci), \(pText), "
                + "is not larger than the sample-to-sample spread (\(Self.noiseWords) \((sampleNoise ?? 0).formatted(decimals: 3))), so it is not called better or worse"
        case .notSignificant:
            break
        }
        return "no significant difference on \(metric) (\(nameB) - \(nameA) = \(meanDelta.signed(decimals: 3)), \(ci), \(pText)); with \(deltas.count) queries a difference this size can be noise"
    }

    static func pairedTTest(_ d: [Double]) -> (Double?, Double?) {
        let n = Double(d.count)
        guard d.count >= 2 else { return (nil, nil) }
        let mean = d.reduce(0, +) / n
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        guard variance > 0 else { return (nil, nil) }
        let t = mean / (variance / n).squareRoot()
        let df = n - 1
        let p = StudentT.twoSidedTail(t, df: df)
        return (t, min(1, max(0, p)))
    }

    static func signFlipP(_ d: [Double], permutations: Int, rng: inout SeededRandom) -> Double {
        guard !d.isEmpty else { return 1 }
        let observed = abs(d.reduce(0, +))
        var extreme = 0
        for _ in 0..<permutations {
            var s = 0.0
            for x in d { s += rng.nextBit() ? x : -x }
            if abs(s) >= observed - 1e-12 { extreme += 1 }
        }
        return Double(extreme + 1) / Double(permutations + 1)
    }

    static func bootstrapCI(_ d: [Double], resamples: Int, rng: inout SeededRandom) -> (Double, Double) {
        guard !d.isEmpty else { return (0, 0) }
        var means: [Double] = []
        means.reserveCapacity(resamples)
        for _ in 0..<resamples {
            var s = 0.0
            for _ in 0..<d.count { s += d[rng.next(below: d.count)] }
            means.append(s / Double(d.count))
        }
        means.sort()
        func quantile(_ q: Double) -> Double {
            let pos = q * Double(means.count - 1)
            let lo = Int(pos.rounded(.down)), hi = min(means.count - 1, lo + 1)
            return means[lo] + (means[hi] - means[lo]) * (pos - Double(lo))
        }
        return (quantile(0.025), quantile(0.975))
    }

    /// Compares two reports on the queries both have, weighing the difference against their
    /// sample-to-sample noise when either scored each pair more than once.
    public static func compare(_ a: RunReport, _ b: RunReport, metric: MetricName, permutations: Int = 10_000,
                               resamples: Int = 10_000, seed: UInt64 = 42, alpha: Double = 0.05) -> PairedComparison {
        let bByID = Dictionary(b.queries.map { ($0.queryID, $0) }, uniquingKeysWith: { x, _ in x })
        var ids: [String] = [], va: [Double] = [], vb: [Double] = []
        for q in a.queries {
            guard let other = bByID[q.queryID], let x = q.reranked[metric], let y = other.reranked[metric] else { continue }
            ids.append(q.queryID)
            va.append(x)
            vb.append(y)
        }
        return PairedComparison(metric: metric, queryIDs: ids, a: va, b: vb, permutations: permutations, resamples: resamples,
                                seed: seed, alpha: alpha, sampleNoise: SampleStability.noise(a, b, metric: metric, queryIDs: ids))
    }
}

/// SplitMix64: small, fast and reproducible across platforms, for statistics with a stated seed.
public struct SeededRandom: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func nextBit() -> Bool { next() & 1 == 1 }

    mutating func next(below n: Int) -> Int { Int(next() % UInt64(n)) }
}
