import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// The workbench and `rerank-eval run` resolve one recipe the same way: an Azure mem0 config
/// given to `rerankbench --config` reaches the loopback server with exactly the requests
/// `rerank-eval run --config` sends (deployment URL, api-version, api-key header, bodies).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux"), "needs tmux (apt-get install tmux)"))
struct WorkbenchRecipeTests {
    /// A request as compared between the two front ends.
    struct Sent: Hashable, Comparable {
        var method: String, uri: String, key: String?, body: String
        static func < (a: Sent, b: Sent) -> Bool { (a.uri, a.body) < (b.uri, b.body) }
    }

    static func sent(_ requests: ArraySlice<RecordedRequest>) -> [Sent] {
        requests.map { Sent(method: $0.method, uri: $0.uri, key: $0.header("api-key"), body: $0.body) }.sorted()
    }

    @Test func anAzureConfigRunsInTheWorkbenchWithTheRequestsRerankEvalSends() async throws {
        let server = try FakeProviderServer { r, _ in .text("0.7", for: r) }
        defer { server.stop() }
        let dir = Fixtures.temporaryDirectory()
        _ = Fixtures.write("""
            {"query_id": "q1", "query": "What foods should I avoid?", "candidates": [{"id": "a", "text": "Allergic to peanuts", "relevance": 2}, {"id": "b", "text": "Likes hiking", "relevance": 0}, {"id": "c", "text": "Lactose intolerant", "relevance": 1}]}
            {"query_id": "q2", "query": "Where does she live?", "candidates": [{"id": "d", "text": "Moved to Lisbon in 2022", "relevance": 2}, {"id": "e", "text": "Plays the cello", "relevance": 0}]}
            """, name: "small.jsonl", in: dir)
        _ = Fixtures.write("""
            {"reranker": {"provider": "llm_reranker", "config": {"provider": "azure_openai", "model": "gpt-4o-mini", "top_k": 2,
             "llm": {"provider": "azure_openai", "config": {"model": "gpt-4o-mini", "api_key": "azure-test-key-0123456789",
               "azure_kwargs": {"azure_deployment": "rerank-dep", "api_version": "2024-10-21", "azure_endpoint": "\(server.baseURL)"}}}}}}
            """, name: "azure.json", in: dir)
        // Nothing Azure from this machine's environment: the config alone decides.
        let environment = ["PATH": "/usr/bin:/bin", "TERM": "xterm-256color", "HOME": dir]

        let cli = try await CommandRunner.run("rerank-eval", ["run", "--config", "azure.json", "--dataset", "small.jsonl", "--format", "json"],
                                              in: dir, environment: environment.merging(["RERANKBENCH_STORE": dir + "/cli.sqlite"]) { $1 })
        #expect(cli.status == 0, "\(cli.stderr)")
        let fromCLI = server.requests.count
        #expect(fromCLI == 5)

        let socket = "rb-recipe-\(getpid())"
        let tmux = URL(fileURLWithPath: "/usr/bin/tmux")
        func tmuxRun(_ args: [String]) async throws -> CommandResult {
            try await CommandRunner.run(executable: tmux, ["-L", socket, "-f", "/dev/null"] + args, in: dir, environment: environment)
        }
        func screen() async throws -> String { try await tmuxRun(["capture-pane", "-p", "-t", "wb"]).stdout }
        func waitFor(_ text: String, seconds: Double = 30) async throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            var shown = ""
            while Date() < deadline {
                shown = try await screen()
                if shown.contains(text) { return shown }
                try await Task.sleep(for: .milliseconds(200))
            }
            Issue.record("the screen never showed \"\(text)\":\n\(shown)")
            return shown
        }
        let binary = CommandRunner.productsDirectory.appendingPathComponent("rerankbench").path
        let start = try await tmuxRun(["new-session", "-d", "-s", "wb", "-x", "120", "-y", "40",
                                       "RERANKBENCH_STORE=\(dir)/workbench.sqlite \(binary) small.jsonl --config azure.json --fresh --session \(dir)/session.json; sleep 30"])
        #expect(start.status == 0, "\(start.stderr)")
        defer { Task { _ = try? await tmuxRun(["kill-server"]) } }

        // The settings pane says what the config decided.
        let opened = try await waitFor("r run")
        #expect(opened.contains("azure_openai"), "\(opened)")
        #expect(opened.contains("key from azure.json"), "\(opened)")
        #expect(opened.contains("deployment rerank-dep"), "\(opened)")

        // The first paid run of the session asks once, with its cost.
        _ = try await tmuxRun(["send-keys", "-t", "wb", "r"])
        let asked = try await waitFor("Run on a paid API?")
        #expect(asked.contains("5 calls to azure_openai gpt-4o-mini.") && asked.contains("Cost: about $"), "\(asked)")
        #expect(server.requests.count == fromCLI, "nothing is called before the answer")
        _ = try await tmuxRun(["send-keys", "-t", "wb", "y"])
        let done = try await waitFor("run 1 in", seconds: 60)
        #expect(!done.contains("failed"), "\(done)")
        _ = try await tmuxRun(["kill-server"])

        let all = server.requests
        #expect(all.count == 2 * fromCLI)
        let cliSent = Self.sent(all[..<fromCLI]), workbenchSent = Self.sent(all[fromCLI...])
        #expect(workbenchSent == cliSent)
        #expect(Set(cliSent.map(\.uri)) == ["/openai/deployments/rerank-dep/chat/completions?api-version=2024-10-21"])
        #expect(cliSent.allSatisfy { $0.key == "azure-test-key-0123456789" })
    }
}
