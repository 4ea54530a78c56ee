import RerankKit
import RerankTestSupport
import Testing

/// Issue 18 part 2: the per-query diff of two runs that the workbench's Diff view and
/// `compare --per-query` show.
@Suite struct RunDiffTests {
    /// A report whose scores come from `score(queryIndex, candidateIndex)`.
    func report(_ dataset: Dataset, topK: Int? = nil, _ score: (Int, Int) -> Double) -> RunReport {
        var settings = RunSettings()
        settings.topK = topK
        var results: [PairResult] = []
        for (qi, q) in dataset.queries.enumerated() {
            for (ci, c) in q.candidates.enumerated() {
                results.append(PairResult(queryID: q.id, candidateID: c.id, sampleIndex: 0,
                                          reply: ChatReply(text: String(score(qi, ci)))))
            }
        }
        return RunReportBuilder(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings).build(results: results)
    }

    @Test func queriesAreSortedByChangeAndEveryMemoryCarriesBothRanks() throws {
        let dataset = Fixtures.dataset(queries: 6, candidates: 5)
        // A prefers early candidates; B prefers late ones, except on query 0 where it agrees.
        let a = report(dataset) { _, c in 0.9 - Double(c) * 0.1 }
        let b = report(dataset) { q, c in q == 0 ? 0.9 - Double(c) * 0.1 : 0.5 + Double(c) * 0.1 }
        let metric = MetricName.ndcgAt(5)
        let diff = RunDiff(a, b, metric: metric)
        #expect(diff.queries.count == dataset.queries.count)
        let deltas = diff.queries.map(\.delta)
        #expect(deltas == deltas.sorted(), "largest loss first")
        for q in diff.queries {
            let qa = a.queries.first { $0.queryID == q.queryID }!
            let qb = b.queries.first { $0.queryID == q.queryID }!
            #expect(q.a == qa.reranked[metric] && q.b == qb.reranked[metric])
            #expect(q.rows.map(\.candidateID) == qb.candidates.map(\.id), "B's order")
            for r in q.rows {
                #expect(r.rankA == qa.candidates.first { $0.id == r.candidateID }?.newRank)
                #expect(r.rankB == qb.candidates.first { $0.id == r.candidateID }?.newRank)
            }
        }
        let same = diff.queries.first { $0.queryID == dataset.queries[0].id }!
        #expect(same.delta == 0 && same.rows.allSatisfy { $0.moveMark == "=" })
        // Five candidates reversed: the first goes from rank 1 to rank 5.
        let reversed = diff.queries.first { $0.queryID == dataset.queries[1].id }!
        let first = reversed.rows.first { $0.candidateID == dataset.queries[1].candidates[0].id }!
        #expect(first.rankA == 1 && first.rankB == 5 && first.move == -4 && first.moveMark == "↓4")
        let last = reversed.rows.first { $0.candidateID == dataset.queries[1].candidates[4].id }!
        #expect(last.moveMark == "↑4")
        #expect(diff.worse.allSatisfy { $0.delta < 0 })
        #expect(diff.worse.count == diff.queries.filter { $0.delta < -1e-9 }.count)
    }

    @Test func aMemoryCutInOneRunIsMarked() {
        let dataset = Fixtures.dataset(queries: 1, candidates: 4)
        let a = report(dataset) { _, c in 0.9 - Double(c) * 0.1 }
        let b = report(dataset, topK: 2) { _, c in 0.5 + Double(c) * 0.1 }
        let q = RunDiff(a, b, metric: .ndcg).queries[0]
        let marks = Dictionary(uniqueKeysWithValues: q.rows.map { ($0.candidateID, $0.moveMark) })
        let ids = dataset.queries[0].candidates.map(\.id)
        #expect(marks[ids[3]] == "↑3" && marks[ids[2]] == "↑1")
        #expect(marks[ids[0]] == "cut" && marks[ids[1]] == "cut")
    }
}
