import Foundation
import RerankKit
import RerankTestSupport
import WorkbenchUI

/// A workbench state on the sample dataset, optionally after an offline lexical run.
enum WorkbenchFixtures {
    static func dataset() throws -> Dataset {
        var d = try DatasetLoader().load(path: Fixtures.repoPath("Datasets/personal-memories.jsonl"))
        d.path = "Datasets/personal-memories.jsonl"
        return d
    }

    static func state(width: Int, height: Int) throws -> WorkbenchState {
        var state = WorkbenchState(width: width, height: height, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
        _ = WorkbenchReducer.reduce(&state, .datasetLoaded(try dataset()))
        return state
    }

    /// Replies of the lexical provider for every pair, computed in-process.
    static func lexicalResults(_ state: WorkbenchState) async throws -> [PairResult] {
        let dataset = state.dataset!
        let plan = try RunPlan(dataset: dataset, prompt: state.currentPrompt, settings: state.settings)
        let outcome = await RerankRunner(provider: LexicalProvider(dataset: dataset), settings: state.settings).run(plan, dataset: dataset)
        // Fixed order and latency so screens do not depend on scheduling.
        return outcome.results.sorted { ($0.queryID, $0.candidateID) < ($1.queryID, $1.candidateID) }.map { r in
            var r = r
            r.latency = 0.001
            r.reply?.latency = 0.001
            return r
        }
    }

    static func ranState(width: Int, height: Int) async throws -> WorkbenchState {
        var state = try state(width: width, height: height)
        let results = try await lexicalResults(state)
        _ = WorkbenchReducer.reduce(&state, .key(.char("r")))
        _ = WorkbenchReducer.reduce(&state, .runStarted(total: results.count, now: 0))
        _ = WorkbenchReducer.reduce(&state, .runProgress(results, retries: 0, lastError: nil))
        _ = WorkbenchReducer.reduce(&state, .runFinished(stopReason: nil, elapsed: 1.25))
        return state
    }
}
