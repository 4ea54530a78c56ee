import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// The estimate before a run (characters / 4 tokens in, max_tokens or 8 out) and the cost a
/// report shows after it: that of the replies used, cached or not; and the budget, which
/// counts only the calls made.
@Suite struct CostEstimateTests {
    // One query, two candidates. System mode sends "Score." and "Query: q\n\nDocument: <text>":
    // 6 + 8 and 24 + 8 characters for "abcd" (46), 6 + 8 and 28 + 8 for "abcdefgh" (50).
    let dataset = Dataset(path: "d", queries: [Query(id: "q", text: "q", candidates: [
        Candidate(id: "c1", text: "abcd"), Candidate(id: "c2", text: "abcdefgh")])])
    let prompt = ScoringPrompt(name: "p", mode: .system, text: "Score.")
    let prices = PriceTable(models: ["gpt-test": .init(input: 2, output: 10)], freeProviders: ["ollama"])

    func estimate(provider: String = "openai", model: String = "gpt-test", samples: Int = 2, maxTokens: Int?) throws -> CostEstimate {
        var settings = RunSettings(provider: provider, model: model, samples: samples)
        settings.maxTokens = maxTokens
        return CostEstimate(plan: try RunPlan(dataset: dataset, prompt: prompt, settings: settings), settings: settings, prices: prices)
    }

    @Test func tokensFromCharactersAndMaxTokens() throws {
        // Four calls: 2 x 46 + 2 x 50 = 192 characters, 48 tokens in.
        let e = try estimate(maxTokens: 5)
        #expect(e.calls == 4 && e.inputTokens == 48)
        #expect(e.maxOutputTokens == 20 && e.likelyOutputTokens == 20, "a likely reply of 8 tokens is cut to max_tokens 5")
        // $2 and $10 per million: likely and max are both (48 x 2 + 20 x 10) / 1e6.
        #expect(abs(e.likelyCost! - 0.000296) < 1e-15 && abs(e.maxCost! - 0.000296) < 1e-15)
    }

    @Test func withoutMaxTokensMem0sHundredIsTheUpperBound() throws {
        let e = try estimate(samples: 1, maxTokens: nil)
        #expect(e.calls == 2 && e.inputTokens == 24)
        #expect(e.likelyOutputTokens == 16 && e.maxOutputTokens == 200)
        #expect(abs(e.likelyCost! - (24 * 2 + 16 * 10) / 1e6) < 1e-15)
        #expect(abs(e.maxCost! - (24 * 2 + 200 * 10) / 1e6) < 1e-15)
    }

    @Test func unknownModelsHaveTokensButNoCostAndFreeProvidersCostZero() throws {
        let unknown = try estimate(model: "mystery", maxTokens: 5)
        #expect(unknown.inputTokens == 48 && unknown.likelyCost == nil && unknown.maxCost == nil)
        let free = try estimate(provider: "ollama", model: "mystery", maxTokens: 5)
        #expect(free.likelyCost == 0 && free.maxCost == 0)
    }

    // MARK: After a run

    @Test func reportCostIsThatOfTheRepliesUsedCachedOrNot() {
        // PoolReportFixture: five replies of 100 + 2 tokens at $2 / $10: (1000 + 100) / 1e6.
        var report = PoolReportFixture.report()
        #expect(report.counts.usage == TokenUsage(promptTokens: 500, completionTokens: 10))
        #expect(abs(report.cost! - 0.0011) < 1e-15)
        // A failed call brought no reply and no tokens.
        var results = PoolReportFixture.results
        results[0] = PairResult(queryID: "q1", candidateID: "b", sampleIndex: 0, reply: nil, error: "HTTP 500")
        let failed = RunReportBuilder(dataset: PoolReportFixture.dataset, prompt: BuiltinPrompts.mem0SystemPrompt,
                                      settings: PoolReportFixture.settings(), prices: PoolReportFixture.prices).build(results: results)
        #expect(abs(failed.cost! - (400 * 2 + 8 * 10) / 1e6) < 1e-15)
        // Unknown model: no cost rather than a wrong one.
        var unknown = PoolReportFixture.settings()
        unknown.model = "mystery"
        #expect(RunReportBuilder(dataset: PoolReportFixture.dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: unknown,
                                 prices: PoolReportFixture.prices).build(results: PoolReportFixture.results).cost == nil)
        // The report of a run answered from the cache shows the same tokens and cost (README:
        // "Report costs and tokens are those of the replies used").
        report.counts.cached = 5
        #expect(abs(report.cost! - 0.0011) < 1e-15)
    }

    /// Answers every call with 1000 prompt tokens: $0.001 each at $1 per million.
    struct ThousandTokens: ChatProvider {
        var name: String { "openai" }
        func complete(_ request: ChatRequest) async throws -> ChatReply {
            ChatReply(text: "0.5", usage: TokenUsage(promptTokens: 1000, completionTokens: 0))
        }
    }

    @Test func theBudgetCountsOnlyCallsMadeNotPairsAnsweredFromTheCache() async throws {
        var settings = RunSettings(provider: "openai", model: "gpt-test", concurrency: 1)
        settings.maxCost = 0.0035
        let prices = PriceTable(models: ["gpt-test": .init(input: 1, output: 1)])
        let dataset = PoolReportFixture.dataset
        let plan = try RunPlan(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
        let runner = RerankRunner(provider: ThousandTokens(), settings: settings, prices: prices)
        // Five calls to make: the fourth reaches $0.004 >= $0.0035 and the run stops there.
        let all = await runner.run(plan, dataset: dataset)
        #expect(all.results.count == 4)
        guard case let .budget(spent, limit) = all.stopReason else {
            Issue.record("expected a budget stop, got \(String(describing: all.stopReason))")
            return
        }
        #expect(abs(spent - 0.004) < 1e-12 && limit == 0.0035)
        // Two pairs already answered (from the cache): three calls, $0.003, under the limit.
        let cached = Set([("q1", "b"), ("q2", "n1")].map { PairResult(queryID: $0.0, candidateID: $0.1, sampleIndex: 0, reply: nil).key })
        let rest = await runner.run(plan, dataset: dataset, skip: cached)
        #expect(rest.results.count == 3 && rest.stopReason == nil)
    }

    /// The estimate counts characters without rendering; it must count what rendering holds.
    @Test func countedCharactersEqualTheRenderedOnes() throws {
        let long = String(repeating: "memory ", count: 700)  // 4,900 characters: cut to 4,000 in system mode
        let data = Dataset(path: "d", queries: [
            Query(id: "q1", text: "What foods should I avoid? 🥜", candidates: [
                Candidate(id: "a", text: "Allergic to peanuts"), Candidate(id: "b", text: long), Candidate(id: "c", text: "café ☕️ 日本語"),
                // "\r\n" is one character; ASCII without it is counted by bytes.
                Candidate(id: "e", text: "line one\r\nline two"), Candidate(id: "f", text: String(repeating: "ab\r\n", count: 1_200))]),
            Query(id: "q2", text: long, candidates: [Candidate(id: "d", text: "x")]),
        ])
        let prompts = [ScoringPrompt(name: "s", mode: .system, text: "Score the memory.\nOnly a number."),
                       ScoringPrompt(name: "t", mode: .template, text: "Q: {query}\nD: {document}\nAgain: {query}\nScore:")]
        for prompt in prompts {
            for samples in [1, 3] {
                var settings = RunSettings(provider: "openai", model: "gpt-test", mode: prompt.mode ?? .system, samples: samples)
                settings.maxTokens = 5
                let plan = try RunPlan(dataset: data, prompt: prompt, settings: settings)
                let rendered = plan.tasks.reduce(0) { $0 + $1.request.messages.reduce(0) { $0 + $1.content.count + 8 } }
                #expect(plan.renderedCharacters(perMessage: 8) == rendered, "\(prompt.name), \(samples) samples")
            }
        }
        let lexical = try RunPlan(dataset: data, prompt: prompts[0], settings: RunSettings())
        #expect(lexical.renderedCharacters(perMessage: 8) == 0, "the lexical baseline is sent no prompt")
    }
}
