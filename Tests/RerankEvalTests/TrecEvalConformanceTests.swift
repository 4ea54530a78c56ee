import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// RerankBench's metrics against trec_eval itself (through pytrec_eval, which `.ci/run` installs:
/// `pip install pytrec-eval-terrier`), on datasets this test generates: hundreds of queries, graded
/// labels, unjudged candidates, tied scores, ids that sort differently as bytes and as numbers.
@Suite(.enabled("needs python3 with pytrec_eval: pip install pytrec-eval-terrier") { await TrecEval.isAvailable() })
struct TrecEvalConformanceTests {
    /// Random dataset whose texts make the lexical scorer tie often (shared and absent words).
    static func dataset(seed: UInt64, queries: Int, withOutsideJudgments: Bool = false) -> String {
        var rng = TestRandom(seed: seed)
        let words = ["alpha", "beta", "gamma", "delta", "kappa", "omega", "sigma", "theta"]
        var lines: [String] = []
        for q in 0..<queries {
            let n = Int(rng.next() % 18) + 1
            let query = (0..<3).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
            var cands: [String] = []
            for c in 0..<n {
                let text = (0..<Int(rng.next() % 3)).map { _ in words[Int(rng.next() % UInt64(words.count))] }.joined(separator: " ")
                let id = ["D\(c)", "d\(c + 10)", "\(c * 7)", "x-\(c)"][Int(rng.next() % 4)] + "_\(c)"
                var fields = ["\"id\": \"\(id)\"", "\"text\": \"\(text) filler\(c)\""]
                if rng.next() % 5 != 0 { fields.append("\"relevance\": \(Int(rng.next() % 4))") }
                fields.append("\"score\": \(Double(rng.next() % 4) / 4)")
                cands.append("{" + fields.joined(separator: ", ") + "}")
            }
            // Judged documents the first stage missed (most real qrels have them): none for
            // some queries, only irrelevant ones for others, relevant ones for most.
            var outside: [String] = []
            if withOutsideJudgments {
                for j in 0..<Int(rng.next() % 6) {
                    outside.append("\"missed-\(j)\": \(Int(rng.next() % 4))")
                }
            }
            let judgments = outside.isEmpty ? "" : ", \"judgments\": {\(outside.joined(separator: ", "))}"
            lines.append("{\"query_id\": \"q\(q)\", \"query\": \"\(query)\", \"candidates\": [\(cands.joined(separator: ", "))]\(judgments)}")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same metrics with and without judgments outside the pool: trec_eval counts every
    /// judged document in R and IDCG (the default, `--judged all`); `--judged pool` equals
    /// trec_eval given only the candidates' labels.
    @Test(arguments: [(UInt64(1), "5,10", false, JudgedScope.all), (UInt64(2), "1,3,20", false, .all),
                      (UInt64(3), "5,10", true, .all), (UInt64(4), "1,3,20", true, .all), (UInt64(5), "5,10", true, .pool)])
    func rerankedMetricsEqualTrecEval(seed: UInt64, cutoffs: String, outside: Bool, scope: JudgedScope) async throws {
        let dir = Fixtures.temporaryDirectory()
        let data = Fixtures.write(Self.dataset(seed: seed, queries: 300, withOutsideJudgments: outside), name: "data.jsonl", in: dir)
        let common = ["run", "--dataset", data, "--ties", "trec", "--k", cutoffs, "--judged", scope.rawValue, "--quiet"]
        let json = try await CommandRunner.run("rerank-eval", common + ["--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let trec = try await CommandRunner.run("rerank-eval", common + ["--format", "trec"])
        let runPath = Fixtures.write(trec.stdout, name: "run.txt", in: dir)
        let qrelsPath = Fixtures.write(try TRECRunWriter.qrels(try DatasetLoader().load(path: data), scope: scope), name: "qrels.txt", in: dir)
        let reference = try await TrecEval.perQuery(qrels: qrelsPath, run: runPath, cutoffs: cutoffs)

        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        var compared = 0
        for q in doc["queries"] as! [[String: Any]] {
            let id = q["query_id"] as! String
            // trec_eval skips queries without judgments.
            guard let expected = reference[id] else { continue }
            let ours = q["reranked"] as! [String: Double]
            for (metric, value) in expected {
                let mine = try #require(ours[metric], "\(id) \(metric)")
                #expect(abs(mine - value) < 1e-9, "\(id) \(metric): ours \(mine), trec_eval \(value)")
                compared += 1
            }
        }
        #expect(compared > 2000)
    }

    /// The first-stage order, written as a run with its own scores, gives the baseline metrics
    /// when no first-stage scores tie (trec_eval would re-sort ties by docid).
    @Test func baselineEqualsTrecEvalOnDistinctScores() async throws {
        var text = ""
        var rng = TestRandom(seed: 9)
        for q in 0..<200 {
            let n = Int(rng.next() % 15) + 1
            let cands = (0..<n).map { c in
                "{\"id\": \"m\(c)\", \"text\": \"t\", \"relevance\": \(Int(rng.next() % 3)), \"score\": \(1.0 - Double(c) / 100 - Double(rng.next() % 1000) / 1e7)}"
            }
            text += "{\"query_id\": \"\(q)\", \"query\": \"q\", \"candidates\": [\(cands.joined(separator: ","))]}\n"
        }
        let dir = Fixtures.temporaryDirectory()
        let data = Fixtures.write(text, name: "d.jsonl", in: dir)
        let dataset = try DatasetLoader().load(path: data)
        let reference = try await TrecEval.perQuery(qrels: Fixtures.write(try TRECRunWriter.qrels(dataset), name: "qrels", in: dir),
                                              run: Fixtures.write(try TRECRunWriter.baselineRun(dataset), name: "run", in: dir), cutoffs: "5,10")
        let json = try await CommandRunner.run("rerank-eval", ["run", "--dataset", data, "--format", "json", "--quiet"])
        let doc = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        for q in doc["queries"] as! [[String: Any]] {
            guard let expected = reference[q["query_id"] as! String] else { continue }
            let ours = q["baseline"] as! [String: Double]
            for (metric, value) in expected {
                #expect(abs(ours[metric]! - value) < 1e-9, "\(metric)")
            }
        }
    }
}

enum TrecEval {
    static let script = Fixtures.repoPath("Tests/Conformance/pytrec_metrics.py")

    /// Checked once, without blocking a thread: a static initialiser that waited for python
    /// held every thread that touched it (swift_once) at the start of the run.
    static func isAvailable() async -> Bool { await Availability.shared.value() }

    actor Availability {
        static let shared = Availability()
        private var known: Bool?

        func value() async -> Bool {
            if let known { return known }
            let r = try? await CommandRunner.run(executable: URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import pytrec_eval"])
            let ok = r?.status == 0
            known = ok
            return ok
        }
    }

    static func python(_ args: [String]) async throws -> CommandResult {
        try await CommandRunner.run(executable: URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + args)
    }

    static func perQuery(qrels: String, run: String, cutoffs: String) async throws -> [String: [String: Double]] {
        let r = try await python([script, qrels, run, cutoffs])
        guard r.status == 0 else { throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
        return try JSONDecoder().decode([String: [String: Double]].self, from: Data(r.stdout.utf8))
    }
}

struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
