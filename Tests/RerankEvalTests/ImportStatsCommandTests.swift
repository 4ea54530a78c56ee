import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// `rerank-eval import locomo`, `import mem0` and `stats`, end to end, as the README shows them.
@Suite struct ImportStatsCommandTests {
    let root = Fixtures.repositoryRoot

    func eval(_ args: [String]) async throws -> CommandResult {
        try await CommandRunner.run("rerank-eval", args, in: root)
    }

    @Test func importLoCoMoWritesAValidDatasetAndReportsDrops() async throws {
        let out = Fixtures.temporaryDirectory() + "/locomo.jsonl"
        let r = try await eval(["import", "locomo", "Tests/Fixtures/locomo-small.json", "--depth", "5", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("wrote \(out): 11 queries, 53 candidates (53 judged), 3 judgments outside the pools (3 relevant)"))
        #expect(r.stderr.contains("note: adversarial questions (category 5) skipped (use --adversarial keep): 2 (e.g. conv-a/q7, conv-a/q8)"))
        #expect(r.stderr.contains("warning: evidence ids that name no turn of their conversation, dropped: 2 (e.g. conv-a/q9 \"D\", conv-a/q12 \"D9:9\")"))
        #expect(r.stderr.contains("note: questions with no evidence, not imported (nothing is labelled relevant): 1 (e.g. conv-a/q6)"))
        let d = try DatasetLoader().load(path: out)
        #expect(d.queries.count == 11)
        let v = try await eval(["validate", out])
        #expect(v.status == 0, "\(v.stderr)")
    }

    @Test func importLoCoMoOptions() async throws {
        let out = Fixtures.temporaryDirectory() + "/locomo.jsonl"
        let obs = try await eval(["import", "locomo", "Tests/Fixtures/locomo-small.json", "--candidates", "observations", "--adversarial", "keep", "-o", out])
        #expect(obs.status == 0, "\(obs.stderr)")
        #expect(try DatasetLoader().load(path: out).queries[0].candidates.allSatisfy { $0.id.hasPrefix("O") })
        let run = try await eval(["import", "locomo", "Tests/Fixtures/locomo-small.json", "--first-stage", "Tests/Fixtures/locomo-small.run", "-o", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("wrote \(out): 3 queries, 7 candidates (7 judged), 2 judgments outside the pools (2 relevant)"))
        let bad = try await eval(["import", "locomo", "Tests/Fixtures/locomo-small.json", "--candidates", "events", "-o", out])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--candidates must be turns, observations or summaries"))
        let missing = try await eval(["import", "locomo", "nope.json", "-o", out])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("error: nope.json: no such LoCoMo file"))
    }

    @Test func importMem0() async throws {
        let out = Fixtures.temporaryDirectory() + "/mem0.jsonl"
        let r = try await eval(["import", "mem0", "Tests/Fixtures/mem0-results-small.jsonl", "--labels", "Tests/Fixtures/mem0-labels-small.jsonl", "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("wrote \(out): 3 queries, 9 candidates (4 judged), 1 judgments outside the pools (1 relevant)"))
        #expect(r.stderr.contains("warning: queries with no label, imported unjudged (every metric is 0 for them): 1 (e.g. dist-3)"))
        #expect(try DatasetLoader().load(path: out).queries.count == 3)
        let bad = Fixtures.write(#"{"query_id": "a", "query": "x"}"#, name: "r.jsonl")
        let e = try await eval(["import", "mem0", bad, "--labels", "Tests/Fixtures/mem0-labels-small.jsonl", "-o", out])
        #expect(e.status == 2)
        #expect(e.stderr.contains("error: \(bad):1: results: missing; give what search() returned"))
    }

    @Test func statsTableAndJSON() async throws {
        let out = Fixtures.temporaryDirectory() + "/mem0.jsonl"
        _ = try await eval(["import", "mem0", "Tests/Fixtures/mem0-results-small.jsonl", "--labels", "Tests/Fixtures/mem0-labels-small.jsonl", "-o", out])
        let t = try await eval(["stats", out])
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stdout.contains("queries            3"))
        #expect(t.stdout.contains("candidates         9 (per query min 3, median 3, max 3)"))
        #expect(t.stdout.contains("labels             0: 1, 2: 3, unjudged: 5"))
        #expect(t.stdout.contains("pool recall        75.0% (3 of 4 relevant, label >= 1; per-query mean 83.3%)"))
        #expect(t.stdout.contains("first-stage ties   33.3% of scored candidates share a score (1 of 2 scored queries)"))
        #expect(t.stdout.contains("over mem0's cut    0 memories, 0 queries"))
        let j = try await eval(["stats", "Datasets/personal-memories.jsonl", "--json"])
        #expect(j.status == 0, "\(j.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any]
        let stats = object?["stats"] as? [String: Any]
        #expect(stats?["queries"] as? Int == 36)
        #expect(stats?["poolRecall"] != nil && stats?["candidateLength"] != nil)
        let missing = try await eval(["stats", "nope.jsonl"])
        #expect(missing.status == 2)
    }

    @Test func statsFlagsTextsOverMem0sCut() async throws {
        let long = String(repeating: "a", count: 4100)
        let path = Fixtures.write(#"{"query_id": "q", "query": "x", "candidates": [{"id": "big", "text": "\#(long)", "relevance": 1}, {"id": "s", "text": "b", "relevance": 0}]}"#)
        let t = try await eval(["stats", path])
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stdout.contains("over mem0's cut    1 memory, 0 queries: q/big (4100) (mem0 sends only the first 4000)"))
    }
}
