import RerankKit
import Testing

@Suite struct PowerAnalysisTests {
    /// scipy.stats.t.ppf, pasted.
    @Test func tQuantilesEqualScipy() {
        #expect(abs(StudentT.quantile(0.975, df: 9) - 2.262157162798205) < 1e-9)
        #expect(abs(StudentT.quantile(0.8, df: 9) - 0.8834038596855346) < 1e-9)
        #expect(abs(StudentT.quantile(0.975, df: 3) - 3.1824463052837078) < 1e-9)
        #expect(abs(StudentT.quantile(0.8, df: 3) - 0.9784723123633042) < 1e-9)
        #expect(abs(StudentT.quantile(0.995, df: 29) - 2.756385903670605) < 1e-9)
        #expect(abs(StudentT.quantile(0.025, df: 9) + 2.262157162798205) < 1e-9)
    }

    /// Worked example: Student's sleep data, d = drug2 - drug1 over 10 patients.
    /// sd(d) = 1.2299954832798732; MDE = (t(0.975, 9) + t(0.8, 9)) * sd / sqrt(10)
    /// = (2.262157 + 0.883404) * 1.229995 / 3.162278 = 1.223493 (scipy, pasted).
    @Test func sleepDataMinimumDetectableEffect() throws {
        let drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
        let drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
        let c = PairedComparison(metric: .map, queryIDs: (1...10).map(String.init), a: drug1, b: drug2)
        #expect(abs(try #require(c.minimumDetectableEffect) - 1.223493401218351) < 1e-9)
        #expect(c.isSignificant && c.queriesNeeded == nil, "a significant result needs no more queries")
        #expect(c.powerStatement.hasPrefix("detectable at 80% power, alpha 0.050 with 10 queries: a mean difference of 1.223"))
    }

    /// Worked example of "queries needed": d = [0.02, -0.02, 0.03, -0.01], mean 0.005, sd 0.0238048.
    /// MDE over 4 queries = (3.182446 + 0.978472) * 0.0238048 / 2 = 0.049525 (scipy).
    /// The smallest n with (t(0.975, n-1) + t(0.8, n-1)) * sd / sqrt(n) <= 0.005 is 180 (scipy loop);
    /// statsmodels' exact TTestPower().solve_power(effect_size=0.005/sd, alpha=0.05, power=0.8) = 179.84.
    @Test func queriesNeededForTheObservedDifference() throws {
        let c = PairedComparison(metric: .map, queryIDs: ["1", "2", "3", "4"], a: [0.5, 0.6, 0.4, 0.7], b: [0.52, 0.58, 0.43, 0.69])
        #expect(!c.isSignificant)
        #expect(abs(try #require(c.minimumDetectableEffect) - 0.04952483750819599) < 1e-9)
        #expect(c.queriesNeeded == 180)
        #expect(c.powerStatement.hasSuffix("about 180 queries would be needed to detect the observed +0.005"), "\(c.powerStatement)")
        #expect(PowerAnalysis.queriesNeeded(effect: -0.005, sd: 0.02380476142847617, alpha: 0.05) == 180, "the sign does not matter")
    }

    @Test func undefinedCasesSaySo() {
        let flat = PairedComparison(metric: .map, queryIDs: ["1", "2", "3"], a: [0, 0, 0], b: [0.1, 0.1, 0.1])
        #expect(flat.minimumDetectableEffect == nil)
        #expect(flat.powerStatement.contains("n/a"))
        #expect(PowerAnalysis.queriesNeeded(effect: 0, sd: 0.1, alpha: 0.05) == nil)
        #expect(PowerAnalysis.queriesNeeded(effect: 1e-9, sd: 1, alpha: 0.05) == nil, "beyond the limit: no number")
        #expect(PowerAnalysis.minimumDetectableEffect(sd: 0.1, queries: 1, alpha: 0.05) == nil)
    }
}
