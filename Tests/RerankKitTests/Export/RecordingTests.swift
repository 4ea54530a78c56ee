import Foundation
import RerankKit
@testable import RerankCore
@testable import RerankProviders
@testable import RerankStore
import RerankTestSupport
import Testing

/// Recordings: the header, one call per line keyed by its rendered request, and a loader that
/// names the line and field of anything wrong.
@Suite struct RecordingTests {
    let dataset = PoolReportFixture.dataset
    let prompt = BuiltinPrompts.mem0SystemPrompt
    let settings = PoolReportFixture.settings()

    func recording(_ results: [PairResult], runID: Int64? = 7) throws -> String {
        Recording.write(results: results, plan: try RunPlan(dataset: dataset, prompt: prompt, settings: settings),
                        dataset: dataset, prompt: prompt, settings: settings, runID: runID)
    }

    @Test func keyDependsOnEveryMessageAndTheSample() {
        let messages = [ChatMessage(role: .system, content: "Score."), ChatMessage(role: .user, content: "Query: q\n\nDocument: d")]
        let key = Recording.key(messages: messages, sampleIndex: 0)
        #expect(key == Recording.key(messages: messages, sampleIndex: 0))
        #expect(key.count == 64 && key.allSatisfy(\.isHexDigit))
        #expect(key != Recording.key(messages: messages, sampleIndex: 1))
        #expect(key != Recording.key(messages: [messages[0], ChatMessage(role: .user, content: "Query: q\n\nDocument: e")], sampleIndex: 0))
        #expect(key != Recording.key(messages: [ChatMessage(role: .user, content: "Score."), messages[1]], sampleIndex: 0))
    }

    @Test func writeHasAHeaderThenOneSortedLinePerCall() throws {
        var results = PoolReportFixture.results.reversed().map { $0 }
        results.append(PairResult(queryID: "q1", candidateID: "zz", sampleIndex: 0, reply: ChatReply(text: "1")))  // not in the plan
        let lines = try recording(results).split(separator: "\n").map(String.init)
        let header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(header["rerankbench_recording"] as? Int == 1)
        #expect(header["provider"] as? String == "openai" && header["model"] as? String == "gpt-test")
        #expect(header["prompt_name"] as? String == prompt.name && header["prompt_sha256"] as? String == prompt.textHash)
        #expect(header["dataset_path"] as? String == "Datasets/pool.jsonl" && header["dataset_sha256"] as? String == "0123456789abcdef0123")
        #expect(header["run_id"] as? Int == 7)
        // Five calls of the plan; the stray result has no request to key it, so no line.
        #expect(lines.count == 6)
        let calls = try lines.dropFirst().map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(calls.map { "\($0["query_id"]!)/\($0["candidate_id"]!)" } == ["q1/a", "q1/b", "q1/c", "q2/n1", "q2/n2"])
        // The key is the one the replay provider computes from the same request.
        let messages = try PromptRenderer(prompt: prompt, mode: .system).messages(query: "where is the key", document: "text a")
        #expect(calls[0]["key"] as? String == Recording.key(messages: messages, sampleIndex: 0))
    }

    @Test func loadReadsBackWhatWriteWrote() throws {
        var results = PoolReportFixture.results
        results[4] = PairResult(queryID: "q2", candidateID: "n2", sampleIndex: 0, reply: nil, error: "HTTP 429: slow down", errorKind: "rate_limit")
        let path = Fixtures.write(try recording(results, runID: nil), name: "rec.jsonl")
        let (header, calls) = try Recording.load(path: path)
        #expect(header.calls == 5 && header.runId == nil && header.model == "gpt-test")
        #expect(calls.count == 5)
        let byPair = Dictionary(uniqueKeysWithValues: calls.values.map { ("\($0.queryId)/\($0.candidateId)", $0) })
        #expect(byPair["q1/b"]?.reply?.text == "0.9")
        #expect(byPair["q1/b"]?.reply?.usage == TokenUsage(promptTokens: 100, completionTokens: 2))
        #expect(byPair["q2/n2"]?.reply == nil && byPair["q2/n2"]?.error == "HTTP 429: slow down" && byPair["q2/n2"]?.errorKind == "rate_limit")
        for (key, call) in calls { #expect(call.key == key) }
    }

    func loadError(_ text: String?) -> InputIssue? {
        let path = text.map { Fixtures.write($0, name: "rec.jsonl") } ?? (Fixtures.temporaryDirectory() + "/missing.jsonl")
        do {
            _ = try Recording.load(path: path)
            return nil
        } catch {
            return error.issues.first
        }
    }

    @Test func loadNamesTheLineAndFieldOfAnythingWrong() throws {
        let header = #"{"rerankbench_recording": 1, "provider": "p", "model": "m", "prompt_name": "n", "prompt_sha256": "s", "dataset_path": "d", "dataset_sha256": "h", "calls": 1}"#
        #expect(loadError(nil)?.message.hasPrefix("no such recording") == true)
        #expect(loadError("")?.line == 1)
        #expect(loadError("{\"calls\": 1}\n")?.message.contains("is not a RerankBench recording") == true)
        let future = loadError(header.replacingOccurrences(of: "\"rerankbench_recording\": 1", with: "\"rerankbench_recording\": 2") + "\n")
        #expect(future?.line == 1 && future?.field == "rerankbench_recording" && future?.message.contains("format 2") == true)
        let missing = loadError(header + "\n\n" + #"{"key": "k", "query_id": "q", "sample_index": 0}"# + "\n")
        #expect(missing?.line == 3 && missing?.field == "candidate_id", "\(String(describing: missing))")
        let broken = loadError(header + "\n" + #"{"key": "k", "query_id": "q", "candidate_id": "c", "sample_index": "zero"}"# + "\n")
        #expect(broken?.line == 2 && broken?.message.contains("not a recorded call") == true)
        // Blank lines are skipped; a header alone is an empty recording.
        let path = Fixtures.write(header + "\n\n   \n", name: "rec.jsonl")
        #expect(try Recording.load(path: path).1.isEmpty)
    }
}

extension RecordingTests {
    @Test(arguments: [("query_id", #"{"key": "k", "candidate_id": "c", "sample_index": 0}"#),
                      ("sample_index", #"{"key": "k", "query_id": "q", "candidate_id": "c"}"#),
                      ("key", #"{"query_id": "q", "candidate_id": "c", "sample_index": 0}"#)])
    func aMissingFieldIsNamedAsTheFileSpellsIt(field: String, line: String) {
        let header = #"{"rerankbench_recording": 1, "provider": "p", "model": "m", "prompt_name": "n", "prompt_sha256": "s", "dataset_path": "d", "dataset_sha256": "h", "calls": 1}"#
        #expect(loadError(header + "\n" + line + "\n")?.field == field)
    }
}
