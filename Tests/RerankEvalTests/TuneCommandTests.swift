import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// `rerank-eval tune` as a user runs it, against the loopback server playing proposer and scorer.
@Suite(.serialized) struct TuneCommandTests {
    struct Setup {
        var server: FakeProviderServer
        var directory: String
        var dataset: String
        var store: String

        init(magicFromRound: Int = 1, delay: Double = 0) throws {
            directory = Fixtures.temporaryDirectory()
            let text = TuneFakeModel.datasetText(dev: 16, test: 10)
            dataset = Fixtures.write(text, name: "split.jsonl", in: directory)
            let model = TuneFakeModel(dataset: try DatasetLoader().load(path: dataset), magicFromRound: magicFromRound)
            server = try FakeProviderServer { r, _ in
                guard delay > 0, TuneFakeModel.isProposal(r) else { return model.reply(r) }
                // Proposals take a while, so a test can stop the tune between them.
                if case let .respond(status, headers, body, _) = model.reply(r) { return .respond(status: status, headers: headers, body: body, delay: delay) }
                return model.reply(r)
            }
            store = (directory as NSString).appendingPathComponent("s.sqlite")
        }

        var environment: [String: String] {
            var env = ProcessInfo.processInfo.environment
            for name in ["OPENAI_API_KEY", "OPENAI_BASE_URL"] { env[name] = nil }
            env["RERANKBENCH_STORE"] = store
            return env
        }

        func tune(_ extra: [String]) async throws -> CommandResult {
            try await CommandRunner.run("rerank-eval", ["tune"] + extra, in: directory, environment: environment)
        }

        var provider: [String] { ["--provider", "openai", "--model", "m", "--api-key", "sk-test", "--base-url", server.baseURL + "/v1"] }
    }

    @Test func tunesWritesTheWinnerAndShowsTheLineage() async throws {
        let s = try Setup()
        defer { s.server.stop() }
        let r = try await s.tune(["--dataset", "split.jsonl"] + s.provider + ["--rounds", "2", "--minibatch", "6", "--seed", "3", "--name", "eng tuned", "--out-dir", "out", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("improved on dev, confirmed on test"), "\(r.stdout)")
        #expect(r.stdout.contains("├── ") || r.stdout.contains("└── "))
        let card = try ScoringPrompt.load(path: (s.directory as NSString).appendingPathComponent("out/eng-tuned.txt"))
        #expect(card.text.contains(TuneFakeModel.magic))
        #expect(card.extraFrontMatter["tune"] == "1")
        #expect(card.extraFrontMatter["tune_verdict"]?.hasPrefix("improved on dev, confirmed on test") == true)
        #expect(card.extraFrontMatter["derived_from"] == BuiltinPrompts.mem0SystemPrompt.name)
        let config = try String(contentsOfFile: (s.directory as NSString).appendingPathComponent("out/eng-tuned.mem0.yaml"), encoding: .utf8)
        #expect(config.contains("llm_reranker") || config.contains("reranker"))
        #expect(!config.contains("sk-test"), "no key is ever written")
        let show = try await s.tune(["show", "last"])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("#0  start"))
        #expect(show.stdout.contains("accepted"))
        #expect(show.stdout.contains("critique: Memories that share words"))
        #expect(show.stdout.contains("discarded"))
    }

    @Test func estimateStopsBeforeAnyCall() async throws {
        let s = try Setup()
        defer { s.server.stop() }
        let r = try await s.tune(["--dataset", "split.jsonl"] + s.provider + ["--rounds", "2", "--max-calls", "300", "--estimate"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("estimate: at most 300 calls"), "\(r.stdout)")
        #expect(r.stdout.contains("capped by --max-calls 300"))
        #expect(s.server.requests.isEmpty)
    }

    @Test func refusesWhatCannotBeTuned() async throws {
        let s = try Setup()
        defer { s.server.stop() }
        let lexical = try await s.tune(["--dataset", "split.jsonl", "--provider", "lexical"])
        #expect(lexical.status == 2)
        #expect(lexical.stderr.contains("--provider lexical") && lexical.stderr.contains("ignores the prompt"), "\(lexical.stderr)")
        #expect(!lexical.stderr.contains("Stack") && !lexical.stderr.contains("Fatal"))
        let unsplit = Fixtures.write("{\"query_id\": \"a\", \"query\": \"x\", \"candidates\": [{\"id\": \"1\", \"text\": \"y\", \"relevance\": 1}]}\n", name: "plain.jsonl", in: s.directory)
        let noSplit = try await s.tune(["--dataset", unsplit] + s.provider)
        #expect(noSplit.status == 2)
        #expect(noSplit.stderr.contains("held-out split") && noSplit.stderr.contains("rerank-eval split"), "\(noSplit.stderr)")
        let split = try await s.tune(["--dataset", "split.jsonl", "--split", "test"] + s.provider)
        #expect(split.status == 2)
        #expect(split.stderr.contains("leave out --split"), "\(split.stderr)")
        #expect(s.server.requests.isEmpty)
    }

    @Test func aKilledTuneResumesItsLineage() async throws {
        let s = try Setup(magicFromRound: 2, delay: 0.05)
        defer { s.server.stop() }
        let args = ["tune", "--dataset", "split.jsonl"] + s.provider + ["--rounds", "3", "--patience", "3", "--minibatch", "6", "--seed", "3", "--out-dir", "out", "--quiet"]
        let process = try await CommandRunner.start("rerank-eval", args, in: s.directory, environment: s.environment)
        // Kill once round 1 is stored and round 2 has begun asking the proposer.
        let deadline = Date().addingTimeInterval(180)
        var before: TuneLineage?
        while Date() < deadline {
            if let t = try? RunStore(path: s.store).tune(id: 1), t.lineage.roundsCompleted >= 1,
               t.lineage.candidates.contains(where: { $0.round == 2 }) {
                before = t.lineage
                break
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        process.signal(SIGKILL)
        _ = try await process.exit()
        let killed = try #require(before)
        let proposalsBefore = s.server.requests.filter(TuneFakeModel.isProposal).count
        let resumed = try await s.tune(["--resume", "last", "--api-key", "sk-test", "--base-url", s.server.baseURL + "/v1", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let after = try #require(try RunStore(path: s.store).tune(id: 1)).lineage
        #expect(after.finished)
        for c in killed.candidates where c.round >= 1 && c.status != .proposed {
            #expect(after[c.number]?.text == c.text && after[c.number]?.round == c.round, "candidate #\(c.number) changed")
        }
        #expect(after.roundsCompleted == 3)
        #expect(after.bestCandidate.text.contains(TuneFakeModel.magic))
        // Round 1's proposals were not asked for again.
        let later = s.server.requests.filter(TuneFakeModel.isProposal).dropFirst(proposalsBefore)
        #expect(!later.contains { $0.body.contains("in round 1;") })
        #expect(resumed.stdout.contains("improved on dev, confirmed on test"), "\(resumed.stdout)")
    }
}
