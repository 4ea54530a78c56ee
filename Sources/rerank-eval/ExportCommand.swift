import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

enum ExportFormat: String, ArgumentChoices {
    case markdown, html, csv, json, trec, qrels, recording
    case promptCard = "prompt-card"
    case mem0JSON = "mem0-json"
    case mem0YAML = "mem0-yaml"
    case mem0Python = "mem0-python"
}

struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a stored run as a report, TREC files, a recording, a prompt card or a mem0 config.",
        discussion: """
        Formats:
          markdown, html    a report: metrics, the statistics (split, test looks, correction,
                            detectable effect, sample stability), the prompt, and the five worst
                            queries candidate by candidate with memory and reply (the HTML page is
                            self-contained: charts inline, no script, no network)
          csv, json         per-query metrics, as `run --format csv|json`
          trec, qrels       a TREC run file and the dataset's qrels, for trec_eval or ranx
          recording         the run's replies as JSONL, for `run --replay FILE` (offline, free)
          prompt-card       the prompt with front matter: settings, dataset hash, metrics with 95% CIs, cost,
                            the split, test looks, correction, detectable effect (and sample stability)
          mem0-json, mem0-yaml, mem0-python
                            a mem0 reranker config (llm_reranker) for the run's mode: system mode for
                            mem0 2.0.2+, template mode for mem0 2.0.1 and earlier; the key as an
                            environment-variable reference, never the key

        Examples:
          rerank-eval export last --format html -o report.html
          # writes Prompts/concise-yes-no.md:
          rerank-eval export 7 --format prompt-card --name "concise yes-no"
          rerank-eval export 7 --format mem0-yaml -o reranker.yaml
        """)

    @Argument(help: "The run: a number from `history`, last, or last~N.")
    var run: String

    @OptionGroup var storeOption: StoreOption

    @Option(name: .long, help: "What to write (see above).")
    var format: ExportFormat

    @Option(name: .shortAndLong, help: ArgumentHelp("The file to write (default: standard output; Prompts/NAME.md for prompt-card).", valueName: "file"))
    var output: String?

    @Option(name: .long, help: "The prompt card's name (default: the run's prompt name).")
    var name: String?

    @Option(name: .long, help: "The prompt card's description.")
    var description: String = ""

    func run() async throws {
        let store = try storeOption.open()
        let loader = StoredRunLoader(store: store)
        let (stored, report) = try loader.load(run)
        guard let settings = stored.settings else { throw failInput("\(store.path): run \(stored.id ?? 0) has damaged settings") }
        let text: String
        var destination = output
        let title = "Run \(stored.id ?? 0): \(stored.promptName) with \(stored.provider)/\(stored.model)"
        switch format {
        case .markdown: text = ReportMarkdown.render(report, title: title, details: details(stored, store: store), statistics: statistics(report, store: store))
        case .html: text = ReportHTML.render(report, title: title, details: details(stored, store: store), statistics: statistics(report, store: store))
        case .csv: text = ReportCSV.encode(report)
        case .json: text = ReportJSON.encode(report)
        case .trec:
            do { text = try TRECRunWriter.run(report) } catch { throw failInput(error.commandLineMessage) }
        case .qrels:
            do { text = try TRECRunWriter.qrels(try loader.dataset(of: stored)) } catch let error as TRECIDError { throw failInput(error.commandLineMessage) }
        case .recording:
            let data = try loader.dataset(of: stored)
            let plan: RunPlan
            do { plan = try RunPlan(dataset: data, prompt: stored.prompt, settings: settings) } catch { throw failInput(error.commandLineMessage) }
            let results: [PairResult]
            do { results = try store.results(runID: stored.id ?? 0) } catch { throw failInput(error.commandLineMessage) }
            text = Recording.write(results: results, plan: plan, dataset: data, prompt: stored.prompt, settings: settings, runID: stored.id)
        case .promptCard:
            let cardName = name ?? stored.promptName
            text = PromptCard.text(name: cardName, description: description, prompt: stored.promptText, settings: settings, report: report,
                                   statistics: statistics(report, store: store))
            if destination == nil {
                destination = "Prompts/" + PromptCard.fileName(cardName).replacingOccurrences(of: ".txt", with: ".md")
            }
        case .mem0JSON where report.providerIgnoresPrompt, .mem0YAML where report.providerIgnoresPrompt, .mem0Python where report.providerIgnoresPrompt:
            // The baseline is not an LLM: a config naming provider openai and model bm25 would
            // fail in mem0 (or silently run a different model).
            throw failInput("run \(stored.id ?? 0) is the lexical BM25 baseline, not an LLM, so there is no mem0 reranker config to export; export from a run with an LLM provider (rerank-eval history lists them)")
        case .mem0JSON where settings.provider == "replay", .mem0YAML where settings.provider == "replay", .mem0Python where settings.provider == "replay":
            throw failInput("run \(stored.id ?? 0) replayed a recording, so it has no provider of its own to configure; export the mem0 config from the run that made the recording")
        case .mem0JSON: text = Mem0ConfigExporter.json(settings: settings, prompt: stored.promptText)
        case .mem0YAML: text = Mem0ConfigExporter.yaml(settings: settings, prompt: stored.promptText)
        case .mem0Python: text = Mem0ConfigExporter.python(settings: settings, prompt: stored.promptText)
        }
        try writeOutput(text, to: destination)
        if let destination { printError("wrote \(destination)") }
    }

    /// The report's statistics with the store's count of looks at its dataset's test split.
    func statistics(_ report: RunReport, store: RunStore) -> ExportStatistics {
        ExportStatistics(report: report, testLooks: TestLooks.count(for: report, store: store))
    }

    /// The prompt, the memories and the replies a report shows for its worst queries. Memories
    /// come from the run's dataset only while the file is unchanged; without it (or without the
    /// stored replies) the report still has everything else.
    func details(_ stored: StoredRun, store: RunStore) -> ReportDetails {
        let data = (try? DatasetLoader().load(path: stored.datasetPath)).flatMap { $0.contentHash == stored.datasetHash ? $0 : nil }
        let results = (try? store.results(runID: stored.id ?? 0)) ?? []
        return ReportDetails(promptText: stored.promptText, dataset: data, results: results)
    }
}
