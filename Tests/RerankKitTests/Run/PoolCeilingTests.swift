import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// Judgments beyond the candidate pool (issue 14): they count in R and IDCG as trec_eval counts
/// them, `--judged pool` gives the within-pool numbers, and the pool's ceiling says how far any
/// reordering can go. Values worked by hand below.
@Suite struct PoolCeilingTests {
    // Pool: m1 (0), m2 (2), m3 (1), first-stage order as listed. Outside: x1 (2), x2 (0).
    let query = Query(id: "q1", text: "t", candidates: [
        Candidate(id: "m1", text: "a", relevance: 0, firstStageScore: 0.9, fileIndex: 0),
        Candidate(id: "m2", text: "b", relevance: 2, firstStageScore: 0.8, fileIndex: 1),
        Candidate(id: "m3", text: "c", relevance: 1, firstStageScore: 0.7, fileIndex: 2),
    ], judgments: ["x1": 2, "x2": 0])

    func report(_ scores: [String: String], judged: JudgedScope = .all, topK: Int? = nil) -> RunReport {
        var settings = RunSettings()
        settings.metrics = MetricSettings(cutoffs: [2, 10], judged: judged)
        settings.topK = topK
        let results = scores.map { PairResult(queryID: "q1", candidateID: $0.key, sampleIndex: 0, reply: ChatReply(text: $0.value)) }
        return RunReportBuilder(dataset: Dataset(path: "mem", queries: [query]), prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
            .build(results: results)
    }

    @Test func outsideJudgmentsCountInRAndIDCG() throws {
        // Reranked order m2, m3, m1.
        let r = report(["m1": "0.1", "m2": "0.9", "m3": "0.5"])
        let q = r.queries[0]
        // MAP: relevant retrieved at 1 and 2 -> (1/1 + 2/2) / R, R = 3 (m2, m3, x1).
        #expect(abs(q.reranked[.map]! - 2.0 / 3.0) < 1e-12)
        // NDCG: DCG = 2/log2(2) + 1/log2(3); IDCG over labels 2, 2, 1, 0, 0.
        let dcg = 2.0 + 1.0 / log2(3.0)
        let idcg = 2.0 + 2.0 / log2(3.0) + 1.0 / 2.0
        #expect(abs(q.reranked[.ndcg]! - dcg / idcg) < 1e-12)
        // Recall@2: 2 of 3 relevant.
        #expect(abs(q.reranked[.recallAt(2)]! - 2.0 / 3.0) < 1e-12)
        // P@2 and MRR do not depend on R.
        #expect(q.reranked[.precisionAt(2)] == 1.0 && q.reranked[.mrr] == 1.0)

        // Within the pool: R = 2 and IDCG over 2, 1, 0, as before judgments existed.
        let pool = report(["m1": "0.1", "m2": "0.9", "m3": "0.5"], judged: .pool).queries[0]
        #expect(abs(pool.reranked[.map]! - 1.0) < 1e-12)
        #expect(abs(pool.reranked[.ndcg]! - 1.0) < 1e-12)
    }

    @Test func ceilingPoolRecallAndCapturedShare() throws {
        // Reranked m3, m2, m1: better than the first stage (m1, m2, m3), short of the best.
        let r = report(["m1": "0.1", "m2": "0.5", "m3": "0.9"])
        let q = r.queries[0]
        // The best order of the pool is m2, m3, m1: the reranked order of the test above.
        let best = 2.0 + 1.0 / log2(3.0)
        let idcg = 2.0 + 2.0 / log2(3.0) + 1.0 / 2.0
        #expect(abs(q.ceiling![.ndcg]! - best / idcg) < 1e-12)
        #expect(abs(q.ceiling![.map]! - 2.0 / 3.0) < 1e-12)
        #expect(q.ceiling![.kendallTau] == nil, "agreement metrics have no ceiling")
        #expect(q.relevantInPool == 2 && q.relevantOutsidePool == 1)
        #expect(abs(q.poolRecall! - 2.0 / 3.0) < 1e-12)
        #expect(!q.nothingToRerank)
        // Captured: (reranked − first stage) / (ceiling − first stage).
        let baseline = q.baseline[.ndcg]!, reranked = q.reranked[.ndcg]!
        #expect(baseline < reranked && reranked < q.ceiling![.ndcg]!)
        let share = try #require(q.capturedShare(.ndcg))
        #expect(abs(share - (reranked - baseline) / (best / idcg - baseline)) < 1e-12)
        #expect(r.capturedShare(.ndcg) == share, "one query: the mean's share is the query's")
        #expect(r.poolRecallMean == q.poolRecall)
    }

    @Test func noHeadroomIsNotAShareAndAnEmptyPoolIsFlagged() throws {
        // Already the best order: ceiling equals the first stage, so the share is n/a.
        let already = Query(id: "q1", text: "t", candidates: [
            Candidate(id: "m1", text: "a", relevance: 2, firstStageScore: 0.9, fileIndex: 0),
            Candidate(id: "m2", text: "b", relevance: 0, firstStageScore: 0.8, fileIndex: 1),
        ], judgments: ["x": 1])
        let nothing = Query(id: "q2", text: "t", candidates: [
            Candidate(id: "m1", text: "a", relevance: 0, firstStageScore: 0.9, fileIndex: 0),
        ], judgments: ["x": 3])
        let settings = RunSettings()
        let results = [PairResult(queryID: "q1", candidateID: "m1", sampleIndex: 0, reply: ChatReply(text: "0.2")),
                       PairResult(queryID: "q1", candidateID: "m2", sampleIndex: 0, reply: ChatReply(text: "0.9")),
                       PairResult(queryID: "q2", candidateID: "m1", sampleIndex: 0, reply: ChatReply(text: "0.9"))]
        let r = RunReportBuilder(dataset: Dataset(path: "mem", queries: [already, nothing]), prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
            .build(results: results)
        #expect(r.queries[0].capturedShare(.ndcg) == nil)
        #expect(r.queries[1].nothingToRerank && r.queries[1].poolRecall == 0)
        #expect(r.queries[1].ceiling![.ndcg] == 0)
        #expect(r.nothingToRerankCount == 1)
        // Mean pool recall over both queries with anything relevant: (1/2 + 0) / 2.
        #expect(abs(r.poolRecallMean! - 0.25) < 1e-12)
    }

    @Test func theCeilingFollowsTheTopKCut() throws {
        // top_k 1: the best one-item list holds m2 (label 2).
        let q = report(["m1": "0.9", "m2": "0.5", "m3": "0.1"], topK: 1).queries[0]
        let idcg = 2.0 + 2.0 / log2(3.0) + 1.0 / 2.0
        #expect(abs(q.ceiling![.ndcg]! - 2.0 / idcg) < 1e-12)
        #expect(abs(q.ceiling![.map]! - 1.0 / 3.0) < 1e-12)
    }

    @Test func loaderReadsJudgmentsAndRejectsConflicts() throws {
        let line = #"{"query_id": "q", "query": "t", "candidates": [{"id": "m1", "text": "a", "relevance": 1}], "judgments": {"x": 2, "y": 0, "m1": 1, "z": -1}}"#
        let d = try DatasetLoader().load(path: Fixtures.write(line))
        #expect(d.queries[0].judgments == ["x": 2, "y": 0], "negative = unjudged; m1 agrees with its candidate and stays there")
        #expect(d.outsidePoolJudgmentCount == 2)
        // Written back, then read again: the same judgments.
        let again = try DatasetLoader().load(path: Fixtures.write(DatasetWriter.text(d.queries)))
        #expect(again.queries[0].judgments == ["x": 2, "y": 0])

        let conflict = "\n" + #"{"query_id": "q", "query": "t", "candidates": [{"id": "m1", "text": "a", "relevance": 1}], "judgments": {"m1": 2, "w": "high"}}"#
        do {
            _ = try DatasetLoader().load(path: Fixtures.write(conflict))
            Issue.record("a conflicting label was accepted")
        } catch {
            #expect(error.issues.count == 2)
            #expect(error.issues.contains { $0.line == 2 && $0.field == "judgments.m1" && $0.message.contains("conflicts with the label 1") })
            #expect(error.issues.contains { $0.field == "judgments.w" && $0.message.contains("expected an integer") })
        }
    }

    @Test func trecImportKeepsEveryQrelAndDepthCutsOnlyCandidates() throws {
        let dir = Fixtures.temporaryDirectory()
        let run = Fixtures.write("q1 Q0 d1 1 3.0 bm25\nq1 Q0 d2 2 2.0 bm25\nq1 Q0 d3 3 1.0 bm25\n", name: "run", in: dir)
        let qrels = Fixtures.write("q1 0 d2 1\nq1 0 d3 2\nq1 0 d9 2\nq1 0 d8 0\nq7 0 d1 1\n", name: "qrels", in: dir)
        let queries = Fixtures.write("q1\tfirst query\nq7\tno run\n", name: "queries.tsv", in: dir)
        let docs = Fixtures.write("d1\tone\nd2\ttwo\nd3\tthree\n", name: "docs.tsv", in: dir)
        let imported = try TRECImporter(runPath: run, qrelsPath: qrels, queriesPath: queries, documentsPath: docs, depth: 2).importQueries()
        let q = try #require(imported.queries.first)
        #expect(q.candidates.map(\.id) == ["d1", "d2"])
        // d3 was cut by --depth: its judgment is kept outside the pool, as are d8 and d9.
        #expect(q.judgments == ["d3": 2, "d8": 0, "d9": 2])
        #expect(imported.qrelsQueriesWithoutRun == ["q7"])
    }
}
