import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// TREC run and qrels text, line by line, for the hand-worked `PoolReportFixture`.
@Suite struct TRECRunWriterTests {
    @Test func runListsEachQueryInRerankedOrder() throws {
        let run = try TRECRunWriter.run(PoolReportFixture.report())
        #expect(run == """
            q1 Q0 b 1 0.9 rerankbench
            q1 Q0 a 2 0.5 rerankbench
            q1 Q0 c 3 0.1 rerankbench
            q2 Q0 n2 1 0.8 rerankbench
            q2 Q0 n1 2 0.2 rerankbench

            """)
        #expect(try TRECRunWriter.run(PoolReportFixture.report(), tag: "mine").hasSuffix("q2 Q0 n1 2 0.2 mine\n"))
    }

    @Test func runLeavesOutCutCandidatesAndGivesUnscoredOnesMinusOne() throws {
        var settings = PoolReportFixture.settings()
        settings.topK = 2
        settings.failurePolicy = .strict
        // c's call failed: under the strict policy it is unscored and ranks last.
        var results = PoolReportFixture.results.filter { $0.candidateID != "c" }
        results.append(PairResult(queryID: "q1", candidateID: "c", sampleIndex: 0, reply: nil, error: "HTTP 500", errorKind: "server"))
        let report = RunReportBuilder(dataset: PoolReportFixture.dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
            .build(results: results)
        #expect(try TRECRunWriter.run(report) == "q1 Q0 b 1 0.9 rerankbench\nq1 Q0 a 2 0.5 rerankbench\nq2 Q0 n2 1 0.8 rerankbench\nq2 Q0 n1 2 0.2 rerankbench\n")
        settings.topK = nil
        let all = RunReportBuilder(dataset: PoolReportFixture.dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
            .build(results: results)
        #expect(try TRECRunWriter.run(all).contains("q1 Q0 c 3 -1 rerankbench\n"))
    }

    @Test func baselineRunUsesFirstStageScoresOrFallingRanks() throws {
        #expect(try TRECRunWriter.baselineRun(PoolReportFixture.dataset) == """
            q1 Q0 b 1 0.9 baseline
            q1 Q0 c 2 0.8 baseline
            q1 Q0 a 3 0.7 baseline
            q2 Q0 n1 1 0.9 baseline
            q2 Q0 n2 2 0.8 baseline

            """)
        let unscored = Dataset(path: "d", queries: [Query(id: "q", text: "t", candidates: [
            Candidate(id: "x", text: "1"), Candidate(id: "y", text: "2"), Candidate(id: "z", text: "3")])])
        // Scores n - i: 3, 2, 1, so trec_eval's re-sort keeps the file's order.
        #expect(try TRECRunWriter.baselineRun(unscored, tag: "bm25") == "q Q0 x 1 3 bm25\nq Q0 y 2 2 bm25\nq Q0 z 3 1 bm25\n")
    }

    @Test func qrelsHoldCandidatesThenOutsideJudgmentsSortedUnlessPool() throws {
        var dataset = PoolReportFixture.dataset
        dataset.queries[0].judgments = ["e": 1, "d": 0]
        dataset.queries[1].candidates.append(Candidate(id: "n3", text: "unjudged"))
        #expect(try TRECRunWriter.qrels(dataset) == """
            q1 0 b 0
            q1 0 c 1
            q1 0 a 2
            q1 0 d 0
            q1 0 e 1
            q2 0 n1 0
            q2 0 n2 0
            q2 0 z 1

            """)
        #expect(try TRECRunWriter.qrels(dataset, scope: .pool) == "q1 0 b 0\nq1 0 c 1\nq1 0 a 2\nq2 0 n1 0\nq2 0 n2 0\n")
    }

    @Test func idsThatCannotBeOneFieldAreRefusedWithTheirPlace() throws {
        #expect(TRECIDError.isValid("doc-1:a/b"))
        for bad in ["", "a b", "a\tb", "a\nb", "a\u{1B}[2Jb", "a\u{00A0}b"] {
            #expect(!TRECIDError.isValid(bad), "\(bad.debugDescription)")
        }
        let badDoc = Dataset(path: "d", queries: [Query(id: "q1", text: "t", candidates: [Candidate(id: "ok", text: "a"), Candidate(id: "two words", text: "b")])])
        #expect(throws: TRECIDError(queryID: "q1", documentID: "two words")) { try TRECRunWriter.baselineRun(badDoc) }
        let badQuery = Dataset(path: "d", queries: [Query(id: "", text: "t", candidates: [Candidate(id: "ok", text: "a", relevance: 1)])])
        #expect(throws: TRECIDError(queryID: "")) { try TRECRunWriter.qrels(badQuery) }
        // An outside judgment is checked too, and only when it is written.
        let badJudgment = Dataset(path: "d", queries: [Query(id: "q", text: "t", candidates: [Candidate(id: "ok", text: "a", relevance: 1)], judgments: ["x y": 1])])
        #expect(throws: TRECIDError(queryID: "q", documentID: "x y")) { try TRECRunWriter.qrels(badJudgment) }
        #expect(try TRECRunWriter.qrels(badJudgment, scope: .pool) == "q 0 ok 1\n")
        let message = TRECIDError(queryID: "q1", documentID: "two words").description
        #expect(message.hasPrefix("query \"q1\", document \"two words\": "), "\(message)")
    }
}
