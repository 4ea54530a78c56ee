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

    /// Compares per-query values of the same queries (`a[i]` and `b[i]` belong to `queryIDs[i]`).
    public init(metric: MetricName, queryIDs: [String], a: [Double], b: [Double], permutations: Int = 10_000,
                resamples: Int = 10_000, seed: UInt64 = 42, alpha: Double = 0.05) {
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
    }

    /// The p-value the verdict uses: the randomization test's (no normality assumption).
    public var p: Double { randomizationP }
    public var isSignificant: Bool { p < alpha }

    /// "B is better than A on ndcg@10 by 0.041, 95% CI [0.012, 0.070], p=0.006", or why not.
    public func verdict(nameA: String = "A", nameB: String = "B") -> String {
        let ci = "95% CI [\(bootstrapLow.signed(decimals: 3)), \(bootstrapHigh.signed(decimals: 3))]"
        let pText = p < 0.001 ? "p<0.001" : "p=\(p.formatted(decimals: 3))"
        if isSignificant {
            let direction = meanDelta > 0 ? "better" : "worse"
            return "\(nameB) is \(direction) than \(nameA) on \(metric) by \(abs(meanDelta).formatted(decimals: 3)), \(ci), \(pText)"
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
        let p = incompleteBeta(df / (df + t * t), a: df / 2, b: 0.5)
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

    /// The regularized incomplete beta function I_x(a, b), by its continued fraction
    /// (modified Lentz), using the symmetry relation where the fraction converges slowly.
    static func incompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnBeta: Double = lgamma(a + b) - lgamma(a) - lgamma(b)
        let lnPowers: Double = a * log(x) + b * log(1 - x)
        let lnFront = lnBeta + lnPowers
        if x > (a + 1) / (a + b + 2) {
            return 1 - exp(lnFront) * betaFraction(1 - x, a: b, b: a) / b
        }
        return exp(lnFront) * betaFraction(x, a: a, b: b) / a
    }

    static func betaFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...300 {
            let m = Double(m)
            var num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
            d = 1 + num * d
            if abs(d) < tiny { d = tiny }
            c = 1 + num / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
            d = 1 + num * d
            if abs(d) < tiny { d = tiny }
            c = 1 + num / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }

    /// Compares two reports on the queries both have.
    public static func compare(_ a: RunReport, _ b: RunReport, metric: MetricName) -> PairedComparison {
        let bByID = Dictionary(b.queries.map { ($0.queryID, $0) }, uniquingKeysWith: { x, _ in x })
        var ids: [String] = [], va: [Double] = [], vb: [Double] = []
        for q in a.queries {
            guard let other = bByID[q.queryID], let x = q.reranked[metric], let y = other.reranked[metric] else { continue }
            ids.append(q.queryID)
            va.append(x)
            vb.append(y)
        }
        return PairedComparison(metric: metric, queryIDs: ids, a: va, b: vb)
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
