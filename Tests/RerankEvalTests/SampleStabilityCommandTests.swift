import Foundation
import Synchronization
import RerankKit
import RerankTestSupport
import Testing

/// `--samples k` end to end: the report's stability line and JSON, the verdict that will not call
/// a difference within sample noise "better", and the statistics an export carries.
@Suite struct SampleStabilityCommandTests {
    let root = Fixtures.repositoryRoot
    static let dataset = "Datasets/personal-memories.jsonl"

    func eval(_ args: [String], store: String) async throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        for name in ["OPENAI_API_KEY", "OPENAI_BASE_URL"] { environment[name] = nil }
        environment["RERANKBENCH_STORE"] = store
        return try await CommandRunner.run("rerank-eval", args, in: root, environment: environment)
    }

    /// A server that knows the labels and answers a pair's n-th call with `score(label, hash, n)`,
    /// where hash is a fixed pseudo-random number of the pair. With `--concurrency 1` a pair's
    /// calls arrive in sample order, so call n is sample n.
    static func server(_ score: @escaping @Sendable (_ label: Int, _ hash: Double, _ call: Int) -> Double) throws -> FakeProviderServer {
        let data = try DatasetLoader().load(path: Fixtures.repoPath(dataset))
        var labels: [String: Int] = [:]
        for q in data.queries { for c in q.candidates { labels[q.text + "\u{0}" + c.text] = c.relevance ?? 0 } }
        let known = labels
        let calls = Mutex([String: Int]())
        return try FakeProviderServer { r, _ in
            guard let pair = r.pair else { return .text("0.5", for: r) }
            let key = pair.query + "\u{0}" + pair.document
            let n = calls.withLock { seen in
                defer { seen[key, default: 0] += 1 }
                return seen[key, default: 0]
            }
            let s = score(known[key] ?? 0, Fixtures.score(query: pair.query, document: pair.document), n)
            return .text(min(1, max(0, s)).formatted(decimals: 3), for: r)
        }
    }

    func run(_ server: FakeProviderServer, store: String) async throws {
        let r = try await eval(["run", "--dataset", Self.dataset, "--provider", "vllm", "--model", "test-model", "--base-url", server.baseURL + "/v1",
                                "--samples", "2", "--concurrency", "1", "--quiet"], store: store)
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func aDifferenceWithinSampleNoiseIsNotCalledBetter() async throws {
        let store = (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("s.sqlite")
        // Run 1: every memory 0.5 in both samples, so the first-stage order, and no spread.
        let flat = try Self.server { _, _, _ in 0.5 }
        defer { flat.stop() }
        try await run(flat, store: store)
        // Run 2: sample 0 orders by label (the ideal order), sample 1 at random: the mean ranks
        // well, but a single call swings a query's NDCG far.
        let swinging = try Self.server { label, hash, call in call == 0 ? Double(label) / 3 : hash }
        defer { swinging.stop() }
        try await run(swinging, store: store)
        // Run 3: both samples order by label: the same gain, and no spread.
        let steady = try Self.server { label, _, _ in Double(label) / 3 }
        defer { steady.stop() }
        try await run(steady, store: store)

        let show = try await eval(["show", "2"], store: store)
        let line = try #require(show.stdout.split(separator: "\n").first { $0.hasPrefix("stability ") }, "\(show.stdout)")
        #expect(line.contains("mean Kendall tau-b between samples") && line.contains("NDCG@10 of each sample's ranking: mean sd"), "\(line)")
        let json = try await eval(["show", "2", "--format", "json"], store: store)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let stability = try #require(doc["sample_stability"] as? [String: Any])
        let noise = try #require(stability["mean_sd"] as? Double)
        #expect(stability["samples"] as? Int == 2 && stability["metric"] as? String == "ndcg@10")
        #expect(noise > 0.05, "the random sample should move NDCG@10: \(stability)")
        let queries = try #require(doc["queries"] as? [[String: Any]])
        #expect(queries.allSatisfy { ($0["sample_stability"] as? [String: Any])?["sample_metrics"] is [Any] })
        // Run 3's samples agree exactly: tau 1 wherever defined, no spread.
        let steadyJSON = try await eval(["show", "3", "--format", "json"], store: store)
        let steadyDoc = try #require(try JSONSerialization.jsonObject(with: Data(steadyJSON.stdout.utf8)) as? [String: Any])
        let steadyStability = try #require(steadyDoc["sample_stability"] as? [String: Any])
        #expect(steadyStability["mean_sd"] as? Double == 0 && steadyStability["mean_kendall_tau"] as? Double == 1, "\(steadyStability)")

        let versus = try await eval(["compare", "1", "2", "3", "--json"], store: store)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(versus.stdout.utf8)) as? [[String: Any]])
        let main = items.filter { $0["metric"] as? String == "ndcg@10" }
        #expect(main.count == 2)
        let b = try #require(main.first { $0["b"] as? Int == 2 }), c = try #require(main.first { $0["b"] as? Int == 3 })
        // Both gain on run 1 significantly; only run 3's gain is larger than its noise.
        #expect(b["significant"] as? Bool == true && c["significant"] as? Bool == true, "\(main)")
        #expect(abs((b["sample_noise"] as? Double ?? 0) - noise) < 1e-12, "run 2's noise is the larger: \(b)")
        #expect((b["mean_delta"] as? Double ?? 1) <= noise)
        #expect(b["outcome"] as? String == "within sample noise", "\(b)")
        #expect(c["sample_noise"] as? Double == 0 && c["outcome"] as? String == "better", "\(c)")

        let text = try await eval(["compare", "1", "2"], store: store)
        #expect(text.stdout.contains("within sample noise on ndcg@10: B - A = +"), "\(text.stdout)")
        #expect(text.stdout.contains("samples: 2 per pair; mean Kendall tau-b between samples"))
        #expect(text.stdout.contains("within sample noise: significant, but the delta is not larger than the sample-to-sample spread"))
        // The gate fails on "worse", and a drop within sample noise is not that.
        let gate = try await eval(["compare", "2", "1", "--fail-if-worse", "ndcg@10"], store: store)
        #expect(gate.status == 0 && gate.stdout.contains("within sample noise on ndcg@10: B - A = -"), "\(gate.stdout)")

        // The exports carry the stability with the other statistics.
        let dir = Fixtures.temporaryDirectory()
        let card = try await eval(["export", "2", "--format", "prompt-card", "-o", "\(dir)/card.md"], store: store)
        #expect(card.status == 0, "\(card.stderr)")
        let prompt = try ScoringPrompt.load(path: "\(dir)/card.md")
        #expect(prompt.extraFrontMatter["split"] == "none")
        #expect(prompt.extraFrontMatter["correction"] == "none: one comparison (reranked vs first-stage order); its p-value is raw")
        #expect(prompt.extraFrontMatter["detectable_effect"]?.contains("on NDCG@10 at 80% power, alpha 0.050, with 36 queries") == true)
        #expect(prompt.extraFrontMatter["sample_stability"]?.hasPrefix("2 samples per pair: mean Kendall tau-b between samples") == true)
        let html = try await eval(["export", "2", "--format", "html"], store: store)
        #expect(html.stdout.contains("<h2>Statistics</h2>") && html.stdout.contains("<tr><th>sample stability</th><td>2 samples per pair: "))
    }

    @Test func aTestSplitExportCarriesTheStoresLookCount() async throws {
        let store = (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("s.sqlite")
        let dir = Fixtures.temporaryDirectory()
        let split = try await eval(["split", Self.dataset, "--test", "0.3", "--seed", "1", "-o", "\(dir)/split.jsonl"], store: store)
        #expect(split.status == 0, "\(split.stderr)")
        for _ in 0..<2 {
            let r = try await eval(["run", "--dataset", "\(dir)/split.jsonl", "--split", "test", "--quiet"], store: store)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let card = try await eval(["export", "last", "--format", "prompt-card", "-o", "\(dir)/card.md"], store: store)
        #expect(card.status == 0, "\(card.stderr)")
        let prompt = try ScoringPrompt.load(path: "\(dir)/card.md")
        #expect(prompt.extraFrontMatter["split"] == "test")
        #expect(prompt.extraFrontMatter["test_looks"] == "2")
        #expect(prompt.extraFrontMatter["test_looks_note"] == "test split looked at 2 times: its numbers are no longer a clean estimate")
        let html = try await eval(["export", "last", "--format", "html"], store: store)
        #expect(html.stdout.contains("<tr><th>test looks</th><td>test split looked at 2 times: its numbers are no longer a clean estimate</td></tr>"), "\(html.stdout)")
    }
}
