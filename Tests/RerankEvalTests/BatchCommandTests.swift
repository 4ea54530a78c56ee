import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// `run --batch`, `matrix --batch` and `rerank-eval batches`, as separate processes sharing a
/// store, against the loopback batch server.
@Suite struct BatchCommandTests {
    static let key = "sk-batch-SECRET-0123456789abcdef"
    let root = Fixtures.repositoryRoot

    static func store() -> String {
        (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("store.sqlite")
    }

    func eval(_ args: [String], store: String, env: [String: String] = [:]) async throws -> CommandResult {
        try await CommandRunner.run("rerank-eval", args, in: root, environment: environment(store: store, env: env))
    }

    func environment(store: String, env: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for name in ["OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"] { environment[name] = nil }
        environment["RERANKBENCH_STORE"] = store
        for (k, v) in env { environment[k] = v }
        return environment
    }

    static func server(failing: @escaping @Sendable (String, Int) -> String? = { _, _ in nil }, pollsBeforeEnd: Int = 2) throws -> FakeBatchServer {
        try FakeBatchServer(.init(answer: { r in
            guard let pair = r.pair else { return "0.5" }
            return Fixtures.score(query: pair.query, document: pair.document).formatted(decimals: 2)
        }, failing: failing, pollsBeforeEnd: pollsBeforeEnd, key: key))
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func anOpenAIBatchRunWaitsAndReportsWhatALiveRunReports() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let store = Self.store()
        let args = ["run", "--dataset", "Datasets/eng-notes.jsonl", "--provider", "openai", "--model", "gpt-4o-mini",
                    "--base-url", server.baseURL + "/v1", "--format", "json"]
        let estimate = try await eval(args + ["--batch", "--estimate"], store: store, env: ["OPENAI_API_KEY": Self.key])
        #expect(estimate.stdout.contains("estimate: 409 calls") && estimate.stdout.contains("at the batch price"), "\(estimate.stdout)")

        let r = try await eval(args + ["--batch", "--poll-interval", "0.05"], store: store, env: ["OPENAI_API_KEY": Self.key])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("submitting 409 requests"), "\(r.stderr)")
        #expect(r.stderr.contains("batch 1 (batch_") && r.stderr.contains("completed, 409 of 409 answered"), "\(r.stderr)")
        #expect(r.stderr.contains("409 replies from the batches"), "\(r.stderr)")
        #expect(server.batches.count == 1 && !server.requests.contains { $0.path.hasSuffix("/chat/completions") })
        let batch = try json(r.stdout)
        #expect((batch["counts"] as? [String: Any])?["ok"] as? Int == 409)

        let live = try await eval(args, store: Self.store(), env: ["OPENAI_API_KEY": Self.key])
        #expect(live.status == 0, "\(live.stderr)")
        let liveDoc = try json(live.stdout)
        #expect(NSDictionary(dictionary: try #require(batch["mean"] as? [String: Any])) == NSDictionary(dictionary: try #require(liveDoc["mean"] as? [String: Any])))

        let list = try await eval(["batches"], store: store)
        #expect(list.stdout.contains("recorded") && list.stdout.contains("409/409"), "\(list.stdout)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: store)) + ((try? Data(contentsOf: URL(fileURLWithPath: store + "-wal"))) ?? Data())
        #expect(bytes.range(of: Data(Self.key.utf8)) == nil)
        #expect(!r.stderr.contains(Self.key) && !r.stdout.contains(Self.key))
    }

    @Test func noWaitSubmitsInChunksAndAnotherProcessCollectsAndFinishesTheRun() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let store = Self.store()
        let submit = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--provider", "anthropic", "--model", "claude-haiku-4-5",
                                     "--base-url", server.baseURL, "--batch", "--no-wait", "--batch-max-requests", "150"],
                                    store: store, env: ["ANTHROPIC_API_KEY": Self.key])
        #expect(submit.status == 0, "\(submit.stderr)")
        #expect(submit.stderr.contains("rerank-eval batches collect 1 2 3"), "\(submit.stderr)")
        #expect(server.batches.map(\.customIDs.count) == [150, 150, 109])
        let list = try await eval(["batches"], store: store)
        #expect(list.stdout.components(separatedBy: "at provider").count == 4, "\(list.stdout)")
        let history = try await eval(["history"], store: store)
        #expect(history.stdout.contains("incomplete"), "\(history.stdout)")

        // Without a key: told which variable to set.
        let noKey = try await eval(["batches", "poll"], store: store)
        #expect(noKey.status == 2 && noKey.stderr.contains("ANTHROPIC_API_KEY"), "\(noKey.stderr)")

        // One batch collected: the run waits for the others.
        let one = try await eval(["batches", "collect", "1", "--wait", "--poll-interval", "0.05"], store: store, env: ["ANTHROPIC_API_KEY": Self.key])
        #expect(one.status == 0 && one.stdout.isEmpty, "\(one.stderr)")
        #expect(one.stderr.contains("run 1 waits for batches 2, 3"), "\(one.stderr)")

        let rest = try await eval(["batches", "collect", "--wait", "--poll-interval", "0.05", "--format", "json"], store: store, env: ["ANTHROPIC_API_KEY": Self.key])
        #expect(rest.status == 0, "\(rest.stderr)")
        let doc = try json(rest.stdout)
        #expect((doc["counts"] as? [String: Any])?["ok"] as? Int == 409)
        #expect(doc["complete"] as? Bool == true)
        let after = try await eval(["batches"], store: store)
        #expect(after.stdout.components(separatedBy: "recorded").count == 4, "\(after.stdout)")
        #expect(!server.requests.contains { $0.path == "/v1/messages" })
    }

    @Test func failedPairsAreAskedAgainByAResumeInBatch() async throws {
        let server = try Self.server(failing: { _, i in i == 3 ? "prompt is too long" : nil })
        defer { server.stop() }
        let store = Self.store()
        let first = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--provider", "openai", "--model", "gpt-4o-mini",
                                    "--base-url", server.baseURL + "/v1", "--batch", "--poll-interval", "0.05", "--failure-policy", "strict"],
                                   store: store, env: ["OPENAI_API_KEY": Self.key])
        #expect(first.status == 1, "\(first.stderr)")
        #expect(first.stderr.contains("1 call failed"), "\(first.stderr)")
        let again = try await CommandRunner.run("rerank-eval", ["run", "--resume", "1", "--batch", "--poll-interval", "0.05", "--format", "json"], in: root,
                                                environment: environment(store: store, env: ["OPENAI_API_KEY": Self.key]))
        #expect(again.status == 0, "\(again.stderr)")
        #expect(server.batches.map(\.customIDs.count) == [409, 1])
        #expect(try json(again.stdout)["complete"] as? Bool == true)
    }

    @Test func ctrlCWhileWaitingLeavesTheBatchAndSaysHowToCollectIt() async throws {
        let server = try Self.server(pollsBeforeEnd: 100_000)
        defer { server.stop() }
        let store = Self.store()
        let process = try await CommandRunner.start("rerank-eval", [
            "run", "--dataset", "Datasets/eng-notes.jsonl", "--provider", "openai", "--model", "gpt-4o-mini",
            "--base-url", server.baseURL + "/v1", "--batch", "--poll-interval", "0.05"], in: root,
            environment: environment(store: store, env: ["OPENAI_API_KEY": Self.key]))
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, server.requests.filter({ $0.method == "GET" }).count < 2 {
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        process.signal(SIGINT)
        let exit = try await process.exit()
        #expect(exit.status == 130, "\(exit.stderr)")
        #expect(exit.stderr.contains("rerank-eval batches collect 1"), "\(exit.stderr)")
        #expect(!server.requests.contains { $0.path.hasSuffix("/cancel") })
        let list = try await eval(["batches"], store: store)
        #expect(list.stdout.contains("at provider") && list.stdout.contains("in_progress"), "\(list.stdout)")
    }

    @Test func matrixSubmitsEveryCellThenWaitsForAll() async throws {
        let server = try Self.server()
        defer { server.stop() }
        let store = Self.store()
        let r = try await eval(["matrix", "--dataset", "Datasets/eng-notes.jsonl", "--provider", "openai", "--models", "gpt-4o-mini,gpt-4.1-mini",
                                "--base-url", server.baseURL + "/v1", "--batch", "--poll-interval", "0.05", "--json"],
                               store: store, env: ["OPENAI_API_KEY": Self.key])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(server.batches.count == 2 && server.batches.allSatisfy { $0.customIDs.count == 409 })
        #expect(r.stdout.split(separator: "\n").count == 2, "\(r.stdout)")
    }

    @Test func batchNeedsAProviderWithABatchAPI() async throws {
        let r = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--batch"], store: Self.store())
        #expect(r.status == 2)
        #expect(r.stderr.contains("--batch works with openai, azure_openai, anthropic"), "\(r.stderr)")
        let wait = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--no-wait"], store: Self.store())
        #expect(wait.status == 2 && wait.stderr.contains("go with --batch"), "\(wait.stderr)")
    }
}
