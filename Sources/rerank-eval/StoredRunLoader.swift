import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

/// Reads a stored run and its report for `show`, `compare` and `export`. A run that was killed
/// before it finished has no stored report, and a streamed run stored only its means: the
/// queries are rebuilt from its recorded replies and its dataset (when the file still has the
/// same content).
struct StoredRunLoader {
    let store: RunStore

    func load(_ reference: String) throws -> (StoredRun, RunReport) {
        let id: Int64
        let found: StoredRun?
        do {
            id = try store.resolve(reference)
            found = try store.run(id: id)
        } catch { throw failInput(error.commandLineMessage) }
        guard let run = found else { throw failInput("\(store.path): has no run \(reference)") }
        let summary = run.report
        if let summary, summary.streamed == nil { return (run, summary) }
        guard let settings = run.settings else { throw failInput("\(store.path): run \(id) has damaged settings and cannot be reported") }
        let data = try dataset(of: run)
        let results: [PairResult]
        do { results = try store.results(runID: id) } catch { throw failInput(error.commandLineMessage) }
        let builder = RunReportBuilder(dataset: data, prompt: run.prompt, settings: settings)
        let stop: StopReason? = results.count < run.planned ? .cancelled : nil
        let cached = (try? store.cachedResultKeys(runID: id)) ?? []
        var report = builder.build(results: results, stopReason: stop, elapsed: run.elapsed, cached: cached)
        // A streamed run stored its means and counts but not its queries (issue 16): they are
        // rebuilt here, and the stored summary keeps how the run ended.
        if let summary {
            report.stopReason = summary.stopReason
            report.elapsed = summary.elapsed
        }
        return (run, report)
    }

    /// The queries the run evaluated, refusing a file whose content changed since the run.
    func dataset(of run: StoredRun) throws -> Dataset {
        try fileDataset(of: run).selecting(run.settings?.split ?? .all)
    }

    /// The run's whole dataset file (every split), refusing one whose content changed since the run.
    func fileDataset(of run: StoredRun) throws -> Dataset {
        let data: Dataset
        do { data = try DatasetLoader().load(path: run.datasetPath) } catch {
            throw failInput("run \(run.id ?? 0) needs its dataset file (to rebuild a stopped run's report, or to pick a split's queries): \(error.commandLineMessage)")
        }
        guard data.contentHash == run.datasetHash else {
            throw failInput("\(run.datasetPath): changed since run \(run.id ?? 0) (sha256 \(run.datasetHash.prefix(12)) then, \(data.contentHash.prefix(12)) now); its report cannot be rebuilt")
        }
        return data
    }
}

/// `--store FILE`, for the commands that read the store.
struct StoreOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The run store. Default: .rerankbench/store.sqlite, or RERANKBENCH_STORE.", valueName: "file"))
    var store: String?

    func open() throws -> RunStore { try StoreLocation.open(store) }
}
