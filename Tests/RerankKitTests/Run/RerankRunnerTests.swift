import Foundation
import RerankKit
import Synchronization
import Testing

@Suite struct RerankRunnerTests {
    /// Counts the runner's questions about where to run calls: an HTTP provider's answer starts
    /// its client and the client's event loops.
    final class Asked: Sendable {
        let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
    }

    struct CountingProvider: ChatProvider {
        let asked: Asked
        var name: String { "openai" }
        func complete(_ request: ChatRequest) async throws -> ChatReply {
            ChatReply(text: "0.5", usage: TokenUsage(promptTokens: 10, completionTokens: 1))
        }
        @available(macOS 15.0, *)
        var callExecutor: (any TaskExecutor)? {
            asked.count.withLock { $0 += 1 }
            return nil
        }
    }

    @Test func aWindowWithNothingToCallStartsNoClientAndEndsAtOnce() async throws {
        let asked = Asked()
        let settings = RunSettings(provider: "openai", model: "gpt-test", concurrency: 4)
        let runner = RerankRunner(provider: CountingProvider(asked: asked), settings: settings, prices: PriceTable(models: [:]))
        let dataset = PoolReportFixture.dataset
        let events = Mutex<[String]>([])
        let none = await runner.run([], dataset: dataset) { event in
            events.withLock { $0.append("\(event)") }
        }
        #expect(none.results.isEmpty)
        #expect(none.stopReason == nil)
        #expect(asked.value == 0, "the provider's client was asked for with nothing to call")
        #expect(events.withLock { $0 } == ["started(total: 0)", "finished(done: 0, total: 0, cancelled: false)"])

        // With calls to make the runner does ask (what the count above would otherwise miss).
        let plan = try RunPlan(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
        let some = await runner.run(Array(plan.tasks.prefix(3)), dataset: dataset)
        #expect(some.results.count == 3 && some.stopReason == nil)
        #expect(asked.value == 1)
    }
}
