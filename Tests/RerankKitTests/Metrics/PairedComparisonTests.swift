import RerankKit
import Testing

@Suite struct PairedComparisonTests {
    let a = [0.5, 0.6, 0.7, 0.4, 0.9, 0.3, 0.55, 0.65]
    let b = [0.55, 0.62, 0.75, 0.5, 0.88, 0.41, 0.6, 0.7]

    func compare() -> PairedComparison {
        PairedComparison(metric: .ndcgAt(10), queryIDs: (0..<8).map { "q\($0)" }, a: a, b: b)
    }

    @Test func tTestEqualsScipy() throws {
        // scipy.stats.ttest_rel(b, a): statistic 3.5175689435098354, pvalue 0.009759500959109128
        let c = compare()
        #expect(abs(try #require(c.tStatistic) - 3.5175689435098354) < 1e-9)
        #expect(abs(try #require(c.tTestP) - 0.009759500959109128) < 1e-9)
    }

    /// Student's sleep data (Cushny and Peebles, 1905), the paired t-test's textbook example:
    /// extra hours of sleep with two drugs in ten patients. R's `t.test(..., paired = TRUE)` gives
    /// t = 4.0621 with 9 degrees of freedom, p = 0.002833.
    @Test func tTestEqualsTheTextbookSleepExample() throws {
        let drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
        let drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
        let c = PairedComparison(metric: .map, queryIDs: (1...10).map(String.init), a: drug1, b: drug2)
        #expect(abs(try #require(c.tStatistic) - 4.0621) < 5e-5)
        #expect(abs(try #require(c.tTestP) - 0.002833) < 5e-7)
        #expect(abs(c.meanDelta - 1.58) < 1e-12)
        #expect(c.wins == 9 && c.ties == 1 && c.losses == 0)
    }

    @Test func winsTiesLossesAndMeans() {
        let c = compare()
        #expect(c.wins == 7 && c.losses == 1 && c.ties == 0)
        #expect(abs(c.meanDelta - 0.05125) < 1e-12)
    }

    @Test func randomizationIsReproducibleAndSensible() {
        let c1 = compare(), c2 = compare()
        #expect(c1.randomizationP == c2.randomizationP)
        #expect(c1.randomizationP < 0.05)
        #expect(c1.bootstrapLow > 0 && c1.bootstrapHigh > c1.bootstrapLow)
        #expect(c1.verdict().hasPrefix("B is better than A on ndcg@10 by 0.051, 95% CI [+0.0"))
    }

    @Test func noiseIsCalledNoise() {
        let c = PairedComparison(metric: .map, queryIDs: ["1", "2", "3", "4"], a: [0.5, 0.6, 0.4, 0.7], b: [0.52, 0.58, 0.43, 0.69])
        #expect(!c.isSignificant)
        #expect(c.verdict().hasPrefix("no significant difference on map"))
    }

    @Test func incompleteBetaKnownValues() {
        // With b = 1/2 and df = 1 the t distribution is Cauchy: p = 1 - 2 atan(t) / pi.
        let c = PairedComparison(metric: .map, queryIDs: ["1", "2"], a: [0, 0], b: [1, 3])
        // d = [1, 3]: t = 2 / (sqrt(2) / sqrt(2)) = 2, df = 1 -> p = 1 - 2 atan(2)/pi
        #expect(abs(c.tTestP! - (1 - 2 * atan(2.0) / Double.pi)) < 1e-12)
    }
}

import Foundation
