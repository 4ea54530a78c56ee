import Foundation
import RerankKit
import Testing

@Suite struct DatasetStatsTests {
    func dataset() -> Dataset {
        let long = String(repeating: "x", count: 4001)
        let q1 = Query(id: "q1", text: "peanuts?", candidates: [
            Candidate(id: "a", text: "abc", relevance: 2, firstStageScore: 0.9),
            Candidate(id: "b", text: long, relevance: 0, firstStageScore: 0.5),
            Candidate(id: "c", text: "abcdef", relevance: nil, firstStageScore: 0.5),
        ], judgments: ["z": 1, "y": 0])
        let q2 = Query(id: "q2", text: "pets", candidates: [
            Candidate(id: "d", text: "é\u{301}", relevance: 0),
        ])
        let q3 = Query(id: "q3", text: "where", candidates: [
            Candidate(id: "e", text: "12345", relevance: 1, firstStageScore: 1),
            Candidate(id: "f", text: "1", relevance: 0, firstStageScore: 0.2),
        ])
        return Dataset(path: "mem", queries: [q1, q2, q3])
    }

    @Test func countsByHand() {
        let s = DatasetStats(dataset())
        #expect(s.queries == 3 && s.candidates == 6)
        #expect(s.candidatesPerQuery == DatasetStats.Spread(min: 1, median: 2, max: 3))
        #expect(s.candidateLabels == ["0": 3, "1": 1, "2": 1])
        #expect(s.unjudgedCandidates == 1)
        #expect(s.outsideLabels == ["0": 1, "1": 1])
        #expect(s.judgedShare == 5.0 / 6.0)
        // Relevant: q1 has a (pool) and z (outside); q3 has e. q2 has none.
        #expect(s.relevantInPools == 2 && s.relevantJudged == 3)
        #expect(s.poolRecall == 2.0 / 3.0)
        #expect(s.meanPoolRecall == (0.5 + 1) / 2)
        #expect(s.nothingToRerank == 1)
        // q1 and q3 are scored; b and c tie in q1.
        #expect(s.scoredQueries == 2 && s.queriesWithTies == 1)
        #expect(s.tieShare == 2.0 / 5.0)
        // Code points: "é\u{301}" is one Character but two code points, as mem0 counts.
        #expect(s.candidateLength == DatasetStats.Spread(min: 1, median: 4, max: 4001))
        #expect(s.queryLength == DatasetStats.Spread(min: 4, median: 5, max: 8))
        #expect(s.candidatesOverCut == 1 && s.queriesOverCut == 0)
        #expect(s.overCutExamples == [DatasetStats.LongText(queryID: "q1", candidateID: "b", length: 4001)])
    }

    @Test func thresholdTwoCountsOnlyGradeTwo() {
        let s = DatasetStats(dataset(), relevanceThreshold: 2)
        #expect(s.relevantJudged == 1 && s.poolRecall == 1)
        #expect(s.nothingToRerank == 2)
    }

    @Test func emptyAndUnscored() {
        let s = DatasetStats(Dataset(path: "x", queries: [Query(id: "q", text: "t", candidates: [Candidate(id: "a", text: "")])]))
        #expect(s.tieShare == nil && s.poolRecall == nil && s.meanPoolRecall == nil)
        #expect(s.judgedShare == 0)
    }
}
