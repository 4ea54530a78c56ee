import Foundation
import RerankKit

/// Runs a tune started in the workbench: the same tuner, scorer over the store, journal and
/// winner's files as `rerank-eval tune`, with the settings pane's provider as scorer and
/// proposer. Progress goes to a `TuneEventBox`; nothing here touches the terminal.
struct TuneLauncher: Sendable {
    var recipe: RunRecipe
    var dataset: Dataset
    var tuneSettings: TuneSettings
    var storePath: String
    var promptsDirectory: String
    var environment: [String: String]

    func run(_ box: TuneEventBox) async {
        let store: RunStore
        let resolved: ResolvedRun
        let provider: any ChatProvider
        let setup: TuneSetup
        let tuneID: Int64
        do {
            resolved = try RunResolver(environment: environment).resolve(recipe, dataset: dataset)
            provider = try ProviderFactory.make(resolved.provider, dataset: dataset, environment: environment)
            store = try RunStore(path: storePath)
            setup = TuneSetup(settings: tuneSettings, runSettings: resolved.settings, start: resolved.prompt,
                              proposerProvider: resolved.settings.provider, proposerModel: resolved.settings.model,
                              proposerBaseURL: nil, outputName: freeName(for: resolved.prompt), outputDirectory: promptsDirectory)
            tuneID = try store.beginTune(setup: setup, dataset: dataset, lineage: TuneLineage(start: setup.start))
        } catch {
            box.end(lineage: nil, written: [], message: error.workbenchMessage)
            return
        }
        box.started(tuneID)
        let prices = PriceTable.bundled
        let scorer = StoreTuneScorer(store: store, provider: provider, spec: resolved.provider, dataset: dataset, settings: resolved.settings,
                                     prices: prices, tuneID: tuneID)
        let tuner = PromptTuner(settings: tuneSettings, runSettings: resolved.settings, dataset: dataset, start: setup.start,
                                proposer: provider, proposerModel: setup.proposerModel,
                                proposerPrice: prices.price(provider: setup.proposerProvider, model: setup.proposerModel),
                                scorer: scorer, journal: StoreTuneJournal(store: store, tuneID: tuneID))
        let result = await tuner.run(continuing: nil, onEvent: { box.handle($0) })
        let stored = try? store.tune(id: tuneID)
        var written: [String] = []
        if result.finished, result.improved, let stored {
            let winner = TuneWinner(tune: stored, store: store, devQueries: dataset.queries.filter { $0.split == .dev }.count)
            do {
                try FileManager.default.createDirectory(atPath: winner.directory, withIntermediateDirectories: true)
                try Data(winner.cardText.utf8).write(to: URL(fileURLWithPath: winner.cardPath), options: .atomic)
                try Data(winner.mem0Text.utf8).write(to: URL(fileURLWithPath: winner.mem0Path), options: .atomic)
                written = [winner.cardPath, winner.mem0Path]
            } catch {
                box.end(lineage: stored.lineage, written: [], message: "the tune finished but its winner could not be written to \(winner.directory): \(error.localizedDescription)")
                return
            }
        }
        box.end(lineage: stored?.lineage ?? result, written: written, message: nil)
    }

    /// `tuned-NAME`, or the first `tuned-NAME-N` with no file yet: a tune never overwrites a prompt.
    func freeName(for start: ScoringPrompt) -> String {
        let base = "tuned-" + PromptCard.fileName(start.name).replacingOccurrences(of: ".txt", with: "")
        var name = base
        var n = 2
        while FileManager.default.fileExists(atPath: (promptsDirectory as NSString).appendingPathComponent(PromptCard.fileName(name))) {
            name = "\(base)-\(n)"
            n += 1
        }
        return name
    }
}
