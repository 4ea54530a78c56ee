import Foundation
import RerankKit
import RerankTestSupport
import Testing

@Suite struct RunCommandTests {
    let root = Fixtures.repositoryRoot

    func eval(_ args: [String], in dir: String? = nil) async throws -> CommandResult {
        try await CommandRunner.run("rerank-eval", args, in: dir ?? root)
    }

    @Test func readmeMainRunWorksOffline() async throws {
        let r = try await eval(["run", "--dataset", "Datasets/personal-memories.jsonl"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("NDCG@10"))
        #expect(r.stdout.contains("not an LLM"))
        #expect(r.stderr.contains("BM25 keyword baseline"))
    }

    @Test func jsonHasEveryMetricForBothOrdersAndSettings() async throws {
        let r = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--format", "json", "--k", "3,10"])
        #expect(r.status == 0)
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let mean = doc["mean"] as! [String: Any]
        let baseline = mean["baseline"] as! [String: Double]
        for key in ["ndcg@3", "ndcg@10", "ndcg", "map", "mrr", "p@3", "p@10", "recall@3", "recall@10", "tau", "spearman", "pearson"] {
            #expect(baseline[key] != nil, "\(key)")
        }
        let settings = doc["settings"] as! [String: Any]
        #expect(settings["provider"] as? String == "lexical")
        let queries = doc["queries"] as! [[String: Any]]
        #expect(queries.count == 32)
        #expect((queries[0]["candidates"] as! [[String: Any]]).first?["baseline_rank"] != nil)
        // Byte-stable output for the same input.
        let again = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--format", "json", "--k", "3,10"])
        let strip = { (s: String) in s.split(separator: "\n").filter { !$0.contains("\"elapsed\"") }.joined(separator: "\n") }
        #expect(strip(again.stdout) == strip(r.stdout))
    }

    @Test func trecFormatIsOneLinePerKeptCandidate() async throws {
        let r = try await eval(["run", "--dataset", "Datasets/personal-memories.jsonl", "--format", "trec", "--top-k", "5"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 36 * 5)
        let f = lines[0].split(separator: " ")
        #expect(f.count == 6)
        #expect(f[1] == "Q0" && f[3] == "1" && f[5] == "rerankbench")
    }

    @Test func csvHasMeanRow() async throws {
        let r = try await eval(["run", "--dataset", "Datasets/personal-memories.jsonl", "--format", "csv"])
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 1 + 36 + 1)
        #expect(lines.last?.hasPrefix("MEAN,") == true)
        #expect(lines[0].hasPrefix("query_id,judged,baseline_ndcg@5,reranked_ndcg@5,delta_ndcg@5"))
    }

    @Test func failUnderGate() async throws {
        let pass = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--quiet", "--fail-under", "ndcg@10=0.5"])
        #expect(pass.status == 0)
        let fail = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--quiet", "--fail-under", "ndcg@10=0.99,map=0.1"])
        #expect(fail.status == 1)
        #expect(fail.stderr.contains("fail-under: ndcg@10 ="))
        #expect(fail.stderr.contains("is below 0.99"))
    }

    @Test func badDatasetExits2WithFileLineField() async throws {
        let path = Fixtures.write(#"{"query_id": "q1", "query": "x", "candidates": [{"id": "a", "text": "t", "score": NaN}]}"# + "\n{\"query_id\": \"q1\"\n")
        let r = try await eval(["run", "--dataset", path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("error: \(path):1: candidates[0].score: NaN is not a finite number"))
        #expect(r.stderr.contains("error: \(path):2: invalid JSON"))
        #expect(!r.stderr.contains("Fatal error"))
        #expect(r.stdout.isEmpty)
    }

    @Test func missingAndEmptyFilesExit2() async throws {
        let missing = try await eval(["run", "--dataset", "/no/such/file.jsonl"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/no/such/file.jsonl: no such file"))
        let empty = try await eval(["run", "--dataset", Fixtures.write("")])
        #expect(empty.status == 2)
        #expect(empty.stderr.contains("empty"))
    }

    @Test func badTemplateExits2WithLineAndColumn() async throws {
        let prompt = Fixtures.write("---\nname: broken\nmode: template\n---\nRate {query}\nagainst {doc}\n", name: "p.txt")
        let r = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--prompt", prompt])
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(prompt):6:9: unknown placeholder {doc}"))
    }

    @Test func usageErrorsExit2() async throws {
        #expect(try await eval(["run"]).status == 2)
        #expect(try await eval(["run", "--dataset", "x.jsonl", "--k", "five"]).status == 2)
        #expect(try await eval(["run", "--dataset", "x.jsonl", "--mode", "sideways"]).status == 2)
        #expect(try await eval(["bogus"]).status == 2)
        let unknownProvider = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--provider", "nope"])
        #expect(unknownProvider.status == 2)
        #expect(unknownProvider.stderr.contains("unknown provider 'nope'"))
    }

    @Test func helpForEveryCommandHasExamples() async throws {
        for cmd in [["run"], ["validate"], ["stats"], ["import", "trec"], ["import", "beir"], ["import", "locomo"], ["import", "mem0"], ["prompts"]] {
            let r = try await eval(cmd + ["--help"])
            #expect(r.status == 0)
            #expect(r.stdout.contains("Example"), "\(cmd)")
        }
    }

    @Test func systemModeWarnsForTemplatePrompt() async throws {
        let r = try await eval(["run", "--dataset", "Datasets/eng-notes.jsonl", "--prompt", "Prompts/mem0-documented-template.txt", "--mode", "system"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("sends {query}/{document} literally"))
    }

    @Test func validateCommand() async throws {
        let ok = try await eval(["validate", "Datasets/personal-memories.jsonl", "Prompts/reasoning-final-score.txt"])
        #expect(ok.status == 0)
        #expect(ok.stdout.contains("36 queries"))
        let bad = try await eval(["validate", Fixtures.write("{}\n")])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains(":1: query_id: missing"))
    }

    @Test func promptsListsShippedPrompts() async throws {
        let r = try await eval(["prompts"])
        #expect(r.status == 0)
        for name in ["mem0-default-system", "mem0-documented-template", "personal-assistant", "contextual-needs", "conversational", "reasoning-final-score"] {
            #expect(r.stdout.contains(name))
        }
    }

    @Test func tiesTrecMatchesTrecOrderInTrecOutput() async throws {
        let r = try await eval(["run", "--dataset", "Datasets/personal-memories.jsonl", "--format", "trec", "--ties", "trec"])
        var previous: (String, Double, String)?
        for line in r.stdout.split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            let current = (f[0], Double(f[4])!, f[2])
            if let p = previous, p.0 == current.0 {
                #expect(p.1 > current.1 || (p.1 == current.1 && Ranker.trecIDOrder(p.2, current.2)))
            }
            previous = current
        }
    }
}

@Suite struct ImportCommandTests {
    @Test func trecImportRoundTrip() async throws {
        let dir = Fixtures.temporaryDirectory()
        Fixtures.write("q1 Q0 d1 1 2.5 bm25\nq1 Q0 d2 2 2.5 bm25\nq1 Q0 d10 3 1.0 bm25\nq2 Q0 d1 1 0.3 bm25\n", name: "run.txt", in: dir)
        Fixtures.write("q1 0 d1 2\nq1 0 d10 1\nq2 0 d1 0\nq3 0 d9 1\n", name: "qrels.txt", in: dir)
        Fixtures.write("q1\tfirst query\nq2\tsecond query\n", name: "queries.tsv", in: dir)
        Fixtures.write("{\"_id\": \"d1\", \"title\": \"T\", \"text\": \"one\"}\n{\"_id\": \"d2\", \"text\": \"two\"}\n{\"_id\": \"d10\", \"text\": \"ten\"}\n", name: "docs.jsonl", in: dir)
        let r = try await CommandRunner.run("rerank-eval", ["import", "trec", "--run", "run.txt", "--qrels", "qrels.txt", "--queries", "queries.tsv", "--docs", "docs.jsonl", "-o", "out.jsonl"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let d = try DatasetLoader().load(path: dir + "/out.jsonl")
        #expect(d.queries.map(\.id) == ["q1", "q2"])
        // Tied 2.5 scores: trec order puts d2 before d1.
        #expect(d.queries[0].candidates.map(\.id) == ["d2", "d1", "d10"])
        #expect(d.queries[0].candidates.map(\.relevance) == [nil, 2, 1])
        #expect(d.queries[0].candidates[1].text == "T. one")
    }

    @Test func trecImportReportsMissingTexts() async throws {
        let dir = Fixtures.temporaryDirectory()
        Fixtures.write("q1 Q0 d1 1 2.5 bm25\nq2 Q0 d7 1 1 bm25\n", name: "run.txt", in: dir)
        Fixtures.write("q1\tfirst\n", name: "queries.tsv", in: dir)
        Fixtures.write("d1\tone\n", name: "docs.tsv", in: dir)
        let r = try await CommandRunner.run("rerank-eval", ["import", "trec", "--run", "run.txt", "--queries", "queries.tsv", "--docs", "docs.tsv", "-o", "out.jsonl"], in: dir)
        #expect(r.status == 2)
        #expect(r.stderr.contains("query \"q2\" of the run (line 2) has no text"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.jsonl"))
    }

    @Test func beirImport() async throws {
        let dir = Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/beir/qrels", withIntermediateDirectories: true)
        Fixtures.write("{\"_id\": \"c1\", \"title\": \"\", \"text\": \"alpha\"}\n{\"_id\": \"c2\", \"text\": \"beta\"}\n", name: "beir/corpus.jsonl", in: dir)
        Fixtures.write("{\"_id\": \"7\", \"text\": \"what is alpha\"}\n", name: "beir/queries.jsonl", in: dir)
        Fixtures.write("query-id\tcorpus-id\tscore\n7\tc1\t1\n", name: "beir/qrels/test.tsv", in: dir)
        Fixtures.write("7 Q0 c2 1 9 run\n7 Q0 c1 2 8 run\n", name: "run.txt", in: dir)
        let r = try await CommandRunner.run("rerank-eval", ["import", "beir", "--folder", "beir", "--run", "run.txt", "-o", "o.jsonl"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let d = try DatasetLoader().load(path: dir + "/o.jsonl")
        #expect(d.queries[0].text == "what is alpha")
        #expect(d.queries[0].candidates.map(\.relevance) == [nil, 1])
    }
}
