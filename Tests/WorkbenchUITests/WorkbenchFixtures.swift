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

    /// Presses keys in order and returns every effect they asked for.
    static func press(_ state: inout WorkbenchState, _ keys: [Key]) -> [Effect] {
        var effects: [Effect] = []
        for k in keys { effects += WorkbenchReducer.reduce(&state, .key(k)) }
        return effects
    }

    /// Three prompt versions as the store would list them for the sample dataset: the mem0
    /// prompt (run twice), a stricter edit of it, and a short one, newest first.
    static func promptVersions(current datasetHash: String) -> [PromptVersion] {
        let mem0 = BuiltinPrompts.mem0SystemPrompt.text
        let strict = mem0.replacingOccurrences(of: "Respond with only", with: "Be strict: a memory that does not help is 0.0.\nRespond with only")
        let short = "Score how well the memory answers the query, 0.0 to 1.0. Reply with the number only."
        func version(_ name: String, _ text: String, runs: Int, minute: Double, best: Double?, data: String) -> PromptVersion {
            PromptVersion(hash: Digest.sha256(text), name: name, text: text, runs: runs, lastRun: Date(timeIntervalSince1970: 1_764_633_600 + minute * 60),
                          best: best, bestRunID: best == nil ? nil : 1, bestDatasetHash: best == nil ? nil : data, datasetHashes: [data])
        }
        return [version("strict", strict, runs: 1, minute: 30, best: 0.8412, data: datasetHash),
                version("short", short, runs: 3, minute: 20, best: 0.7931, data: "0123456789abcdef"),
                version("mem0-default-system", mem0, runs: 2, minute: 10, best: 0.8080, data: datasetHash)]
    }
}
