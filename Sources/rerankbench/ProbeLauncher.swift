import RerankKit
import WorkbenchUI

/// Runs a probe started in the workbench: the same recipe as `rerank-eval probe`
/// (`RecordedProbe`: the probed copy of the queries, run through the store and its response
/// cache, stored in `history` under the probe's label), with the Settings pane's run. Progress
/// goes to a `ProbeEventBox`; nothing here touches the terminal, the dataset or its file.
struct ProbeLauncher: Sendable {
    var recipe: RunRecipe
    var dataset: Dataset
    var probe: ProbeSettings
    var storePath: String
    var environment: [String: String]

    func run(_ box: ProbeEventBox) async {
        let probed: RecordedProbe
        let provider: any ChatProvider
        let store: RunStore
        do {
            let resolved = try RunResolver(environment: environment).resolve(recipe, dataset: dataset)
            probed = try RecordedProbe(resolved, settings: probe)
            provider = try ProviderFactory.make(resolved.provider, dataset: resolved.dataset, environment: environment)
            store = try RunStore(path: storePath)
        } catch {
            box.end(nil, message: error.workbenchMessage)
            return
        }
        let result: RecordedProbe.Result
        do {
            result = try await probed.run(provider: provider, prices: PriceTable.bundled, store: store, onEvent: { box.handle($0) })
        } catch {
            box.end(nil, message: error.workbenchMessage)
            return
        }
        let s = probed.run.settings
        var message: String?
        if case let .configuration(problem) = result.stored.outcome.stopReason {
            message = "\(s.provider) \(s.model): \(problem); no scores were trusted: fix the setting and probe again"
        } else if let e = result.stored.storeError {
            message = "results could not all be saved: \(e.workbenchMessage)"
        }
        let outcome = ProbeOutcome(report: result.report, run: result.runReport, probed: probed.run.dataset, injected: probed.probe.injected,
                                   prompt: probed.run.prompt, settings: s, results: result.stored.outcome.results,
                                   runID: result.stored.runID, calledNow: result.stored.calledNow, cachedNow: result.stored.cachedNow)
        box.end(outcome, message: message)
    }
}
