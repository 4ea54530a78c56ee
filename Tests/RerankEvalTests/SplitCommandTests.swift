import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// `rerank-eval split`, and `--split` on run, compare and history.
@Suite struct SplitCommandTests {
    let root = Fixtures.repositoryRoot

    func eval(_ args: [String], store: String) async throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        environment["RERANKBENCH_STORE"] = store
        return try await CommandRunner.run("rerank-eval", args, in: root, environment: environment)
    }

    @Test func splitThenRunOnDevByDefaultAndOnTestWhenAsked() async throws {
        let dir = Fixtures.temporaryDirectory()
        let store = dir + "/s.sqlite", out = dir + "/split.jsonl"
        let s = try await eval(["split", "Datasets/personal-memories.jsonl", "--test", "0.3", "--seed", "7", "--by", "user_id", "-o", out], store: store)
        #expect(s.status == 0, "\(s.stderr)")
        #expect(s.stdout.contains("6 groups by user_id"), "\(s.stdout)")
        let again = try await eval(["split", "Datasets/personal-memories.jsonl", "--test", "0.3", "--seed", "7", "--by", "user_id", "-o", out + ".2"], store: store)
        #expect(again.status == 0)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == String(contentsOfFile: out + ".2", encoding: .utf8), "the same seed must give the same file")
        let data = try DatasetLoader().load(path: out)
        let dev = data.selecting(.dev).queries.count, test = data.selecting(.test).queries.count
        #expect(dev + test == 36 && test > 0 && dev > 0)

        let run = try await eval(["run", "--dataset", out, "--format", "json"], store: store)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("evaluating the dev split (\(dev) of 36 queries)"), "\(run.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(doc["split"] as? String == "dev")
        #expect((doc["queries"] as? [Any])?.count == dev)
        let onTest = try await eval(["run", "--dataset", out, "--split", "test"], store: store)
        #expect(onTest.status == 0, "\(onTest.stderr)")
        #expect(onTest.stdout.contains("split     test split: \(test) queries evaluated"), "\(onTest.stdout)")
        let history = try await eval(["history"], store: store)
        // Each run names its dataset version (#short hash) and its split.
        let hash = String(try DatasetLoader().load(path: out).contentHash.prefix(6))
        #expect(history.stdout.contains("split.jsonl #\(hash) [test]") && history.stdout.contains("split.jsonl #\(hash) [dev]"), "\(history.stdout)")
        // Both runs on all queries, then compared on the test side only.
        _ = try await eval(["run", "--dataset", out, "--split", "all", "--quiet"], store: store)
        _ = try await eval(["run", "--dataset", out, "--split", "all", "--quiet", "--ties", "trec"], store: store)
        let cmp = try await eval(["compare", "3", "4", "--split", "test", "--json"], store: store)
        #expect(cmp.status == 0, "\(cmp.stderr)")
        let items = try JSONSerialization.jsonObject(with: Data(cmp.stdout.utf8)) as! [[String: Any]]
        #expect(items.first?["queries"] as? Int == test)
        let wrongSide = try await eval(["compare", "1", "2", "--split", "test"], store: store)
        #expect(wrongSide.status == 2 && wrongSide.stderr.contains("evaluated only the dev split"), "\(wrongSide.stderr)")
        // Looks at the test split so far: run 2 (test), runs 3 and 4 (all), the comparison on test.
        let show = try await eval(["show", "2"], store: store)
        #expect(show.stdout.contains("test      test split looked at 4 times: its numbers are no longer a clean estimate"), "\(show.stdout)")
        let later = try await eval(["history"], store: store)
        #expect(later.stdout.contains("split.jsonl (sha256 ") && later.stdout.contains("test split looked at 4 times"), "\(later.stdout)")
        let cmpAgain = try await eval(["compare", "3", "4", "--split", "test"], store: store)
        #expect(cmpAgain.stdout.contains("warning: test split looked at 5 times"), "\(cmpAgain.stdout)")
        let runAgain = try await eval(["run", "--dataset", out, "--split", "test", "--format", "json"], store: store)
        let again6 = try JSONSerialization.jsonObject(with: Data(runAgain.stdout.utf8)) as! [String: Any]
        #expect(again6["test_looks"] as? Int == 6)
        #expect(runAgain.stderr.contains("warning: test split looked at 6 times"))
        // The first look on the test split is called clean.
        let first = try await eval(["run", "--dataset", out, "--split", "test"], store: dir + "/fresh.sqlite")
        #expect(first.stdout.contains("first look at the test split: a clean estimate"), "\(first.stdout)")
    }

    @Test func splitErrorsNameTheFix() async throws {
        let store = Fixtures.temporaryDirectory() + "/s.sqlite"
        let noSplit = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--split", "test"], store: store)
        #expect(noSplit.status == 2)
        #expect(noSplit.stderr.contains("Datasets/eng-notes.jsonl: the test split was asked for, but the file has no \"split\" field"), "\(noSplit.stderr)")
        #expect(noSplit.stderr.contains("(or use --split all)"), "\(noSplit.stderr)")
        #expect(noSplit.stderr.contains("rerank-eval split"))
        let bad = Fixtures.write(#"{"query_id": "q", "query": "x", "split": "validation", "candidates": [{"id": "a", "text": "t", "relevance": 1}]}"# + "\n")
        let r = try await eval(["run", "--dataset", bad], store: store)
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(bad):1: split: \"validation\" is not a split"), "\(r.stderr)")
        let badBy = try await eval(["split", "Datasets/eng-notes.jsonl", "--seed", "1", "--by", "team", "-o", Fixtures.temporaryDirectory() + "/x.jsonl"], store: store)
        #expect(badBy.status == 2 && badBy.stderr.contains("no query line has a \"team\" field"), "\(badBy.stderr)")
    }
}
