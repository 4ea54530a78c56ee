import Foundation
import GRDB
import Synchronization
import RerankKit
import RerankTestSupport
import Testing

/// `rerank-eval` with the run store: cache, kill and resume, history, compare, matrix, exports.
@Suite struct StoreCommandTests {
    let root = Fixtures.repositoryRoot

    func eval(_ args: [String], store: String) async throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        for name in ["OPENAI_API_KEY", "OPENAI_BASE_URL"] { environment[name] = nil }
        environment["RERANKBENCH_STORE"] = store
        return try await CommandRunner.run("rerank-eval", args, in: root, environment: environment)
    }

    static func store() -> String { (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("s.sqlite") }

    static func scorer(delay: Double = 0, shift: Double = 0) throws -> FakeProviderServer {
        try FakeProviderServer { r, _ in
            guard let pair = r.pair else { return .text("0.5", for: r) }
            let s = min(1, max(0, Fixtures.score(query: pair.query, document: pair.document) + shift))
            return .text(s.formatted(decimals: 3), for: r, delay: delay)
        }
    }

    func vllm(_ server: FakeProviderServer, _ dataset: String = "Datasets/eng-notes.jsonl") -> [String] {
        ["run", "--dataset", dataset, "--provider", "vllm", "--model", "test-model", "--base-url", server.baseURL + "/v1", "--quiet"]
    }

    @Test func aRerunIsAnsweredFromTheCacheAndHistoryListsBoth() async throws {
        let server = try Self.scorer()
        defer { server.stop() }
        let store = Self.store()
        let first = try await eval(vllm(server) + ["--format", "json"], store: store)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(server.requests.count == 409)
        let second = try await eval(vllm(server) + ["--format", "json"], store: store)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(server.requests.count == 409, "the rerun made requests")
        let strip = { (s: String) in s.split(separator: "\n").filter { !$0.contains("\"elapsed\"") && !$0.contains("\"cached\"") }.joined(separator: "\n") }
        #expect(strip(first.stdout) == strip(second.stdout))
        let history = try await eval(["history"], store: store)
        #expect(history.stdout.contains("vllm/test-model"))
        #expect(history.stdout.split(separator: "\n").count == 3)
        let stats = try await eval(["cache", "stats"], store: store)
        #expect(stats.stdout.contains("409 replies") && stats.stdout.contains("reused 409 times"), "\(stats.stdout)")
        let cleared = try await eval(["cache", "clear"], store: store)
        #expect(cleared.stdout.contains("dropped 409"))
        let show = try await eval(["show", "1"], store: store)
        #expect(show.status == 0 && show.stdout.contains("NDCG@10"))
    }

    /// A store from before cache keys began with their query's group (migration v10): its
    /// replies still answer, `cache stats` counts each once while a run copies them to new
    /// keys, and `cache gc` drops the old copies.
    @Test func aStoreFromBeforeGroupedKeysStillAnswersAndGCDropsTheOldCopies() async throws {
        let server = try Self.scorer()
        defer { server.stop() }
        let store = Self.store()
        let first = try await eval(vllm(server) + ["--format", "json"], store: store)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(server.requests.count == 409)
        // What an older version wrote: keys of the request's digest alone, no v10.
        let queue = try DatabaseQueue(path: store)
        try await queue.write { db in
            try db.execute(sql: "UPDATE cache SET request_hash = SUBSTR(request_hash, 9)")
            try db.execute(sql: "DROP TABLE cache_legacy")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v10-cache-key-groups'")
        }
        try queue.close()
        let second = try await eval(vllm(server) + ["--format", "json"], store: store)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(server.requests.count == 409, "the rerun made requests")
        let strip = { (s: String) in s.split(separator: "\n").filter { !$0.contains("\"elapsed\"") && !$0.contains("\"cached\"") }.joined(separator: "\n") }
        #expect(strip(second.stdout) == strip(first.stdout))
        let stats = try await eval(["cache", "stats"], store: store)
        #expect(stats.stdout.contains("409 replies") && stats.stdout.contains("reused 409 times"), "\(stats.stdout)")
        #expect(stats.stdout.contains("old keys  409 entries are under an older version's keys"), "\(stats.stdout)")
        let gc = try await eval(["cache", "gc"], store: store)
        #expect(gc.stdout.contains("dropped 0 cache entries") && gc.stdout.contains("dropped 409 entries under keys of an older version"), "\(gc.stdout)")
        let after = try await eval(["cache", "stats"], store: store)
        #expect(after.stdout.contains("409 replies") && !after.stdout.contains("old keys"), "\(after.stdout)")
        let third = try await eval(vllm(server) + ["--format", "json"], store: store)
        #expect(third.status == 0 && server.requests.count == 409 && strip(third.stdout) == strip(first.stdout))
    }

    /// The store opens while the dataset loads; what is reported stays in the order it was: a
    /// store that is not ours first, then the dataset.
    @Test func aForeignStoreIsReportedBeforeABadDatasetAndStopsAGoodOne() async throws {
        let store = Self.store()
        try "name,score\nx,1\n".write(toFile: store, atomically: true, encoding: .utf8)
        let missing = try await eval(["run", "--dataset", "Datasets/no-such-file.jsonl", "--provider", "lexical", "--quiet"], store: store)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("is not a RerankBench store"), "\(missing.stderr)")
        #expect(!missing.stderr.contains("no-such-file"), "\(missing.stderr)")
        let good = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--provider", "lexical", "--quiet"], store: store)
        #expect(good.status == 2)
        #expect(good.stderr.contains("is not a RerankBench store"), "\(good.stderr)")
        #expect(good.stdout.isEmpty)
        #expect(try String(contentsOfFile: store, encoding: .utf8) == "name,score\nx,1\n", "the foreign file was changed")
        // A good store and a missing dataset: the dataset's message.
        let fresh = Self.store()
        let noData = try await eval(["run", "--dataset", "Datasets/no-such-file.jsonl", "--provider", "lexical", "--quiet"], store: fresh)
        #expect(noData.status == 2)
        #expect(noData.stderr.contains("no-such-file.jsonl: no such file"), "\(noData.stderr)")
    }

    @Test func aKilledRunResumesWithNothingLostAndNothingScoredTwice() async throws {
        // Requests past the 60th are held until the kill, so the run cannot finish before the test kills it,
        // however late a busy machine schedules this task.
        let released = Mutex(false)
        let server = try FakeProviderServer { r, index in
            guard let pair = r.pair else { return .text("0.5", for: r) }
            let held = index >= 60 && !released.withLock { $0 }
            return .text(Fixtures.score(query: pair.query, document: pair.document).formatted(decimals: 3), for: r, delay: held ? 120 : 0.005)
        }
        defer { server.stop() }
        let store = Self.store()
        var environment = ProcessInfo.processInfo.environment
        environment["RERANKBENCH_STORE"] = store
        let process = try await CommandRunner.start("rerank-eval", vllm(server) + ["--concurrency", "2"], in: root, environment: environment)
        // Kill once the two held calls are in flight and the 60 answered ones are on disk (the
        // recorder writes each reply as it arrives, a moment after the reply).
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if server.requests.count >= 62, let written = try? RunStore(path: store).results(runID: 1).count, written >= 60 { break }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        process.signal(SIGKILL)
        _ = try await process.exit()
        released.withLock { $0 = true }
        let history = try await eval(["history"], store: store)
        #expect(history.stdout.contains("incomplete"), "\(history.stdout)")
        let resumed = try await eval(["run", "--resume", "last", "--base-url", server.baseURL + "/v1", "--format", "json"], store: store)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as! [String: Any]
        #expect((doc["counts"] as! [String: Any])["ok"] as? Int == 409)
        #expect(doc["complete"] as? Bool == true)
        let bodies = server.requests.map(\.body)
        #expect(Set(bodies).count == 409)
        // Only the calls in flight at the kill (at most the concurrency) can have been asked twice.
        #expect(bodies.count == 409 + 2, "\(bodies.count) requests")
    }

    /// Runs a mem0 config (written for the server's URL) against a server that refuses the key
    /// after 5 replies, a configuration stop; then accepts it and resumes the run. Returns the
    /// server, to read its requests (the caller stops it), and the resumed run's JSON report.
    func stoppedAndResumed(environment changes: [String: String?], config: (FakeProviderServer) -> String) async throws
        -> (server: FakeProviderServer, report: [String: Any]) {
        let accepted = Mutex(false)
        let server = try FakeProviderServer { r, index in
            if index >= 5 && !accepted.withLock({ $0 }) { return .error(401, "Incorrect API key provided", for: r) }
            return .text("0.5", for: r)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["RERANKBENCH_STORE"] = Self.store()
        for (name, value) in changes { environment[name] = value }
        let first = try await CommandRunner.run("rerank-eval", ["run", "--dataset", "Datasets/eng-notes.jsonl", "--config", config(server), "--concurrency", "1", "--quiet"],
                                                in: root, environment: environment)
        #expect(first.status == 2, "\(first.stderr)")
        accepted.withLock { $0 = true }
        let resumed = try await CommandRunner.run("rerank-eval", ["run", "--resume", "last", "--format", "json"], in: root, environment: environment)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(resumed.stdout.utf8)) as? [String: Any] ?? [:]
        #expect((report["counts"] as? [String: Any])?["ok"] as? Int == 409)
        return (server, report)
    }

    @Test func anAzureRunResumesWithItsDeploymentAndAPIVersion() async throws {
        var changes: [String: String?] = ["AZURE_OPENAI_API_KEY": "azure-test-key-0123456789"]
        for name in ["AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_DEPLOYMENT", "AZURE_OPENAI_API_VERSION", "OPENAI_API_VERSION"] { changes[name] = String?.none }
        let (server, _) = try await stoppedAndResumed(environment: changes) { server in
            Fixtures.write("""
                {"reranker": {"provider": "llm_reranker", "config": {"provider": "azure_openai", "model": "gpt-4o-mini",
                 "llm": {"provider": "azure_openai", "config": {"model": "gpt-4o-mini",
                   "azure_kwargs": {"azure_deployment": "rerank-dep", "api_version": "2024-10-21", "azure_endpoint": "\(server.baseURL)"}}}}}}
                """, name: "azure.json")
        }
        defer { server.stop() }
        #expect(Set(server.requests.map(\.uri)) == ["/openai/deployments/rerank-dep/chat/completions?api-version=2024-10-21"])
        #expect(server.requests.allSatisfy { $0.header("api-key") == "azure-test-key-0123456789" })
    }

    @Test func aMem0ConfigRunResumesWithItsTopPAndReasoningOverride() async throws {
        // o3-mini is a reasoning model by name; the config overrides that and sets top_p, so every
        // request, before and after the resume, carries temperature, max_tokens and top_p 0.7.
        let changes: [String: String?] = ["OPENAI_API_KEY": "sk-test-resume-0123456789", "OPENAI_BASE_URL": nil]
        let (server, _) = try await stoppedAndResumed(environment: changes) { server in
            Fixtures.write("""
                reranker:
                  provider: llm_reranker
                  config:
                    llm:
                      provider: openai
                      config: {model: o3-mini, openai_base_url: "\(server.baseURL)/v1", top_p: 0.7, is_reasoning_model: false}
                """, name: "o3.yaml")
        }
        defer { server.stop() }
        let requests = server.requests
        #expect(requests.count > 5)
        for r in requests {
            let body = try #require(try? JSONParser.parse(r.body))
            #expect(body["model"]?.stringValue == "o3-mini")
            #expect(body["top_p"]?.doubleValue == 0.7, "\(r.body)")
            #expect(body["temperature"] != nil && body["max_tokens"] != nil, "\(r.body)")
        }
    }

    @Test func compareGivesAVerdictAndGatesOnWorse() async throws {
        let good = try Self.scorer()
        defer { good.stop() }
        let store = Self.store()
        let a = try await eval(vllm(good, "Datasets/personal-memories.jsonl"), store: store)
        #expect(a.status == 0, "\(a.stderr)")
        // Run 2 ignores the text: every memory gets the same score, so ranking falls back to first-stage order.
        let flat = try FakeProviderServer { r, _ in .text("0.5", for: r) }
        defer { flat.stop() }
        let b = try await eval(vllm(flat, "Datasets/personal-memories.jsonl"), store: store)
        #expect(b.status == 0, "\(b.stderr)")
        let same = try await eval(["compare", "1", "1"], store: store)
        #expect(same.stdout.contains("no significant difference"), "\(same.stdout)")
        // This scorer ranks worse than the first-stage order that run 2 keeps.
        let c = try await eval(["compare", "2", "1", "--fail-if-worse", "ndcg@10", "--per-query"], store: store)
        #expect(c.stdout.contains("B is worse than A on ndcg@10"), "\(c.stdout)")
        #expect(c.stdout.contains("seed 42"))
        #expect(c.status == 1)
        // The per-query diff: queries by change, then each one's memories side by side.
        #expect(c.stdout.contains("per query, ndcg@10, largest loss first"), "\(c.stdout)")
        #expect(c.stdout.contains("A rank") && c.stdout.contains("B score") && c.stdout.contains("move"), "\(c.stdout)")
        let worse = try await eval(["compare", "2", "1", "--per-query", "--worse-only"], store: store)
        let count = worse.stdout.components(separatedBy: "worse only (").dropFirst().first?.prefix { $0 != " " }
        #expect(count.flatMap { Int($0) }.map { $0 > 0 && $0 < 36 } == true, "\(worse.stdout)")
        let lonely = try await eval(["compare", "2", "1", "--worse-only"], store: store)
        #expect(lonely.status != 0 && lonely.stderr.contains("add --per-query"), "\(lonely.stderr)")
        let json = try await eval(["compare", "1", "2", "--json"], store: store)
        let items = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        #expect(items.first?["significant"] as? Bool == true)
        #expect(items.first?["queries"] as? Int == 36)
        #expect(items.first?["correction"] as? String == "holm" && items.first?["comparisons_corrected"] as? Int == 1)
        #expect(items.first?["min_detectable_effect"] is Double)
        // Three runs: B and C against A are corrected together, and the adjusted p is shown next to the raw one.
        let three = try await eval(["compare", "1", "2", "2"], store: store)
        #expect(three.stdout.contains("holm p") && three.stdout.contains("Holm-adjusted over 2 comparisons; raw p"), "\(three.stdout)")
        #expect(three.stdout.contains("correction: Holm over the 2 runs compared with A"))
        #expect(three.stdout.contains("detectable at 80% power"))
        let threeJSON = try await eval(["compare", "1", "2", "2", "--json"], store: store)
        let corrected = try JSONSerialization.jsonObject(with: Data(threeJSON.stdout.utf8)) as! [[String: Any]]
        let first = try #require(corrected.first)
        let raw = try #require(first["randomization_p"] as? Double)
        #expect(abs((first["adjusted_p"] as? Double ?? -1) - min(1, 2 * raw)) < 1e-15, "Holm with two equal p-values doubles both")
        let none = try await eval(["compare", "1", "2", "2", "--correction", "none"], store: store)
        #expect(none.stdout.contains("correction: none") && !none.stdout.contains("holm p"))
    }

    @Test func matrixRunsTheGridAndSharesTheCache() async throws {
        let server = try Self.scorer()
        defer { server.stop() }
        let store = Self.store()
        let args = ["matrix", "--dataset", "Datasets/personal-memories.jsonl", "--provider", "vllm", "--base-url", server.baseURL + "/v1",
                    "--prompts", "Prompts/mem0-default-system.txt,Prompts/conversational.txt", "--models", "model-a,model-b", "--quiet"]
        let r = try await eval(args, store: store)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(server.requests.count == 4 * 456)
        let parts = r.stdout.components(separatedBy: "Against the baseline cell")
        #expect(parts.count == 2, "\(r.stdout)")
        let lines = parts[0].split(separator: "\n")
        #expect(lines.first?.contains("NDCG@10") == true && lines.first?.contains("latency") == true)
        #expect(lines.filter { $0.contains("model-a") || $0.contains("model-b") }.count == 4)
        #expect(r.stdout.contains("*"))
        // The three other cells against the first, with Holm-adjusted p-values next to the raw ones.
        let versus = parts[1].split(separator: "\n")
        #expect(versus.first?.contains("run 1 (") == true, "\(parts[1])")
        #expect(versus.dropFirst().first?.contains("raw p") == true && versus.dropFirst().first?.contains("holm p") == true, "\(parts[1])")
        #expect(versus.filter { $0.contains("model-a") || $0.contains("model-b") }.count == 1 + 3)
        #expect(parts[1].contains("Holm-adjusted p-values over the 3 cells compared"))
        let json = try await eval(args + ["--json", "--correction", "bh"], store: store)
        let cells = json.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(cells.count == 4)
        #expect(cells[0]["vs_baseline"] == nil)
        let vs = cells.dropFirst().compactMap { $0["vs_baseline"] as? [String: Any] }
        #expect(vs.count == 3 && vs.allSatisfy { $0["correction"] as? String == "bh" && $0["comparisons_corrected"] as? Int == 3 })
        #expect(vs.allSatisfy { ($0["adjusted_p"] as? Double ?? 0) >= ($0["randomization_p"] as? Double ?? 1) })
        let again = try await eval(args, store: store)
        #expect(again.status == 0)
        #expect(server.requests.count == 4 * 456, "a repeated matrix must come from the cache")
    }

    @Test func exportsRoundTrip() async throws {
        let server = try Self.scorer()
        defer { server.stop() }
        let store = Self.store()
        let dir = Fixtures.temporaryDirectory()
        let r = try await eval(vllm(server, "Datasets/personal-memories.jsonl") + ["--top-k", "5", "--temperature", "0.2"], store: store)
        #expect(r.status == 0, "\(r.stderr)")
        for (format, file) in [("mem0-json", "c.json"), ("mem0-yaml", "c.yaml"), ("mem0-python", "c.py"), ("html", "r.html"),
                               ("markdown", "r.md"), ("recording", "rec.jsonl"), ("trec", "run.txt"), ("qrels", "qrels.txt"),
                               ("prompt-card", "card.md")] {
            let e = try await eval(["export", "last", "--format", format, "-o", "\(dir)/\(file)"], store: store)
            #expect(e.status == 0, "\(format): \(e.stderr)")
        }
        let prompt = try ScoringPrompt.load(path: Fixtures.repoPath("Prompts/mem0-default-system.txt"))
        for file in ["c.json", "c.yaml"] {
            let config = try Mem0RerankerConfig.load(path: "\(dir)/\(file)", environment: ["VLLM_API_KEY": "x"])
            #expect(config.scoringPrompt == prompt.text, "\(file)")
            #expect(config.model == "test-model" && config.topK == 5 && config.temperature == 0.2 && config.maxTokens == 100, "\(file)")
        }
        // The Python dict, evaluated by Python and read back by our reader.
        let py = try await CommandRunner.run(executable: URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c",
            "import json, runpy; print(json.dumps(runpy.run_path('\(dir)/c.py')['MEM0_CONFIG']))"],
            environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
        #expect(py.status == 0, "\(py.stderr)")
        let fromPython = try Mem0RerankerConfig.parse(py.stdout, environment: [:])
        #expect(fromPython.scoringPrompt == prompt.text && fromPython.topK == 5)
        let html = try String(contentsOfFile: "\(dir)/r.html", encoding: .utf8)
        #expect(html.contains("<svg") && !html.contains("<script"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"), "the page must not load anything")
        let card = try ScoringPrompt.load(path: "\(dir)/card.md")
        #expect(card.text == prompt.text)
        #expect(card.extraFrontMatter["dataset_sha256"] != nil)
        #expect(card.extraFrontMatter["ndcg_at_10"]?.contains("95% CI") == true)
        // Replaying the recording reproduces the run without the server.
        server.stop()
        let replay = try await eval(["run", "--dataset", "Datasets/personal-memories.jsonl", "--replay", "\(dir)/rec.jsonl", "--top-k", "5", "--format", "trec", "--quiet"], store: store)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout == (try String(contentsOfFile: "\(dir)/run.txt", encoding: .utf8)))
    }

    @Test func aCorruptStoreIsAClearErrorNotACrash() async throws {
        let store = Self.store()
        _ = FileManager.default.createFile(atPath: store, contents: Data(repeating: 0x42, count: 5000))
        let r = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl"], store: store)
        #expect(r.status == 2)
        #expect(r.stderr.contains(store) && r.stderr.contains("not an SQLite database"))
        #expect(!r.stderr.contains("Fatal error"))
    }
}
