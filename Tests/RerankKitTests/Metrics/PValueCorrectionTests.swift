import RerankKit
import Testing

@Suite struct PValueCorrectionTests {
    /// Worked by hand from the definitions in shared/spec/metrics.md, m = 4.
    /// Sorted: 0.005, 0.01, 0.03, 0.04.
    /// Holm: 4(0.005) = 0.02; 3(0.01) = 0.03; 2(0.03) = 0.06; 1(0.04) = 0.04, raised to the running max 0.06.
    /// BH: 4(0.04)/4 = 0.04; 4(0.03)/3 = 0.04; 4(0.01)/2 = 0.02; 4(0.005)/1 = 0.02 (running min from the top).
    let raw = [0.01, 0.04, 0.03, 0.005]

    @Test func holmByHand() {
        expectClose(PValueCorrection.holm.adjust(raw), [0.03, 0.06, 0.06, 0.02])
    }

    @Test func benjaminiHochbergByHand() {
        expectClose(PValueCorrection.bh.adjust(raw), [0.02, 0.04, 0.04, 0.02])
    }

    /// statsmodels 0.14 `multipletests(p, method="holm" | "fdr_bh")[1]`, pasted:
    /// p = [1/1001, 0.02, 0.021, 0.3, 0.8] (1/1001: the smallest randomization p with 1,000 flips).
    @Test func equalsStatsmodels() {
        let p = [0.0009990009990009990, 0.02, 0.021, 0.3, 0.8]
        expectClose(PValueCorrection.holm.adjust(p), [0.004995004995004995, 0.08, 0.08, 0.6, 0.8])
        expectClose(PValueCorrection.bh.adjust(p), [0.004995004995004995, 0.035, 0.035, 0.37499999999999994, 0.8])
        expectClose(PValueCorrection.none.adjust(p), p)
    }

    @Test func aLoneComparisonIsUnchangedAndNothingExceedsOne() {
        #expect(PValueCorrection.holm.adjust([0.3]) == [0.3])
        #expect(PValueCorrection.holm.adjust([]) == [])
        #expect(PValueCorrection.holm.adjust([0.6, 0.7]) == [1, 1])
        #expect(PValueCorrection.bh.adjust([0.6, 0.7]) == [0.7, 0.7])
    }

    /// The verdict follows the adjusted p-value: 0.03 raw is significant alone, not among four.
    @Test func theVerdictUsesTheAdjustedPValue() {
        let a = [0.5, 0.6, 0.7, 0.4, 0.9, 0.3, 0.55, 0.65]
        let b = [0.55, 0.62, 0.75, 0.5, 0.88, 0.41, 0.6, 0.7]
        let alone = PairedComparison(metric: .ndcgAt(10), queryIDs: (0..<8).map { "q\($0)" }, a: a, b: b)
        #expect(alone.isSignificant && !alone.isCorrected)
        let noise = PairedComparison(metric: .ndcgAt(10), queryIDs: ["1", "2", "3", "4"], a: [0.5, 0.6, 0.4, 0.7], b: [0.52, 0.58, 0.43, 0.69])
        let family = PairedComparison.corrected([alone, noise, noise, noise], by: .holm)
        let expected = PValueCorrection.holm.adjust([alone.randomizationP, noise.randomizationP, noise.randomizationP, noise.randomizationP])
        #expect(family.map(\.adjustedP) == expected)
        #expect(family[0].randomizationP == alone.randomizationP, "the raw p-value stays next to the adjusted one")
        #expect(family[0].adjustedP == min(1, 4 * alone.randomizationP))
        #expect(family[0].familySize == 4 && family[0].correction == .holm)
        #expect(family[0].verdict().contains("Holm-adjusted over 4 comparisons; raw p="), "\(family[0].verdict())")
        // Deltas +.05 +.02 +.05 +.10 -.02 +.11 +.05 +.05 (sum .41): only 6 of the 256 sign patterns reach
        // |sum| >= .41 (as observed; the -.02 flipped; both .02s flipped; and the three negated), so
        // the raw p is about 6/256 = 0.023: significant alone, but Holm over four tries makes it about
        // 0.094, above alpha 0.05.
        #expect(abs(alone.randomizationP - 6.0 / 256.0) < 0.006)
        #expect(!family[0].isSignificant)
        #expect(family[0].verdict().hasPrefix("no significant difference"))
        #expect(PairedComparison.corrected([alone, noise, noise, noise], by: .none)[0].isSignificant)
    }

    /// (b + 1) / (n + 1): even when no sign flip reaches the observed mean, p is 1/(n+1), never 0.
    @Test func theRandomizationPValueIsNeverZero() {
        let ids = (0..<30).map(String.init)
        let c = PairedComparison(metric: .map, queryIDs: ids, a: Array(repeating: 0, count: 30), b: (0..<30).map { 0.5 + Double($0) / 100 },
                                 permutations: 1000)
        #expect(c.randomizationP == 1.0 / 1001.0)
        #expect(c.pDescription == "p<0.001")
    }

    func expectClose(_ x: [Double], _ y: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(x.count == y.count, sourceLocation: sourceLocation)
        for (u, v) in zip(x, y) { #expect(abs(u - v) < 1e-12, "\(x) vs \(y)", sourceLocation: sourceLocation) }
    }
}
