import Foundation
import Synchronization
import RerankKit
import RerankTestSupport
import Testing

/// The tuner end to end over the loopback server (OpenAI wire format), which plays both the
/// proposer and a scorer that ranks by the labels only for a prompt with its magic instruction.
@Suite(.serialized) struct PromptTunerTests {
    struct Harness {
        var server: FakeProviderServer
        var store: RunStore
        var dataset: Dataset
        var settings: RunSettings
        var provider: any ChatProvider
        var spec: ProviderSpec

        init(dev: Int = 16, test: Int = 10, magicFromRound: Int = 1) throws {
            dataset = try DatasetLoader().load(path: Fixtures.write(TuneFakeModel.datasetText(dev: dev, test: test)))
            let model = TuneFakeModel(dataset: dataset, magicFromRound: magicFromRound)
            server = try FakeProviderServer { r, _ in model.reply(r) }
            store = try RunStore(path: (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("s.sqlite"))
            var recipe = RunRecipe.named("vllm", model: "m", baseURL: server.baseURL + "/v1")
            recipe.route = .chat
            recipe.split = .dev
            let resolved = try RunResolver(environment: [:]).resolve(recipe, dataset: dataset)
            settings = resolved.settings
            spec = resolved.provider
            provider = try ProviderFactory.make(resolved.provider, dataset: resolved.dataset)
        }

        func tuner(_ tune: TuneSettings, id: Int64) -> PromptTuner {
            let scorer = StoreTuneScorer(store: store, provider: provider, spec: spec, dataset: dataset, settings: settings, tuneID: id)
            return PromptTuner(settings: tune, runSettings: settings, dataset: dataset, start: BuiltinPrompts.mem0SystemPrompt,
                               proposer: provider, proposerModel: "m", scorer: scorer, journal: StoreTuneJournal(store: store, tuneID: id))
        }

        func begin(_ tune: TuneSettings) throws -> Int64 {
            let setup = TuneSetup(settings: tune, runSettings: settings, start: BuiltinPrompts.mem0SystemPrompt, proposerProvider: "vllm",
                                  proposerModel: "m", proposerBaseURL: nil, outputName: "t", outputDirectory: "Prompts")
            return try store.beginTune(setup: setup, dataset: dataset, lineage: TuneLineage(start: BuiltinPrompts.mem0SystemPrompt))
        }

        var proposalRequests: [RecordedRequest] { server.requests.filter(TuneFakeModel.isProposal) }
    }

    @Test func findsTheMagicInstructionAndTheTestSplitConfirmsIt() async throws {
        let h = try Harness(magicFromRound: 2)
        defer { h.server.stop() }
        let settings = TuneSettings(rounds: 4, candidates: 4, minibatch: 6, maxCalls: 2000, seed: 3, patience: 2)
        let id = try h.begin(settings)
        let events = Mutex<[String]>([])
        let lineage = await h.tuner(settings, id: id).run { e in
            if case let .candidate(c) = e { events.withLock { $0.append("\(c.number):\(c.status.rawValue)") } }
        }
        #expect(lineage.finished, "\(String(describing: lineage.stopReason))")
        let best = lineage.bestCandidate
        #expect(best.text.contains(TuneFakeModel.magic))
        #expect(best.round == 2, "the proposer suggests it from round 2 on")
        #expect(best.status == .accepted)
        #expect((best.devDelta ?? 0) > 0.1)
        let confirmation = try #require(lineage.confirmation)
        #expect(confirmation.verdict == .confirmed, "\(confirmation.summary)")
        #expect(confirmation.summary.hasPrefix("improved on dev, confirmed on test"))
        #expect(confirmation.comparison.queryIDs.count == 10)
        // Within the budget; every call counted (the server saw exactly the calls the lineage says).
        #expect(lineage.calls <= 2000)
        #expect(lineage.calls == h.server.requests.count)
        // Two proposals per round are malformed or invalid: discarded and counted, never scored.
        #expect(lineage.discarded == 2 * lineage.roundsCompleted)
        let discarded = lineage.candidates.filter { $0.status == .discarded }
        #expect(discarded.contains { $0.note?.contains("no <critique> tag") == true })
        #expect(discarded.contains { $0.note?.contains("output instruction") == true })
        #expect(discarded.allSatisfy { $0.runIDs.isEmpty && $0.calls == 1 })
        // The proposer never saw a test query or memory.
        #expect(!h.proposalRequests.isEmpty)
        for r in h.proposalRequests { #expect(!r.body.contains("held-out"), "a proposer request carries a test query") }
        // Scoring requests of the test split are only the confirmation's: start and best, once each.
        let testScoring = h.server.requests.filter { $0.pair?.query.contains("held-out") == true }
        #expect(testScoring.count == 2 * 10 * 4)
        #expect(try h.store.testLookCount(datasetHash: h.dataset.contentHash) == 1)
        // The lineage in the store is the one returned.
        let stored = try #require(try h.store.tune(id: id))
        #expect(stored.lineage == lineage)
        #expect(stored.status == "finished")
        #expect(events.withLock { $0 }.contains("\(best.number):accepted"))
    }

    @Test func aBudgetOfNCallsMakesAtMostNCalls() async throws {
        for cap in [150, 250, 330] {
            let h = try Harness()
            defer { h.server.stop() }
            let settings = TuneSettings(rounds: 8, candidates: 4, minibatch: 6, maxCalls: cap, seed: 1, patience: 8)
            let lineage = await h.tuner(settings, id: try h.begin(settings)).run()
            #expect(h.server.requests.count <= cap, "cap \(cap): \(h.server.requests.count) calls")
            #expect(lineage.calls == h.server.requests.count)
            guard case .callBudget(_, cap)? = lineage.stopReason else {
                Issue.record("cap \(cap): stopped for \(String(describing: lineage.stopReason))")
                continue
            }
            // The calls reserved for the confirmation were there when the search stopped.
            #expect(lineage.finished)
            if cap >= 250 { #expect(lineage.confirmation?.verdict == .confirmed, "cap \(cap)") }
        }
    }

    @Test func theSameSeedMakesTheSameLineage() async throws {
        var texts: [[String]] = []
        var minibatches: [[Int?]] = []
        var proposals: [[String]] = []
        for _ in 0..<2 {
            let h = try Harness(dev: 12, test: 8)
            defer { h.server.stop() }
            let settings = TuneSettings(rounds: 2, candidates: 4, minibatch: 4, seed: 11, patience: 2)
            let lineage = await h.tuner(settings, id: try h.begin(settings)).run()
            texts.append(lineage.candidates.map(\.text))
            minibatches.append(lineage.candidates.map(\.minibatchQueries))
            proposals.append(h.proposalRequests.map(\.body).sorted())
        }
        #expect(texts[0] == texts[1])
        #expect(minibatches[0] == minibatches[1])
        #expect(proposals[0] == proposals[1], "the failure examples shown depend on the seed only")
    }

    @Test func aStoppedTuneContinuesItsLineageWithoutAskingAgain() async throws {
        let h = try Harness(magicFromRound: 2)
        defer { h.server.stop() }
        let settings = TuneSettings(rounds: 3, candidates: 4, minibatch: 6, seed: 3, patience: 3)
        let id = try h.begin(settings)
        // Stop as soon as round 2 has its first proposal: the next step sees the cancellation.
        let handle = Mutex<Task<TuneLineage, Never>?>(nil)
        let task = Task {
            await h.tuner(settings, id: id).run { event in
                if case let .candidate(c) = event, c.round == 2 { handle.withLock { $0?.cancel() } }
            }
        }
        handle.withLock { $0 = task }
        let stopped = await task.value
        #expect(stopped.stopReason == .cancelled)
        #expect(!stopped.finished)
        let before = try #require(try h.store.tune(id: id)).lineage
        #expect(before.roundsCompleted == 1)
        #expect(before.candidates.contains { $0.round == 2 })
        let requestsBefore = h.server.requests.count
        let resumed = await h.tuner(settings, id: id).run(continuing: before)
        #expect(resumed.finished)
        // The first round's candidates are kept as they were; numbering goes on.
        for c in before.candidates where c.round == 1 { #expect(resumed[c.number]?.text == c.text) }
        #expect(Set(resumed.candidates.map(\.number)).count == resumed.candidates.count)
        #expect(resumed.bestCandidate.text.contains(TuneFakeModel.magic))
        // No proposal of round 1 was asked for again, and round 2's made before the stop were reused.
        let later = h.server.requests.dropFirst(requestsBefore).filter(TuneFakeModel.isProposal)
        #expect(!later.contains { $0.body.contains("in round 1;") })
        let round2 = h.proposalRequests.filter { $0.body.contains("in round 2;") }
        #expect(round2.count == settings.candidates)
        #expect(resumed.calls > before.calls)
    }
}
