import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// `Tests/Fixtures/mem0-results-small.jsonl` holds what `Memory.search()` returns (mem0 2.x's
/// `{"results": [...], "relations": [...]}` and the bare list of older versions), a tie, and a
/// store that returns distances; the labels file labels a memory the search missed, repeats a
/// label, gives -1 (unjudged) and names a query with no results.
@Suite struct Mem0ResultsImporterTests {
    let results = Fixtures.repoPath("Tests/Fixtures/mem0-results-small.jsonl")
    let labels = Fixtures.repoPath("Tests/Fixtures/mem0-labels-small.jsonl")

    func issues(_ resultsText: String, _ labelsText: String = #"{"query_id": "q", "id": "m", "relevance": 1}"#) -> String {
        let dir = Fixtures.temporaryDirectory()
        let r = Fixtures.write(resultsText, name: "results.jsonl", in: dir)
        let l = Fixtures.write(labelsText, name: "labels.jsonl", in: dir)
        do {
            _ = try Mem0ResultsImporter(resultsPath: r, labelsPath: l).importQueries()
            Issue.record("expected an error")
            return ""
        } catch {
            return error.description
        }
    }

    @Test func importsSearchResultsWithLabelsAndJudgments() throws {
        let imported = try Mem0ResultsImporter(resultsPath: results, labelsPath: labels).importQueries()
        #expect(imported.queries.map(\.id) == ["diet-1", "2", "dist-3"])
        let diet = imported.queries[0]
        #expect(diet.userID == "alice")
        #expect(diet.candidates.map(\.text) == ["Is allergic to peanuts", "Loves Italian food", "Is vegetarian since 2019"])
        #expect(diet.candidates.map(\.relevance) == [2, 0, 2])
        #expect(diet.candidates.map(\.firstStageScore) == [0.82, 0.79, 0.61])
        #expect(diet.judgments == ["d9e8f7a6-0000-4000-8000-00000000abcd": 1])
        let bob = imported.queries[1]
        #expect(bob.candidates.map(\.relevance) == [2, nil, nil], "-1 is unjudged; a repeated equal label is fine")
        #expect(bob.candidates.map(\.firstStageScore) == [0.91, 0.91, 0.55], "a tie keeps mem0's order")
        let carol = imported.queries[2]
        #expect(carol.candidates.map(\.id) == ["c1", "c2", "c3"], "mem0's order, not the rising scores")
        #expect(carol.candidates.allSatisfy { $0.firstStageScore == nil && $0.relevance == nil })
        let reasons = imported.notes.map(\.reason)
        #expect(reasons.contains { $0.hasPrefix("queries whose scores rise down the list") })
        #expect(imported.notes.contains { $0.reason.hasPrefix("queries with no label") && $0.examples == ["dist-3"] })
        #expect(imported.notes.contains { $0.reason.hasPrefix("label query ids with no search result") && $0.examples.first?.hasPrefix("\"gone-9\"") == true })
    }

    @Test func writtenDatasetLoadsBack() throws {
        let imported = try Mem0ResultsImporter(resultsPath: results, labelsPath: labels).importQueries()
        let out = Fixtures.temporaryDirectory() + "/mem0.jsonl"
        try DatasetWriter.write(imported.queries, to: out)
        let d = try DatasetLoader().load(path: out)
        #expect(d.queries.map { $0.candidates.map(\.id) } == imported.queries.map { $0.candidates.map(\.id) })
        #expect(d.outsidePoolJudgmentCount == 1)
    }

    @Test func resultErrorsNameLineFieldAndFix() {
        let text = issues("""
        {"query_id": "a", "query": "x", "results": {"results": [{"id": "m1", "memory": "t"}, {"id": "m1", "memory": "u"}]}}
        {"query_id": "b", "results": [{"memory": "t"}]}
        {"query_id": "c", "query": "x", "results": {"memories": []}}
        {"query_id": "a", "query": "x", "results": [{"id": "m", "memory": "t", "score": "high"}]}
        not json
        """)
        #expect(text.contains("results.jsonl:1: results.results[1].id: duplicate id \"m1\" (also results.results[0])"))
        #expect(text.contains("results.jsonl:2: query: missing or not a string"))
        #expect(text.contains("results.jsonl:2: results[0].id: missing"))
        #expect(text.contains("results.jsonl:3: results.results: missing or not an array; search() returns {\"results\": [...]}"))
        #expect(text.contains("results.jsonl:4: results[0].score: expected a number, found a string"))
        #expect(text.contains("results.jsonl:5: invalid JSON"))
    }

    @Test func aJSONArrayIsRefusedWithTheFix() {
        #expect(issues(#"[{"query_id": "a", "query": "x", "results": []}]"#).contains("results.jsonl:1: a JSON array; write one object per line (JSONL)"))
    }

    @Test func labelErrorsNameLineFieldAndFix() {
        let r = #"{"query_id": "q", "query": "x", "results": [{"id": "m", "memory": "t"}]}"#
        let text = issues(r, """
        {"query_id": "q", "id": "m", "relevance": 1}
        {"query_id": "q", "id": "m", "relevance": 2}
        {"query_id": "q", "id": "n", "relevance": 0.5}
        {"query_id": "q", "relevance": 1}
        {"query_id": "q", "id": "k"}
        """)
        #expect(text.contains("labels.jsonl:2: relevance: 2 conflicts with 1 for \"m\" of query \"q\" on line 1; keep one label per memory"))
        #expect(text.contains("labels.jsonl:3: relevance: 0.5 is not an integer"))
        #expect(text.contains("labels.jsonl:4: id: missing"))
        #expect(text.contains("labels.jsonl:5: relevance: missing; add an integer label"))
    }
}
