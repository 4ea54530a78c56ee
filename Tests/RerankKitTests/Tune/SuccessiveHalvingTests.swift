import RerankKit
import RerankTestSupport
import Testing

@Suite struct SuccessiveHalvingTests {
    @Test func keepsTheBetterHalfRoundedUpWithTheEarlierProposalWinningTies() {
        #expect(SuccessiveHalving.survivors([(1, 0.5), (2, 0.7), (3, 0.6)]) == [2, 3])
        #expect(SuccessiveHalving.survivors([(4, 0.5), (2, 0.5), (3, 0.1), (5, 0.9)]) == [5, 2])
        #expect(SuccessiveHalving.survivors([(7, 0.2)]) == [7])
    }

    @Test func minibatchesAreSeededAndNested() {
        let ids = (0..<20).map { "q\($0)" }
        let a = SuccessiveHalving.order(ids, seed: 7, round: 1)
        #expect(a == SuccessiveHalving.order(ids.reversed(), seed: 7, round: 1))
        #expect(Set(a) == Set(ids))
        #expect(a != SuccessiveHalving.order(ids, seed: 8, round: 1))
        #expect(a != SuccessiveHalving.order(ids, seed: 7, round: 2))
    }

    @Test func theScheduleHalvesCandidatesAndDoublesQueriesUpToTheSplit() {
        let s = SuccessiveHalving.schedule(candidates: 5, first: 4, total: 10)
        #expect(s.map(\.candidates) == [5, 3, 2])
        #expect(s.map(\.queries) == [4, 8, 10])
        #expect(SuccessiveHalving.schedule(candidates: 1, first: 4, total: 10).isEmpty)
    }

    @Test func failureExamplesDependOnTheSeedOnlyAndShowMisrankedPairs() throws {
        let data = try DatasetLoader().load(path: Fixtures.write(TuneFakeModel.datasetText(dev: 12, test: 0)))
        // First-stage order as the report: most queries put a relevant memory low.
        let settings = RunSettings(provider: "lexical", model: "bm25")
        let report = RunReportBuilder(dataset: data, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings).build(results: [])
        let metric = settings.metrics.primaryMetric
        let a = FailureExamples(report: report, dataset: data, metric: metric, queries: 3, pairs: 2, seed: 5)
        let b = FailureExamples(report: report, dataset: data, metric: metric, queries: 3, pairs: 2, seed: 5)
        #expect(a == b)
        #expect(a.failures.count == 3)
        for f in a.failures {
            #expect(f.value < f.ceiling)
            #expect(!f.pairs.isEmpty && f.pairs.count <= 2)
            for p in f.pairs { #expect(p.relevant.label > p.ranked.label && p.relevant.rank > p.ranked.rank) }
        }
        let others = (0..<10).map { FailureExamples(report: report, dataset: data, metric: metric, queries: 3, pairs: 2, seed: UInt64($0)) }
        #expect(others.contains { $0.failures.map(\.queryID) != a.failures.map(\.queryID) })
    }
}
