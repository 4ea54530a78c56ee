import Foundation

/// Student's t distribution: the two-sided tail the paired t-test reports, and the quantiles the
/// power statement needs.
public enum StudentT {
    /// P(|T| >= |t|) with `df` degrees of freedom.
    public static func twoSidedTail(_ t: Double, df: Double) -> Double {
        min(1, max(0, incompleteBeta(df / (df + t * t), a: df / 2, b: 0.5)))
    }

    /// P(T <= t) with `df` degrees of freedom.
    public static func cdf(_ t: Double, df: Double) -> Double {
        let half = twoSidedTail(t, df: df) / 2
        return t >= 0 ? 1 - half : half
    }

    /// The `p` quantile (0 < p < 1): the t with P(T <= t) = p. Found by bisection on the cdf,
    /// which is monotone, so it cannot fail to converge; 200 halvings reach double precision.
    public static func quantile(_ p: Double, df: Double) -> Double {
        precondition(p > 0 && p < 1 && df > 0)
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, df: df) }
        var low = 0.0, high = 1.0
        while cdf(high, df: df) < p, high < 1e12 { low = high; high *= 2 }
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if mid == low || mid == high { break }
            if cdf(mid, df: df) < p { low = mid } else { high = mid }
        }
        return (low + high) / 2
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
}
