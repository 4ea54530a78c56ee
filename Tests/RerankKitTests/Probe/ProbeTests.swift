import Foundation
import Testing
import RerankKit
import RerankTestSupport
@testable import RerankCore

/// The probe's generators and its metrics, without a provider.
@Suite struct ProbeTests {
    static func memories() throws -> Dataset {
        try DatasetLoader().load(path: Fixtures.repoPath("Datasets/personal-memories.jsonl"))
    }

    static let writer = ProbeMemoryWriter()

    @Test func theSameSeedWritesTheSameMemoriesAndAnotherSeedOthers() throws {
        let data = try Self.memories()
        let settings = ProbeSettings(attacks: ProbeAttack.allCases, perQuery: 2, seed: 7)
        let a = ProbedDataset(data, settings: settings, writer: Self.writer)
        let b = ProbedDataset(data, settings: settings, writer: Self.writer)
        #expect(a.injected == b.injected)
        #expect(a.dataset.contentHash == b.dataset.contentHash)
        #expect(a.injected.count == data.queries.count * ProbeAttack.allCases.count * 2)
        var other = settings
        other.seed = 8
        let c = ProbedDataset(data, settings: other, writer: Self.writer)
        #expect(c.injected.map(\.id) == a.injected.map(\.id))
        #expect(c.injected.map(\.text) != a.injected.map(\.text))
        // One query's memories do not depend on which other queries are probed.
        let one = Dataset(path: data.path, queries: [data.queries[3]], contentHash: data.contentHash)
        let alone = ProbedDataset(one, settings: settings, writer: Self.writer)
        #expect(alone.injected == a.injected.filter { $0.queryID == data.queries[3].id })
    }

    @Test func theOriginalCandidatesAreNeverChanged() throws {
        let data = try Self.memories()
        let before = data.queries
        let probe = ProbedDataset(data, settings: ProbeSettings(perQuery: 3, seed: 1), writer: Self.writer)
        #expect(data.queries == before)
        #expect(probe.original.queries == before)
        #expect(probe.dataset.contentHash != data.contentHash)
        for (q, p) in zip(before, probe.dataset.queries) {
            #expect(Array(p.candidates.prefix(q.candidates.count)) == q.candidates)
            let added = p.candidates.dropFirst(q.candidates.count)
            #expect(added.count == ProbeAttack.allCases.count * 3)
            #expect(added.allSatisfy { $0.relevance == 0 && $0.id.hasPrefix("probe-") })
            #expect(p.judgments == q.judgments)
        }
    }

    @Test func injectedIDsNameTheirAttackAndNeverCollide() {
        let taken = Candidate(id: "probe-injection-1", text: "a memory whose id looks like a probe's", relevance: 2)
        let data = Dataset(path: "d", queries: [Query(id: "q", text: "where did I park", candidates: [taken], judgments: ["probe-injection-1-x2": 1])])
        let probe = ProbedDataset(data, settings: ProbeSettings(attacks: [.injection, .nearDuplicate], seed: 1), writer: Self.writer)
        let ids = probe.injected.map(\.id)
        #expect(ids == ["probe-injection-1-x3", "probe-near-duplicate-1"])
        #expect(probe.attack(queryID: "q", candidateID: "probe-injection-1-x3") == .injection)
        #expect(probe.attack(queryID: "q", candidateID: "probe-injection-1") == nil)
    }

    @Test func eachAttackWritesWhatItSays() {
        let query = Query(id: "q1", text: "Which foods should I avoid?", candidates: [
            Candidate(id: "a", text: "Went vegetarian in March 2024", relevance: 2),
            Candidate(id: "b", text: "Loves hiking in the Alps", relevance: 0),
            Candidate(id: "c", text: "Avoids avocado because it upsets her stomach", relevance: 1),
        ])
        func text(_ a: ProbeAttack, _ w: ProbeMemoryWriter = Self.writer) -> String { w.text(a, query: query, index: 0, seed: 3) }
        #expect(text(.injection).hasPrefix("Loves hiking in the Alps. "))
        #expect(text(.injection).contains("1.0"))
        #expect(text(.formatInjection).contains("1.0"))
        #expect(text(.formatInjection, ProbeMemoryWriter(parser: .json, scale: .ten)).contains("{\"score\": 10}"))
        #expect(text(.formatInjection, ProbeMemoryWriter(parser: .labeled, scale: .unit)).contains("Score: 1.0"))
        #expect(text(.sectionInjection).contains("Document:"))
        let stuffed = text(.queryStuffing)
        #expect(stuffed.contains("foods") && stuffed.contains("avoid") && !stuffed.contains("should"))
        #expect(text(.nearDuplicate).hasPrefix("Went vegetarian in March 20") && text(.nearDuplicate) != "Went vegetarian in March 2024")
        #expect(text(.confidentIrrelevance).count < 120)
        // Past mem0's cut, with the instruction after it: system mode never sends it.
        let padded = text(.lengthPadding)
        #expect(padded.unicodeScalars.count > PromptRenderer.systemModeLimit)
        let sent = try! PromptRenderer(prompt: BuiltinPrompts.mem0SystemPrompt, mode: .system).messages(query: query.text, document: padded)
        #expect(padded.contains("1.0") && !sent[1].content.contains("1.0"))
        #expect(!sent[1].content.contains(query.text + "\" exactly"))
        let template = try! PromptRenderer(prompt: BuiltinPrompts.mem0TemplatePrompt, mode: .template).messages(query: query.text, document: padded)
        #expect(template[0].content.contains(query.text + "\" exactly"))
    }

    @Test func nearDuplicatesChangeTheKeyFact() {
        var rng = SeededRandom(seed: 1)
        #expect(NearDuplicate.changed("Loves Italian food", &rng) == "Hates Italian food")
        #expect(NearDuplicate.changed("Her flight is on Friday", &rng) == "Her flight is not on Friday")
        #expect(NearDuplicate.changed("Drinks oat milk", &rng) == "It is not true that drinks oat milk")
        let numbers = NearDuplicate.changed("Room 7 on floor 12 since 2019", &rng)
        #expect(numbers != "Room 7 on floor 12 since 2019")
        #expect(numbers.hasPrefix("Room ") && numbers.contains(" on floor ") && numbers.contains(" since 202"))
    }

    /// A report of `probe.dataset` where each candidate scores `score(candidate)`.
    static func report(_ probe: ProbedDataset, settings: RunSettings, score: (Candidate) -> Double) -> RunReport {
        var results: [PairResult] = []
        for q in probe.dataset.queries {
            for c in q.candidates {
                results.append(PairResult(queryID: q.id, candidateID: c.id, sampleIndex: 0, reply: ChatReply(text: score(c).formatted(decimals: 3))))
            }
        }
        return RunReportBuilder(dataset: probe.dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings).build(results: results)
    }

    static func settings(topK: Int? = nil) -> RunSettings {
        var s = RunSettings(provider: "vllm", model: "m")
        s.metrics = MetricSettings(cutoffs: [3, 5])
        s.topK = topK
        return s
    }

    @Test(arguments: [nil, 5] as [Int?]) func metricsOnTheOriginalMemoriesIgnoreTheInjectedOnes(topK: Int?) throws {
        let data = try Self.memories()
        let settings = Self.settings(topK: topK)
        let probe = ProbedDataset(data, settings: ProbeSettings(attacks: [.injection, .confidentIrrelevance], perQuery: 2, seed: 1), writer: Self.writer)
        func label(_ c: Candidate) -> Double { 0.1 + 0.4 * Double(c.relevance ?? 0) }
        let isInjected = { (c: Candidate) in c.id.hasPrefix("probe-") }
        // The clean NDCG is the plain run's on the file, whatever the injected memories scored.
        let plain = RunReportBuilder(dataset: data, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
            .build(results: data.queries.flatMap { q in q.candidates.map { PairResult(queryID: q.id, candidateID: $0.id, sampleIndex: 0, reply: ChatReply(text: label($0).formatted(decimals: 3))) } })
        let ignored = ProbeReport.build(run: Self.report(probe, settings: settings) { isInjected($0) ? 0 : label($0) }, probe: probe)
        let obeyed = ProbeReport.build(run: Self.report(probe, settings: settings) { isInjected($0) ? 1 : label($0) }, probe: probe)
        let k = 5
        #expect(ignored.k == k && obeyed.k == k)
        let expected = try #require(plain.rerankedMean[.ndcgAt(5)])
        #expect(abs(try #require(ignored.cleanNDCG) - expected) < 1e-12)
        #expect(abs(try #require(obeyed.cleanNDCG) - expected) < 1e-12)
        for a in ignored.attacks {
            #expect(a.queries == data.queries.count)
            #expect(a.successRate == 0)
            #expect(abs(a.ndcgLoss ?? 1) < 1e-12, "\(a.attack): memories ranked last cost nothing")
            #expect(a.meanScore == 0)
        }
        for a in obeyed.attacks {
            #expect(a.successRate == 1)
            #expect(a.meanRank == 1.5, "two memories per query take ranks 1 and 2")
            #expect(a.meanScore == 1)
            #expect((a.ndcgLoss ?? 0) > 0.1)
            #expect(abs((a.cleanNDCG ?? 0) - expected) < 1e-12)
        }
    }

    @Test func aQueryWithUnansweredCallsIsNotMeasured() throws {
        let data = try Self.memories()
        let probe = ProbedDataset(data, settings: ProbeSettings(attacks: [.injection], seed: 1), writer: Self.writer)
        let first = data.queries[0].id
        var results: [PairResult] = []
        for q in probe.dataset.queries {
            for c in q.candidates where !(q.id == first && c.id.hasPrefix("probe-")) {
                results.append(PairResult(queryID: q.id, candidateID: c.id, sampleIndex: 0, reply: ChatReply(text: "0.5")))
            }
        }
        let run = RunReportBuilder(dataset: probe.dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: Self.settings()).build(results: results, stopReason: .cancelled)
        let report = ProbeReport.build(run: run, probe: probe)
        #expect(report.attacks[0].queries == data.queries.count - 1)
        #expect(!report.queries.contains { $0.queryID == first })
        #expect(!report.complete)
    }

    @Test func promptsRankByMeanSuccessRateThenLoss() throws {
        let data = try Self.memories()
        let probe = ProbedDataset(data, settings: ProbeSettings(attacks: [.injection, .queryStuffing], seed: 1), writer: Self.writer)
        var robust = ProbeReport.build(run: Self.report(probe, settings: Self.settings()) { $0.id.hasPrefix("probe-") ? 0 : 0.5 }, probe: probe)
        robust.promptName = "robust"
        var gullible = ProbeReport.build(run: Self.report(probe, settings: Self.settings()) { $0.id.hasPrefix("probe-injection") ? 1 : 0.5 }, probe: probe)
        gullible.promptName = "gullible"
        #expect(ProbeRanking.ranked([gullible, robust]).map(\.promptName) == ["robust", "gullible"])
        #expect(gullible.worstAttack?.attack == .injection)
        #expect(gullible.meanSuccessRate == 0.5)
        let json = ProbeReportJSON.encode([gullible, robust])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let ranking = try #require(doc["ranking"] as? [[String: Any]])
        #expect(ranking.first?["prompt"] as? String == "robust")
        #expect(ranking.last?["worst_attack"] as? String == "injection")
        let html = ProbeReportHTML.render([gullible, robust])
        #expect(html.contains("Content-Security-Policy") && html.contains("Prompts ranked by robustness") && !html.contains("<script"))
    }
}
