import RerankKit
import Testing
@testable import WorkbenchUI

/// Issue 20 item 3: the first run of a session on a paid API shows its cost and asks, once per
/// provider and model; free providers never ask.
@Suite struct PaidRunConfirmationTests {
    func press(_ state: inout WorkbenchState, _ keys: Key...) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += WorkbenchReducer.reduce(&state, .key(k)) }
        return effects
    }

    func starts(_ effects: [Effect]) -> Bool {
        effects.contains { if case .startRun = $0 { return true } else { return false } }
    }

    func paid(model: String = "gpt-4o-mini") throws -> WorkbenchState {
        var state = try WorkbenchFixtures.state(width: 120, height: 40)
        state.settings.provider = "openai"
        state.settings.model = model
        return state
    }

    @Test func theFirstPaidRunAsksWithTheEstimateAndYesStartsIt() throws {
        var state = try paid()
        let calls = state.dataset!.candidateCount
        #expect(!starts(press(&state, .char("r"))))
        guard case let .confirm(.paidRun(estimate))? = state.modals.last else { Issue.record("no question: \(state.modals)"); return }
        #expect(estimate.provider == "openai" && estimate.model == "gpt-4o-mini" && estimate.calls == calls)
        // The same numbers `rerank-eval run --estimate` prints.
        let plan = try RunPlan(dataset: state.dataset!, prompt: state.currentPrompt, settings: state.settings)
        let expected = CostEstimate(plan: plan, settings: state.settings, prices: .bundled)
        #expect(estimate.likelyCost == expected.likelyCost && estimate.maxCost == expected.maxCost && estimate.likelyCost! > 0)
        #expect(state.results.isEmpty && !state.isRunning, "nothing starts before the answer")
        let screen = WorkbenchView.render(state).text
        #expect(screen.contains("\(calls) calls to openai gpt-4o-mini."), "\(screen)")
        #expect(screen.contains("Cost: about $"), "\(screen)")
        #expect(starts(press(&state, .char("y"))))
        #expect(state.isRunning)
    }

    @Test func itAsksOncePerProviderAndModel() throws {
        var state = try paid()
        _ = press(&state, .char("r"), .char("y"))
        _ = WorkbenchReducer.reduce(&state, .runFinished(stopReason: nil, elapsed: 1))
        #expect(starts(press(&state, .char("r"))), "the second run of the same model starts at once")
        _ = WorkbenchReducer.reduce(&state, .runFinished(stopReason: nil, elapsed: 1))
        state.settings.model = "gpt-4.1-mini"
        #expect(!starts(press(&state, .char("r"))))
        #expect(state.modals.last.map { if case .confirm(.paidRun) = $0 { return true } else { return false } } == true)
    }

    @Test func anyOtherKeyCancelsAndKeepsTheScreen() throws {
        var state = try paid()
        _ = press(&state, .char("r"))
        #expect(!starts(press(&state, .char("n"))))
        #expect(state.modals.isEmpty && !state.isRunning)
        #expect(state.status.contains("nothing was called"))
        // Not confirmed: the next r asks again.
        _ = press(&state, .char("r"))
        #expect(state.modals.last.map { if case .confirm(.paidRun) = $0 { return true } else { return false } } == true)
    }

    @Test(arguments: ["lexical", "vllm", "local", "ollama"])
    func freeProvidersNeverAsk(_ provider: String) throws {
        var state = try WorkbenchFixtures.state(width: 120, height: 40)
        state.settings.provider = provider
        state.settings.model = "m"
        #expect(starts(press(&state, .char("r"))))
    }

    @Test func aModelWithoutAPriceStillAsksAndSaysTheCostIsUnknown() throws {
        var state = try paid(model: "some-unpriced-model-xyz")
        _ = press(&state, .char("r"))
        guard case let .confirm(.paidRun(estimate))? = state.modals.last else { Issue.record("no question"); return }
        #expect(estimate.likelyCost == nil)
        let screen = WorkbenchView.render(state).text
        #expect(screen.contains("Cost unknown"), "\(screen)")
    }
}
