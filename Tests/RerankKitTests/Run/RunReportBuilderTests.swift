import RerankKit
import Testing

@Suite struct RunReportBuilderTests {
    let dataset = Dataset(path: "mem", queries: [
        Query(id: "q1", text: "foods to avoid", candidates: [
            Candidate(id: "D1", text: "a", relevance: 0, firstStageScore: 0.9, fileIndex: 0),
            Candidate(id: "D2", text: "b", relevance: 2, firstStageScore: 0.8, fileIndex: 1),
            Candidate(id: "D10", text: "c", relevance: 1, firstStageScore: 0.7, fileIndex: 2),
            Candidate(id: "D3", text: "d", relevance: nil, firstStageScore: 0.6, fileIndex: 3),
        ]),
    ])

    func results(_ replies: [String: String?], failed: Set<String> = [], sample: Int = 0) -> [PairResult] {
        replies.map { id, text in
            failed.contains(id)
                ? PairResult(queryID: "q1", candidateID: id, sampleIndex: sample, reply: nil, error: "HTTP 500: boom", errorKind: "http 500", attempts: 4)
                : PairResult(queryID: "q1", candidateID: id, sampleIndex: sample, reply: ChatReply(text: text ?? nil, usage: TokenUsage(promptTokens: 10, completionTokens: 2)))
        }
    }

    func build(_ r: [PairResult], _ settings: RunSettings = RunSettings()) -> RunReport {
        RunReportBuilder(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings).build(results: r)
    }

    @Test func stableTiesKeepFirstStageOrder() {
        let report = build(results(["D1": "0.5", "D2": "0.5", "D10": "0.9", "D3": "0.5"]))
        #expect(report.queries[0].candidates.map(\.id) == ["D10", "D1", "D2", "D3"])
        let c = report.queries[0].candidates
        #expect(c[0].baselineRank == 3 && c[0].newRank == 1 && c[0].rankChange == 2)
    }

    @Test func trecTiesSortByDocidDescendingBytes() {
        var s = RunSettings()
        s.ties = .trec
        let report = build(results(["D1": "0.5", "D2": "0.5", "D10": "0.5", "D3": "0.1"]), s)
        // {D1, D2, D10} tied -> D2, D10, D1 (the spec's example).
        #expect(report.queries[0].candidates.map(\.id) == ["D2", "D10", "D1", "D3"])
    }

    @Test func metricsForBothOrdersAndDelta() {
        let report = build(results(["D1": "0.1", "D2": "0.9", "D10": "0.8", "D3": "0.2"]))
        let q = report.queries[0]
        // Reranked [D2, D10, D3, D1] = labels [2, 1, nil, 0]: ideal.
        #expect(q.reranked[.ndcgAt(10)] == 1.0)
        // Baseline [D1, D2, D10, D3] = [0, 2, 1, nil].
        let expected = RankingMetrics.ndcg([0, 2, 1, nil], judged: [0, 2, 1], k: 10)
        #expect(q.baseline[.ndcgAt(10)] == expected)
        #expect(report.deltaMean[.ndcgAt(10)] == 1.0 - expected)
        #expect(report.counts.usage.promptTokens == 40)
    }

    @Test func topKCutsBothListsAndMarksCutCandidates() {
        var s = RunSettings()
        s.topK = 2
        let report = build(results(["D1": "0.1", "D2": "0.9", "D10": "0.8", "D3": "0.2"]), s)
        let q = report.queries[0]
        #expect(q.candidates.map(\.newRank) == [1, 2, nil, nil])
        // Baseline cut to [D1, D2]: P@5 = 1/5.
        #expect(q.baseline[.precisionAt(5)] == 0.2)
        #expect(q.reranked[.precisionAt(5)] == 0.4)
        // Recall still divides by every relevant candidate of the query.
        #expect(q.reranked[.recallAt(5)] == 1.0)
    }

    @Test func mem0FailurePolicyScoresHalfAndCounts() {
        let report = build(results(["D1": "0.1", "D2": "0.9", "D10": "0.8", "D3": "0.2"], failed: ["D2"]))
        let d2 = report.queries[0].candidates.first { $0.id == "D2" }!
        #expect(d2.score == 0.5)
        #expect(d2.failed)
        #expect(report.counts.failed == 1)
        #expect(report.counts.retried == 1)
    }

    @Test func strictFailurePolicyRanksFailedLast() {
        var s = RunSettings()
        s.failurePolicy = .strict
        let report = build(results(["D1": "0.1", "D2": "0.9", "D10": "0.8", "D3": "0.2"], failed: ["D2"]), s)
        let c = report.queries[0].candidates
        #expect(c.last?.id == "D2")
        #expect(c.last?.score == nil)
        #expect(c.last?.failed == true)
    }

    @Test func outcomesAreCounted() {
        let report = build(results(["D1": "7", "D2": "nothing", "D10": "", "D3": nil]))
        #expect(report.counts.clamped == 1)
        #expect(report.counts.fallback == 1)
        #expect(report.counts.empty == 2)
        let d1 = report.queries[0].candidates.first { $0.id == "D1" }!
        #expect(d1.outcome == .clamped)
    }

    @Test func samplesAggregateAndSpread() {
        var s = RunSettings()
        s.samples = 2
        let r = results(["D1": "0.1", "D2": "0.9", "D10": "0.8", "D3": "0.2"]) + results(["D1": "0.3", "D2": "0.7", "D10": "0.8", "D3": "0.2"], sample: 1)
        let report = build(r, s)
        let d1 = report.queries[0].candidates.first { $0.id == "D1" }!
        #expect(abs(d1.score! - 0.2) < 1e-12)
        #expect(abs(d1.spread! - 0.2) < 1e-12)
        #expect(report.counts.planned == 8)
    }

    @Test func missingResultsAreNotRun() {
        let report = RunReportBuilder(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
            .build(results: results(["D1": "0.1"]), stopReason: .cancelled)
        #expect(report.counts.notRun == 3)
        #expect(!report.complete)
    }

    @Test func reparsingStoredRepliesNeedsNoProvider() {
        let r = results(["D1": "Reasoning 0.9 ... final 0.1", "D2": "0.2 then 0.8", "D10": "0.5", "D3": "0.3"])
        var s = RunSettings()
        let mem0 = build(r, s)
        s.parser = .lastNumber
        let last = build(r, s)
        #expect(mem0.queries[0].candidates.first { $0.id == "D1" }!.score == 0.9)
        #expect(last.queries[0].candidates.first { $0.id == "D1" }!.score == 0.1)
    }

    @Test func tieSpreadShowsBestAndWorstOrder() {
        let report = build(results(["D1": "0.5", "D2": "0.5", "D10": "0.5", "D3": "0.5"]))
        let q = report.queries[0]
        #expect(q.primaryBestTies == 1.0)
        #expect(q.primaryWorstTies < q.primaryBestTies)
    }
}

@Suite struct RankerTests {
    @Test func unscoredGoLastInFirstStageOrder() {
        let order = Ranker.order(ids: ["a", "b", "c", "d"], scores: [nil, 0.2, nil, 0.9], policy: .stable)
        #expect(order == [3, 1, 0, 2])
    }

    @Test func trecOrderComparesBytes() {
        #expect(Ranker.trecIDOrder("D2", "D10"))
        #expect(Ranker.trecIDOrder("b", "a"))
        #expect(!Ranker.trecIDOrder("a", "b"))
        // Upper case sorts before lower case in bytes, so descending puts lower case first.
        #expect(Ranker.trecIDOrder("a", "B"))
    }
}

@Suite struct RetryPolicyTests {
    @Test func exponentialWithJitterAndRetryAfter() {
        let p = RetryPolicy(maxRetries: 5, baseDelay: 1, maxDelay: 8)
        #expect(p.delay(attempt: 1, retryAfter: nil, unit: 1) == 1)
        #expect(p.delay(attempt: 1, retryAfter: nil, unit: 0) == 0.5)
        #expect(p.delay(attempt: 3, retryAfter: nil, unit: 1) == 4)
        #expect(p.delay(attempt: 10, retryAfter: nil, unit: 1) == 8)
        #expect(p.delay(attempt: 1, retryAfter: 20, unit: 0.5) == 20)
    }
}
