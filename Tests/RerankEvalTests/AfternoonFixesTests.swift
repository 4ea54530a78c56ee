import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// Issue 20's command-line items: each of these failed on the code before the fix.
@Suite struct AfternoonFixesTests {
    let root = Fixtures.repositoryRoot

    func eval(_ args: [String], env: [String: String] = [:]) async throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        return try await CommandRunner.run("rerank-eval", args, in: root, environment: environment)
    }

    /// Item 23: several programs creating one new store at the same moment all succeed.
    @Test func concurrentProgramsCreateOneStoreSafely() async throws {
        for _ in 0..<3 {
            let store = (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("new/store.sqlite")
            let results = try await withThrowingTaskGroup(of: CommandResult.self) { group in
                for _ in 0..<5 {
                    group.addTask { try await self.eval(["history", "--store", store]) }
                }
                var all: [CommandResult] = []
                for try await r in group { all.append(r) }
                return all
            }
            for r in results { #expect(r.status == 0, "\(r.stderr)") }
            _ = try RunStore(path: store)
        }
    }

    /// Item 21: empty texts are errors, all-0 labels a warning, and an error line means a
    /// non-zero exit; a duplicate id is reported next to the line's other problems.
    @Test func validateReportsWhatMakesADatasetUseless() async throws {
        let dir = Fixtures.temporaryDirectory()
        let data = Fixtures.write("""
            {"query_id": "q1", "query": "  ", "candidates": [{"id": "m1", "text": "a", "relevance": 1}]}
            {"query_id": "q2", "query": "ok", "candidates": [{"id": "m1", "text": ""}, {"id": "m1", "text": "b"}, {"id": "m2", "text": 5}]}
            """, name: "bad.jsonl", in: dir)
        let r = try await eval(["validate", data])
        #expect(r.status != 0)
        #expect(r.stderr.contains(":1: query: empty"), "\(r.stderr)")
        #expect(r.stderr.contains(":2: candidates[0].text: empty"), "\(r.stderr)")
        #expect(r.stderr.contains(":2: candidates[1].id: duplicate id"), "\(r.stderr)")
        #expect(r.stderr.contains(":2: candidates[2].text: expected a string"), "\(r.stderr)")

        let zeros = Fixtures.write(#"{"query_id": "q1", "query": "q", "candidates": [{"id": "m1", "text": "a", "relevance": 0}, {"id": "m2", "text": "b", "relevance": 0}]}"#,
                                   name: "zeros.jsonl", in: dir)
        let w = try await eval(["validate", zeros])
        #expect(w.status == 0)
        #expect(w.stderr.contains("warning:") && w.stderr.contains("only 0 labels"), "\(w.stderr)")

        // Not a dataset at all (a README given by mistake): no "error:" line with exit 0.
        let readme = try await eval(["validate", "README.md"])
        #expect(readme.status != 0 && readme.stderr.contains("neither a dataset nor a prompt"), "\(readme.stderr)")
        let notJSON = Fixtures.write("# A README\n\nSome text.\n", name: "README.jsonl", in: dir)
        let n = try await eval(["validate", notJSON])
        #expect(n.status != 0 && n.stderr.contains("error:"))
    }

    /// Item 13: the BM25 baseline is not an LLM, so it has no mem0 config.
    @Test func exportingTheBaselineAsAMem0ConfigIsRefused() async throws {
        let store = (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("s.sqlite")
        let run = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--store", store, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        for format in ["mem0-json", "mem0-yaml", "mem0-python"] {
            let r = try await eval(["export", "last", "--format", format, "--store", store])
            #expect(r.status != 0, "\(format): \(r.stdout)")
            #expect(r.stderr.contains("not an LLM"), "\(r.stderr)")
            #expect(!r.stdout.contains("bm25"))
        }
    }

    /// Item 15: one name per outcome in every output.
    @Test func everyOutputNamesAnOutcomeTheSameWay() {
        #expect(ParseOutcome.fallback.label == "no number")
        #expect(ParseOutcome.allCases.map(\.label).count == Set(ParseOutcome.allCases.map(\.label)).count)
    }
}
