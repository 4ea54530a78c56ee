import Foundation
import RerankCore

/// The files a finished tune that improved leaves behind: the winning prompt as a prompt card
/// (front matter with the settings, its dev metrics, the tune and its verdict) and a mem0
/// config. One place, so `rerank-eval tune` and the workbench's Tune view write the same files.
public struct TuneWinner: Sendable {
    public var directory: String
    public var cardPath: String
    public var cardText: String
    public var mem0Path: String
    public var mem0Text: String

    /// `devQueries`: how many queries the dev split has, to find the best's run on all of them
    /// (the numbers it was chosen by), not one of its minibatch runs.
    public init(tune: StoredTune, store: RunStore, devQueries: Int) {
        let setup = tune.setup, lineage = tune.lineage
        let best = lineage.bestCandidate
        let report = best.runIDs.reversed().compactMap { id -> RunReport? in
            guard let run = try? store.run(id: id), let r = run.report, r.queries.count == devQueries else { return nil }
            return r
        }.first
        let start = setup.start
        var extra: [(key: String, value: String)] = [("tune", "\(tune.id)"), ("tune_candidate", "\(best.number)")]
        if let c = lineage.confirmation { extra.append(("tune_verdict", c.summary)) }
        cardText = PromptCard.text(name: setup.outputName, description: "tuned from \(start.name) by rerank-eval tune \(tune.id)",
                                   prompt: best.text, settings: setup.runSettings, report: report,
                                   lineage: .init(parentName: start.name, parentSHA256: start.textHash, source: start.extraFrontMatter["source"]),
                                   extra: extra)
        mem0Text = Mem0ConfigExporter.yaml(settings: setup.runSettings, prompt: best.text)
        directory = setup.outputDirectory
        let base = (directory as NSString).appendingPathComponent(PromptCard.fileName(setup.outputName).replacingOccurrences(of: ".txt", with: ""))
        cardPath = base + ".txt"
        mem0Path = base + ".mem0.yaml"
    }
}
