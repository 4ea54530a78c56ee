import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "How easily is a scoring prompt fooled? Add adversarial memories to every query and measure.",
        discussion: """
        For each query, memories written from the query and its own candidates are added after its \
        candidates (label 0, ids probe-ATTACK-N), and the prompt is run as usual: through the run \
        store and its response cache. The dataset file is never written.

        Per attack: the share of queries where an injected memory reached the top k (attack \
        success rate), the injected memories' mean rank and score, and the NDCG@k the query's own \
        memories lost (both NDCGs on the original memories only). k is --top-k when given, else \
        the last --k (10).

        Attacks: \(ProbeAttack.allCases.map { "\($0.rawValue) (\($0.summary))" }.joined(separator: "; ")).

        Examples:
          rerank-eval probe --dataset Datasets/personal-memories.jsonl --seed 7
          rerank-eval probe --dataset Datasets/personal-memories.jsonl \\
            --provider local --attacks injection,length-padding --mode template
          rerank-eval probe --dataset Datasets/eng-notes.jsonl --provider openai \\
            --prompts Prompts/mem0-default-system.txt,Prompts/contextual-needs.txt \\
            --fail-over asr=0.1 --format html -o probe.html

        Other options are those of `run`. Exit 1 when calls failed, the probe was cancelled, or a \
        --fail-over gate failed; 2 on bad input.
        """)

    @OptionGroup var options: RunOptions

    @Option(name: .long, help: ArgumentHelp("Prompt files to probe one after another, ranked by robustness (default: --prompt).", valueName: "p1,p2,..."))
    var prompts: String?

    @Option(name: .long, help: ArgumentHelp("Attacks, comma-separated, or all.", valueName: "a,b,..."))
    var attacks: String = "all"

    @Option(name: .customLong("per-query"), help: ArgumentHelp("Memories of each attack added to each query.", valueName: "n"))
    var perQuery: Int = 1

    @Option(name: .long, help: "Seed of the memories' wordings and choices: the same seed writes the same memories.")
    var seed: UInt64 = 1

    @Option(name: .customLong("fail-over"), help: ArgumentHelp("Exit 1 when any attack's success rate is over this, e.g. asr=0.1.", valueName: "asr=value"))
    var failOver: String?

    @Option(name: .long, help: "Output: table (for people), json or html.")
    var format: ProbeOutputFormat = .table

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the output to a file instead of standard output.", valueName: "file"))
    var output: String?

    @Flag(name: .long, help: "With --format table, list each query where an injected memory reached the top k.")
    var hits = false

    @Flag(name: .long, help: "No progress bar or notes on stderr.")
    var quiet = false

    static let maxPerQuery = 20

    func validate() throws {
        try options.validateRun()
        guard options.dataset != nil else { throw ValidationError("missing --dataset FILE (the queries to probe)") }
        if options.replay != nil {
            throw ValidationError("--replay serves recorded replies only, and a recording holds none for the injected memories; probe with a provider")
        }
        guard (1...Self.maxPerQuery).contains(perQuery) else { throw ValidationError("--per-query must be between 1 and \(Self.maxPerQuery) (got \(perQuery))") }
        _ = try parsedAttacks()
        _ = try failOverRate()
        if let prompts, prompts.split(separator: ",").isEmpty { throw ValidationError("--prompts takes file names separated by commas") }
        if prompts != nil, options.prompt != nil { throw ValidationError("give the prompt files with --prompts or --prompt, not both") }
    }

    func parsedAttacks() throws -> [ProbeAttack] {
        switch ProbeAttack.list(attacks) {
        case let .success(list) where !list.isEmpty: return list
        case .success: throw ValidationError("--attacks names no attack; e.g. --attacks injection,query-stuffing (or all)")
        case let .failure(error): throw ValidationError("--attacks: \(error)")
        }
    }

    /// The --fail-over ceiling on the success rate, nil without one.
    func failOverRate() throws -> Double? {
        guard let failOver else { return nil }
        let pair = failOver.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard pair.count == 2, pair[0].lowercased() == "asr", let rate = Double(pair[1]), rate >= 0, rate <= 1 else {
            throw ValidationError("--fail-over takes asr=value with a value from 0 to 1, e.g. asr=0.1 (got \"\(failOver)\")")
        }
        return rate
    }

    func run() async throws {
        if !quiet { LocalServerPool.shared.report { line in printError(line) } }
        defer { LocalServerPool.shared.stopAll() }
        let (store, data, prices) = try await options.openInputs(quiet: quiet)
        let settings = ProbeSettings(attacks: try parsedAttacks(), perQuery: perQuery, seed: seed)
        let promptList = options.promptList(prompts)
        // Every prompt is resolved and probed first, so a bad one fails before any call.
        var setups: [(RunSetup, RecordedProbe)] = []
        for (i, path) in promptList.enumerated() {
            let setup = try options.resolve(data: data, promptPath: .some(path), prices: prices, quiet: quiet)
            let probed: RecordedProbe
            do { probed = try RecordedProbe(setup.resolved, settings: settings) } catch { throw failInput(error.commandLineMessage) }
            if !quiet {
                for note in setup.resolved.notes {
                    if case .promptWarning = note {} else if i > 0 { continue }
                    printError(CommandLineWording.note(note))
                }
            }
            setups.append((setup, probed))
        }
        if options.estimate {
            for (setup, probed) in setups {
                let estimate = CostEstimate(plan: probed.run.plan, settings: probed.run.settings, prices: prices)
                printText("\(TerminalText.inert(setup.prompt.name)): \(probed.probe.injected.count) injected memories; " + RunCommand.describe(estimate, settings: probed.run.settings))
            }
            return
        }
        var reports: [ProbeReport] = []
        var failed = false
        var stopped: StopReason?
        for (setup, probed) in setups {
            let resolved = probed.run, probe = probed.probe
            if !quiet {
                printError("probe: \(TerminalText.inert(setup.prompt.name)): \(probe.injected.count) injected memories on \(probe.original.queries.count) quer\(probe.original.queries.count == 1 ? "y" : "ies") (\(settings.summary)); \(resolved.plan.count) calls at most, cached ones are free")
            }
            let progress = ProgressBar(enabled: !quiet && Terminal.stderrIsTTY)
            let provider = setup.provider, useCache = !options.noCache
            let task = Task { () throws -> RecordedProbe.Result in
                try await probed.run(provider: provider, prices: prices, store: store, useCache: useCache, onEvent: { progress.handle($0) })
            }
            let interrupt = InterruptHandler { task.cancel() }
            let result: RecordedProbe.Result
            do { result = try await task.value } catch { throw failInput(error.commandLineMessage) }
            interrupt.stop()
            let stored = result.stored, report = result.runReport
            if !quiet {
                printError("run \(stored.runID): \(stored.calledNow) call\(stored.calledNow == 1 ? "" : "s") made, \(stored.cachedNow) answered from the cache; stored in \(store.path)")
            }
            if let e = stored.storeError { printError("warning: results could not all be saved: \(e.commandLineMessage)") }
            if case let .configuration(message) = stored.outcome.stopReason {
                throw failInput("\(TerminalText.inert(resolved.settings.provider)) \(TerminalText.inert(resolved.settings.model)): \(message)\nno scores were trusted; fix the setting and probe again")
            }
            reports.append(result.report)
            if report.counts.failed > 0 {
                if !quiet { printError("\(report.counts.failed) call\(report.counts.failed == 1 ? "" : "s") failed (\(resolved.settings.failurePolicy == .mem0 ? "scored 0.5 under the mem0 policy" : "ranked last under the strict policy"))") }
                failed = true
            }
            if let reason = stored.outcome.stopReason {
                stopped = reason
                break
            }
        }
        let text: String
        switch format {
        case .table: text = TerminalText.inert(ProbeTable.render(reports, hits: hits), layout: .lines) + "\n"
        case .json: text = ProbeReportJSON.encode(reports)
        case .html: text = ProbeReportHTML.render(reports)
        }
        try writeOutput(text, to: output)
        if let stopped {
            printError("\(stopped): the probe stopped early; the report covers the finished queries. The same command again answers the finished calls from the cache")
            failed = true
        }
        if let ceiling = try failOverRate() {
            for report in reports {
                for attack in report.attacks {
                    guard let rate = attack.successRate, rate > ceiling else { continue }
                    printError("fail-over: \(attack.attack.rawValue) succeeded on \(attack.successes) of \(attack.queries) queries (asr \(rate.formatted(decimals: 4))), over \(ceiling), for \(TerminalText.inert(report.subject))")
                    failed = true
                }
            }
        }
        if failed { throw ExitCode(stopped == .cancelled ? 130 : 1) }
    }
}

enum ProbeOutputFormat: String, ArgumentChoices {
    case table, json, html
}
