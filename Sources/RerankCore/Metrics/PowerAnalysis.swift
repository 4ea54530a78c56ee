import Foundation

/// What a paired comparison over n queries can detect, by the paired t approximation of
/// `shared/spec/metrics.md`: MDE = (t(1 - alpha/2, n - 1) + t(power, n - 1)) * sd(d) / sqrt(n),
/// with d the per-query differences. This is the usual planning formula; the exact
/// noncentral-t answer (statsmodels' `TTestPower`) differs from it by under one query.
public enum PowerAnalysis {
    /// The most queries `queriesNeeded` looks at; beyond it the answer is "more than this".
    public static let queryLimit = 1_000_000

    /// The sample standard deviation (n - 1 in the denominator); nil below 2 values or when all
    /// values are equal up to rounding (then no spread is known and no power can be stated).
    public static func standardDeviation(_ d: [Double]) -> Double? {
        guard d.count >= 2 else { return nil }
        let n = Double(d.count)
        let mean = d.reduce(0, +) / n
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        // Equal deltas leave rounding noise (1e-17), not spread: treat that as none.
        let sd = variance.squareRoot()
        let scale = max(1, d.map(abs).max() ?? 0)
        guard sd > 1e-12 * scale else { return nil }
        return sd
    }

    /// The smallest mean difference a two-sided paired t-test at `alpha` detects with probability
    /// `power` over `queries` queries whose differences have standard deviation `sd`.
    public static func minimumDetectableEffect(sd: Double, queries n: Int, alpha: Double, power: Double = 0.8) -> Double? {
        guard n >= 2, sd > 0, alpha > 0, alpha < 1, power > 0, power < 1 else { return nil }
        return multiplier(n, alpha: alpha, power: power) * sd / Double(n).squareRoot()
    }

    /// The fewest queries whose minimum detectable effect is at most `|effect|`, for differences
    /// with standard deviation `sd`; nil when the effect is 0 or more than `queryLimit` are needed.
    public static func queriesNeeded(effect: Double, sd: Double, alpha: Double, power: Double = 0.8) -> Int? {
        let target = abs(effect)
        guard target > 1e-12, sd > 0, alpha > 0, alpha < 1, power > 0, power < 1 else { return nil }
        func detects(_ n: Int) -> Bool { multiplier(n, alpha: alpha, power: power) * sd / Double(n).squareRoot() <= target }
        // Start from the normal approximation, then iterate on the t quantiles: n = (c(n) sd / effect)^2.
        let zSum = normalQuantile(1 - alpha / 2) + normalQuantile(power)
        let normal = (zSum * sd / target) * (zSum * sd / target)
        guard normal < Double(queryLimit) else { return nil }
        var n = max(2, Int(normal.rounded(.up)))
        for _ in 0..<50 {
            let next = max(2, Int((multiplier(n, alpha: alpha, power: power) * sd / target).squared.rounded(.up)))
            if next == n || next > queryLimit { break }
            n = next
        }
        // The fixed point can land one off either way (ceilings); settle on the smallest n that detects.
        while n <= queryLimit, !detects(n) { n += 1 }
        while n > 2, detects(n - 1) { n -= 1 }
        return n <= queryLimit ? n : nil
    }

    /// The standard normal quantile, by bisection on its cdf (only a starting point here).
    static func normalQuantile(_ p: Double) -> Double {
        var low = -40.0, high = 40.0
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    /// t(1 - alpha/2, n - 1) + t(power, n - 1).
    static func multiplier(_ n: Int, alpha: Double, power: Double) -> Double {
        let df = Double(n - 1)
        return StudentT.quantile(1 - alpha / 2, df: df) + StudentT.quantile(power, df: df)
    }
}

private extension Double {
    var squared: Double { self * self }
}
