import RerankKit
import Testing
@testable import WorkbenchUI

/// The compare view colours a verdict, and a significant difference within sample noise is not one.
@Suite struct CompareNoiseViewTests {
    /// Significant: mean delta +0.05125 (see PairedComparisonTests).
    static let a = [0.5, 0.6, 0.7, 0.4, 0.9, 0.3, 0.55, 0.65]
    static let b = [0.55, 0.62, 0.75, 0.5, 0.88, 0.41, 0.6, 0.7]

    func lines(sampleNoise: Double?) throws -> [(String, Style)] {
        var state = try WorkbenchFixtures.state(width: 100, height: 30)
        let report = RunReportBuilder(dataset: try WorkbenchFixtures.dataset(), prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings()).build(results: [])
        state.pinned = report
        state.report = report
        state.comparisons = [PairedComparison(metric: .ndcgAt(10), queryIDs: (0..<8).map { "q\($0)" }, a: Self.a, b: Self.b, sampleNoise: sampleNoise)]
        return ModalView.compareLines(state)
    }

    @Test func withinSampleNoiseIsNeitherGreenNorCalledBetter() throws {
        let noisy = try lines(sampleNoise: 0.06)
        let row = try #require(noisy.first { $0.0.hasPrefix("NDCG@10") })
        #expect(row.1 == .plain)
        #expect(noisy.contains { $0.0.hasPrefix("within sample noise on ndcg@10: B - A = +0.051") && $0.1 == .bold })
        #expect(!noisy.contains { $0.0.contains("is better than") })

        let steady = try lines(sampleNoise: 0.01)
        #expect(try #require(steady.first { $0.0.hasPrefix("NDCG@10") }).1 == .color(.green, bold: true))
        #expect(steady.contains { $0.0.hasPrefix("B is better than A on ndcg@10 by 0.051") })
    }
}
