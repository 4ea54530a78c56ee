import Foundation
import RerankKit
import RerankTestSupport
import Testing

/// A replay asks what its recording asked: the recording's prompt and mode unless the recipe
/// names others, and no run at all when the recording cannot answer the plan.
@Suite struct ReplayRecipeTests {
    static let data = Fixtures.dataset(queries: 3, candidates: 4)
    static let prompt = ScoringPrompt(name: "terse", text: "Query: {query}\nDocument: {document}\nScore 0 to 1.")

    /// A recording of `prompt` in template mode, answering every call; `keepText: false` writes
    /// it as recordings were written before they held the prompt.
    static func recording(keepText: Bool = true) throws -> String {
        var settings = RunSettings(provider: "openai", model: "gpt-test", mode: .template, parser: .lastNumber)
        settings.metrics = MetricSettings(cutoffs: [3])
        let plan = try RunPlan(dataset: data, prompt: prompt, settings: settings)
        let results = plan.tasks.map { t in
            PairResult(queryID: data.queries[t.queryIndex].id, candidateID: data.queries[t.queryIndex].candidates[t.candidateIndex].id,
                       sampleIndex: t.sampleIndex, reply: ChatReply(text: "0.5"))
        }
        var text = Recording.write(results: results, plan: plan, dataset: data, prompt: prompt, settings: settings, runID: 1)
        if !keepText {
            var lines = text.split(separator: "\n").map(String.init)
            var header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
            for key in ["prompt_text", "mode", "parser", "scale"] { header[key] = nil }
            lines[0] = String(decoding: try JSONSerialization.data(withJSONObject: header), as: UTF8.self)
            text = lines.joined(separator: "\n") + "\n"
        }
        return Fixtures.write(text, name: "rec.jsonl")
    }

    static func replay(_ path: String) -> RunRecipe {
        var recipe = RunRecipe()
        recipe.replay = path
        return recipe
    }

    static func error(_ recipe: RunRecipe) -> RecipeError? {
        do { _ = try RunResolver(environment: [:]).resolve(recipe, dataset: data) } catch { return error }
        return nil
    }

    @Test func aReplayUsesTheRecordingsPromptModeAndParser() throws {
        let run = try RunResolver(environment: [:]).resolve(Self.replay(try Self.recording()), dataset: Self.data)
        #expect(run.prompt.text == Self.prompt.text && run.prompt.name == "terse")
        #expect(run.settings.mode == .template && run.settings.parser == .lastNumber)
        #expect(run.settings.provider == "replay" && run.settings.model == "gpt-test")
    }

    @Test func anExplicitPromptWinsAndARecordingThatCannotAnswerItIsRefused() throws {
        var recipe = Self.replay(try Self.recording())
        recipe.prompt = .file(Fixtures.repoPath("Prompts/mem0-default-system.txt"))
        let error = try #require(Self.error(recipe))
        #expect(error.code == .recordingMismatch)
        #expect(error.file == recipe.replay)
        #expect(error.problem.contains("holds no reply for 12 of the run's 12 requests") && error.problem.contains("'terse'"), "\(error.problem)")
        #expect(error.problem.contains("template mode"), "\(error.problem)")
        #expect(error.remedies == [.drop(.prompt)])
        // No front end's words in the core's message.
        #expect(!error.problem.contains("--"))
    }

    @Test func anExplicitModeWinsAndIsRefusedWhenTheRecordingWasMadeInAnother() throws {
        var recipe = Self.replay(try Self.recording())
        recipe.mode = .system
        let error = try #require(Self.error(recipe))
        #expect(error.code == .recordingMismatch)
        #expect(error.problem.contains("template mode") && error.remedies == [.drop(.mode)], "\(error)")
    }

    @Test func aRecordingWithoutItsPromptTextAsksForThePrompt() throws {
        let error = try #require(Self.error(Self.replay(try Self.recording(keepText: false))))
        #expect(error.code == .recordingMismatch)
        #expect(error.remedies == [.set(.prompt, placeholder: "FILE")], "\(error)")
        // Given the prompt and mode, the old recording replays.
        var recipe = Self.replay(try Self.recording(keepText: false))
        recipe.prompt = .given(Self.prompt)
        recipe.mode = .template
        #expect(Self.error(recipe) == nil)
    }

    @Test func aRunAnsweredFromTheCacheCostNothingAndSaysWhatItWouldHaveCost() {
        let builder = RunReportBuilder(dataset: PoolReportFixture.dataset, prompt: BuiltinPrompts.mem0SystemPrompt,
                                       settings: PoolReportFixture.settings(), prices: PoolReportFixture.prices)
        let results = PoolReportFixture.results
        // 5 replies of 100 + 2 tokens at $2 / $10 per million.
        let full = 5 * (100.0 * 2 + 2 * 10) / 1_000_000
        let called = builder.build(results: results)
        #expect(called.cost == full && called.costWithoutCache == full && called.counts.cached == 0)
        let all = builder.build(results: results, cached: Set(results.map(\.key)))
        #expect(all.cost == 0 && all.costWithoutCache == full && all.counts.cached == 5)
        let two = builder.build(results: results, cached: Set(results.prefix(2).map(\.key)))
        #expect(abs(two.cost! - full * 3 / 5) < 1e-12 && two.costWithoutCache == full && two.counts.cached == 2)
        // Tokens are those of the replies used, cache or not.
        #expect(all.counts.usage == called.counts.usage)
    }
}
