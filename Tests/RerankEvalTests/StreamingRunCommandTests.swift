import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// Issue 16 in the command: per-query output as queries finish (csv, trec, jsonl), the same
/// numbers as the whole-report path, reports of streamed runs read back from the store, and
/// the commands that give space back.
@Suite struct StreamingRunCommandTests {
    let root = Fixtures.repositoryRoot

    func eval(_ args: [String], store: String) async throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        environment["RERANKBENCH_STORE"] = store
        return try await CommandRunner.run("rerank-eval", args, in: root, environment: environment)
    }

    let lexical = ["run", "--dataset", "Datasets/eng-notes.jsonl", "--provider", "lexical", "--quiet"]

    @Test func streamedCSVAndTRECEqualTheWholeReportsAndTheStoredRunReadsBack() async throws {
        let store = StoreCommandTests.store()
        let streamed = try await eval(lexical + ["--format", "csv"], store: store)
        #expect(streamed.status == 0, "\(streamed.stderr)")
        // The stored run holds means, not queries: export rebuilds them from its replies.
        let exported = try await eval(["export", "1", "--format", "csv"], store: store)
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(streamed.stdout == exported.stdout)
        #expect(streamed.stdout.split(separator: "\n").count == 1 + 32 + 1, "header, 32 queries, MEAN")
        let trec = try await eval(lexical + ["--format", "trec"], store: store)
        let shown = try await eval(["show", "2", "--per-query"], store: store)
        #expect(trec.status == 0 && shown.status == 0, "\(trec.stderr)\(shown.stderr)")
        let firstLine = try #require(trec.stdout.split(separator: "\n").first)
        #expect(firstLine.hasSuffix(" rerankbench") && firstLine.contains(" Q0 "))
        #expect(shown.stdout.contains("NDCG@10"))
    }

    @Test func theSummaryTableOfARunThatKeptNoQueriesEqualsTheRebuiltOne() async throws {
        let store = StoreCommandTests.store()
        let run = try await eval(lexical, store: store)
        #expect(run.status == 0, "\(run.stderr)")
        let show = try await eval(["show", "1"], store: store)
        #expect(show.status == 0, "\(show.stderr)")
        // `show` rebuilds the queries from the stored replies; its table after the run line is the run's own.
        #expect(show.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().joined(separator: "\n") == run.stdout)
        #expect(run.stdout.contains("(32 queries, 409 candidates") && run.stdout.contains("relevant judged outside the pools"))
    }

    /// The finished file replaces an older one in one step; where it cannot go (a folder of that
    /// name), the run says so, fails, and leaves the lines in FILE.partial.
    @Test func theOutputReplacesAnOldFileAndIsKeptWhenItCannotBePutInPlace() async throws {
        let store = StoreCommandTests.store()
        let dir = Fixtures.temporaryDirectory()
        let out = (dir as NSString).appendingPathComponent("run.jsonl")
        try "an older report\n".write(toFile: out, atomically: false, encoding: .utf8)
        let first = try await eval(lexical + ["--format", "jsonl", "-o", out], store: store)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count == 33)
        #expect(!FileManager.default.fileExists(atPath: out + ".partial"))
        let folder = (dir as NSString).appendingPathComponent("taken.jsonl")
        try FileManager.default.createDirectory(atPath: folder + "/inside", withIntermediateDirectories: true)
        let blocked = try await eval(lexical + ["--format", "jsonl", "-o", folder], store: store)
        #expect(blocked.status != 0)
        #expect(blocked.stderr.contains("\(folder): cannot put the output in place") && blocked.stderr.contains("taken.jsonl.partial"), "\(blocked.stderr)")
        #expect(try String(contentsOfFile: folder + ".partial", encoding: .utf8).split(separator: "\n").count == 33)
    }

    @Test func jsonLinesHaveOneLinePerQueryAndASummaryWithTheJSONMeans() async throws {
        let store = StoreCommandTests.store()
        let dir = Fixtures.temporaryDirectory()
        let out = (dir as NSString).appendingPathComponent("run.jsonl")
        let lines = try await eval(lexical + ["--format", "jsonl", "-o", out], store: store)
        #expect(lines.status == 0, "\(lines.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + ".partial"))
        let text = try String(contentsOfFile: out, encoding: .utf8)
        let objects = try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(objects.count == 33)
        #expect(objects.dropLast().allSatisfy { $0["type"] as? String == "query" && $0["candidates"] is [Any] })
        let summary = try #require(objects.last)
        #expect(summary["type"] as? String == "summary")
        let json = try await eval(lexical + ["--format", "json"], store: store)
        let whole = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let a = try #require((summary["mean"] as? [String: Any])?["reranked"] as? [String: Double])
        let b = try #require((whole["mean"] as? [String: Any])?["reranked"] as? [String: Double])
        #expect(a == b)
        #expect((summary["dataset"] as? [String: Any])?["queries"] as? Int == 32)
    }

    @Test func anOutputFileThatCannotBeWrittenIsOneMessageBeforeAnyCall() async throws {
        let store = StoreCommandTests.store()
        let r = try await eval(lexical + ["--format", "csv", "-o", "/nonexistent/dir/out.csv"], store: store)
        #expect(r.status != 0)
        #expect(r.stderr.contains("/nonexistent/dir/out.csv") && r.stderr.contains("writable"), "\(r.stderr)")
        #expect(!r.stderr.contains("Fatal"))
    }

    @Test func storeDeleteAndCacheGCGiveBackTheRepliesOfDeletedRuns() async throws {
        let server = try StoreCommandTests.scorer()
        defer { server.stop() }
        let store = StoreCommandTests.store()
        let vllm = ["run", "--dataset", "Datasets/eng-notes.jsonl", "--provider", "vllm", "--model", "test-model",
                    "--base-url", server.baseURL + "/v1", "--quiet", "--format", "csv"]
        #expect(try await eval(vllm, store: store).status == 0)
        #expect(try await eval(vllm, store: store).status == 0)
        let vacuum = try await eval(["store", "vacuum"], store: store)
        #expect(vacuum.status == 0 && vacuum.stdout.contains("dropped 0 unused replies"), "\(vacuum.stdout)\(vacuum.stderr)")
        let kept = try await eval(["cache", "gc"], store: store)
        #expect(kept.stdout.contains("dropped 0 cache entries"), "\(kept.stdout)")
        let deleted = try await eval(["store", "delete", "1", "last"], store: store)
        #expect(deleted.status == 0 && deleted.stdout.contains("deleted 2 runs"), "\(deleted.stdout)\(deleted.stderr)")
        let gc = try await eval(["cache", "gc"], store: store)
        #expect(gc.stdout.contains("dropped 409 cache entries and 409 replies"), "\(gc.stdout)")
        let stats = try await eval(["cache", "stats"], store: store)
        #expect(stats.stdout.contains("0 replies"))
        let missing = try await eval(["store", "delete", "7"], store: store)
        #expect(missing.status != 0 && missing.stderr.contains("has no run 7"))
    }
}
