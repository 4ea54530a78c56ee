import Foundation
import RerankKit

/// A two-query run whose every number is worked by hand (spec/metrics.md's check case):
///
/// - q1: first stage b (0), c (1), a (2); `e` (1) judged outside the pool. The model scores
///   b 0.9, a 0.5, c 0.1, so the reranked list is b, a, c. IDCG@3 from [2, 1, 1] = 3.130930.
///   first stage NDCG@3 = (1/log2(3) + 2/2) / IDCG = 0.520909; reranked (2/log2(3) + 1/2) / IDCG
///   = 0.562727; ceiling (2 + 1/log2(3)) / IDCG = 0.840303; captured 0.130930; pool recall 2/3;
///   AP = (1/2 + 2/3) / 3 = 0.388889 both ways, MAP ceiling 2/3; RR 0.5 both ways, ceiling 1.
/// - q2: n1 (0), n2 (0) and `z` (1) outside: nothing to rerank, every metric and ceiling 0.
///
/// Means: NDCG@3 0.260455 / 0.281364 / ceiling 0.420152 (captured 0.130930); MAP 0.194444,
/// ceiling 0.333333; MRR 0.25, ceiling 0.5; P@3 1/3 everywhere (no headroom); pool recall 1/3.
/// Every call used 100 + 2 tokens: 500 + 10 over five calls, $0.0011 at $2 / $10 per 1M.
enum PoolReportFixture {
    static let dataset = Dataset(path: "Datasets/pool.jsonl", queries: [
        Query(id: "q1", text: "where is the key", candidates: [
            Candidate(id: "b", text: "text b", relevance: 0, firstStageScore: 0.9, fileIndex: 0),
            Candidate(id: "c", text: "text c", relevance: 1, firstStageScore: 0.8, fileIndex: 1),
            Candidate(id: "a", text: "text a", relevance: 2, firstStageScore: 0.7, fileIndex: 2),
        ], judgments: ["e": 1]),
        Query(id: "q2", text: "nothing here", candidates: [
            Candidate(id: "n1", text: "text n1", relevance: 0, firstStageScore: 0.9, fileIndex: 0),
            Candidate(id: "n2", text: "text n2", relevance: 0, firstStageScore: 0.8, fileIndex: 1),
        ], judgments: ["z": 1]),
    ], contentHash: "0123456789abcdef0123")

    static let scores = [("q1", "b", "0.9"), ("q1", "a", "0.5"), ("q1", "c", "0.1"), ("q2", "n1", "0.2"), ("q2", "n2", "0.8")]

    static var results: [PairResult] {
        scores.map { PairResult(queryID: $0.0, candidateID: $0.1, sampleIndex: 0,
                                reply: ChatReply(text: $0.2, usage: TokenUsage(promptTokens: 100, completionTokens: 2))) }
    }

    static let prices = PriceTable(models: ["gpt-test": PriceTable.Price(input: 2, output: 10)])

    static func settings(judged: JudgedScope = .all) -> RunSettings {
        var s = RunSettings(provider: "openai", model: "gpt-test")
        s.metrics = MetricSettings(cutoffs: [3], judged: judged)
        return s
    }

    static func report(judged: JudgedScope = .all) -> RunReport {
        RunReportBuilder(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings(judged: judged), prices: prices)
            .build(results: results)
    }

    /// The same run as stored before the ceiling existed.
    static func reportWithoutCeiling() -> RunReport {
        var r = report()
        r.ceilingMean = nil
        r.poolRecallMean = nil
        for i in r.queries.indices {
            r.queries[i].ceiling = nil
            r.queries[i].relevantInPool = nil
            r.queries[i].relevantOutsidePool = nil
        }
        return r
    }
}
