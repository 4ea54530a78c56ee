import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// `--replay` asks what the recording asked, and refuses before storing anything when it
/// cannot; `history` tells what a run spent from what it would have cost without the cache.
extension StoreCommandTests {
    @Test func aReplayTakesTheRecordingsPromptAndModeAndAMismatchStoresNoRun() async throws {
        let server = try Self.scorer()
        defer { server.stop() }
        let store = Self.store()
        let dir = Fixtures.temporaryDirectory()
        let first = try await eval(vllm(server, "Datasets/personal-memories.jsonl")
            + ["--prompt", "Prompts/mem0-documented-template.txt", "--format", "trec", "-o", "\(dir)/run.txt"], store: store)
        #expect(first.status == 0, "\(first.stderr)")
        let export = try await eval(["export", "last", "--format", "recording", "-o", "\(dir)/rec.jsonl"], store: store)
        #expect(export.status == 0, "\(export.stderr)")
        server.stop()

        // The README's example: no --prompt, no --mode; the recording's are used.
        let replay = try await eval(["run", "--dataset", "Datasets/personal-memories.jsonl", "--replay", "\(dir)/rec.jsonl", "--format", "trec", "--quiet"], store: store)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout == (try String(contentsOfFile: "\(dir)/run.txt", encoding: .utf8)))
        let shown = try await eval(["history", "--json"], store: store)
        #expect(shown.stdout.split(separator: "\n").first?.contains("\"prompt\":\"mem0-documented-template\"") == true, "\(shown.stdout)")
        let runs = try RunStore(path: store).runCount()
        #expect(runs == 2)

        // An explicit prompt still wins; the recording cannot answer it, so the run never starts
        // and nothing is stored.
        let other = try await eval(["run", "--dataset", "Datasets/personal-memories.jsonl", "--replay", "\(dir)/rec.jsonl",
                                    "--prompt", "Prompts/mem0-default-system.txt", "--quiet"], store: store)
        #expect(other.status == 2, "\(other.stderr)")
        #expect(other.stderr.contains("\(dir)/rec.jsonl: holds no reply"), "\(other.stderr)")
        #expect(other.stderr.contains("mem0-documented-template") && other.stderr.contains("leave out --prompt"), "\(other.stderr)")
        #expect(try RunStore(path: store).runCount() == runs, "a replay that could not start was stored")
        // So does an explicit mode: the prompt is the recording's, the messages are not.
        let mode = try await eval(["run", "--dataset", "Datasets/personal-memories.jsonl", "--replay", "\(dir)/rec.jsonl", "--mode", "system", "--quiet"], store: store)
        #expect(mode.status == 2, "\(mode.stderr)")
        #expect(mode.stderr.contains("template mode") && mode.stderr.contains("leave out --mode"), "\(mode.stderr)")
        #expect(try RunStore(path: store).runCount() == runs)
    }

    @Test func historyShowsWhatACachedRunCostAndWhatItWouldHaveCostAndItsTiePolicy() async throws {
        let server = try Self.scorer()
        defer { server.stop() }
        let store = Self.store()
        let paid = ["run", "--dataset", "Datasets/personal-memories.jsonl", "--provider", "openai", "--model", "gpt-4o-mini",
                    "--base-url", server.baseURL + "/v1", "--api-key", "sk-test-0123456789", "--quiet"]
        let first = try await eval(paid, store: store)
        #expect(first.status == 0, "\(first.stderr)")
        let calls = server.requests.count
        // Only the tie policy differs: every call is answered from the cache.
        let second = try await eval(paid + ["--ties", "trec"], store: store)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(server.requests.count == calls)

        let json = try await eval(["history", "--json"], store: store)
        let rows = try json.stdout.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(rows.count == 2)
        let (cached, called) = (rows[0], rows[1])
        let full = try #require(called["cost_usd"] as? Double)
        #expect(full > 0)
        #expect(called["cost_without_cache_usd"] as? Double == full)
        #expect(cached["cost_usd"] as? Double == 0, "\(cached)")
        #expect(cached["cost_without_cache_usd"] as? Double == full, "\(cached)")
        #expect(cached["ties"] as? String == "trec" && called["ties"] as? String == "stable")

        let table = try await eval(["history"], store: store)
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].contains("cost") && lines[0].contains("w/o cache"), "\(table.stdout)")
        let money = "$" + full.formatted(decimals: 4)
        #expect(lines[1].contains("(ties trec)") && lines[1].contains("$0.0000") && lines[1].hasSuffix(money), "\(table.stdout)")
        #expect(!lines[2].contains("ties") && !lines[2].contains("$0.0000") && lines[2].hasSuffix(money), "\(table.stdout)")
        // The run's own report says the same.
        let show = try await eval(["show", "last"], store: store)
        #expect(show.stdout.contains(", $0.0000 (\(money) without the cache)"), "\(show.stdout)")
    }
}
