import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List stored runs, newest first, with their key settings and metrics.")

    @OptionGroup var storeOption: StoreOption

    @Option(name: .shortAndLong, help: "Show at most this many runs.")
    var limit: Int = 30

    @Flag(name: .long, help: "One JSON object per run instead of a table.")
    var json = false

    func run() async throws {
        let store = try storeOption.open()
        let runs: [StoredRun]
        do { runs = try store.runs(limit: max(1, limit)) } catch { throw failInput(error.commandLineMessage) }
        let looks = (try? store.testLookCounts()) ?? [:]
        if json {
            let lines = runs.map { r -> String in
                var fields: [(String, JSONValue)] = [
                    ("run", .number(Double(r.id ?? 0), literal: String(r.id ?? 0))), ("started", .string(Self.date(r.startedAt))),
                    ("status", .string(r.status)), ("prompt", .string(r.promptName)), ("prompt_sha256", .string(r.promptHash)),
                    ("provider", .string(r.provider)), ("model", .string(r.model)), ("dataset", .string(r.datasetPath)), ("dataset_sha256", .string(r.datasetHash)),
                    ("planned", .number(Double(r.planned), literal: String(r.planned))), ("done", .number(Double(r.done), literal: String(r.done))),
                    ("failed", .number(Double(r.failed), literal: String(r.failed))), ("cached", .number(Double(r.cached), literal: String(r.cached))),
                ]
                if let m = r.primaryMetric, let v = r.primaryValue { fields.append((m, .number(v, literal: "\(v)"))) }
                if let c = r.cost { fields.append(("cost_usd", .number(c, literal: "\(c)"))) }
                if let c = r.costWithoutCache { fields.append(("cost_without_cache_usd", .number(c, literal: "\(c)"))) }
                if let ties = r.settings?.ties { fields.append(("ties", .string(ties.rawValue))) }
                if let l = r.label { fields.append(("label", .string(l))) }
                if let split = r.settings?.split {
                    fields.append(("split", .string(split.rawValue)))
                    let n = looks[r.datasetHash] ?? 0
                    fields.append(("test_looks", .number(Double(n), literal: String(n))))
                }
                return JSONValue.object(fields).serialized()
            }
            print(JSONText.escapingInvisible(lines.joined(separator: "\n")))
            return
        }
        guard !runs.isEmpty else {
            printText("no runs stored in \(store.path) yet; `rerank-eval run --dataset FILE` records one")
            return
        }
        var rows: [[String]] = [["run", "started", "status", "provider/model", "prompt", "dataset", "calls", "cached", "metric", "reranked", "first-stage", "cost", "w/o cache"]]
        for r in runs {
            rows.append(["\(r.id ?? 0)", Self.date(r.startedAt), r.standing, "\(r.provider)/\(r.model)",
                         String((r.label.map { "\(r.promptName) [\($0)]" } ?? r.promptName).prefix(34)),
                         Self.datasetVersion(r), "\(r.done)/\(r.planned)\(r.failed > 0 ? " (\(r.failed) failed)" : "")",
                         "\(r.cached)", Self.metric(r), r.primaryValue.map { $0.formatted(decimals: 4) } ?? "-",
                         r.baselineValue.map { $0.formatted(decimals: 4) } ?? "-", Self.dollars(r.cost), Self.dollars(r.costWithoutCache)])
        }
        printText(ReportTable.table(rows, rightAligned: [0, 6, 7, 9, 10, 11, 12]).joined(separator: "\n"))
        // Datasets whose test split was looked at more than once, named once each.
        var warned: Set<String> = []
        for r in runs where r.settings?.split != nil && !warned.contains(r.datasetHash) {
            warned.insert(r.datasetHash)
            if let warning = TestLook.warning(count: looks[r.datasetHash] ?? 0) {
                printText("\((r.datasetPath as NSString).lastPathComponent) (sha256 \(r.datasetHash.prefix(12))): \(warning)")
            }
        }
        if runs.contains(where: { $0.status == "running" }) {
            printText("\nincomplete: stopped by a kill or crash (or still running); finish one with `rerank-eval run --resume RUN`")
        }
    }

    /// The dataset file and its version (the start of its content hash: a label edit changes
    /// it), so runs on different labels are told apart, and the split.
    static func datasetVersion(_ r: StoredRun) -> String {
        (r.datasetPath as NSString).lastPathComponent + " #\(r.datasetHash.prefix(6))" + (r.settings?.split.map { " [\($0.rawValue)]" } ?? "")
    }

    /// The primary metric, with the tie policy when it is not the default (it can change the value).
    static func metric(_ r: StoredRun) -> String {
        let name = r.primaryMetric ?? "-"
        guard let ties = r.settings?.ties, ties != .stable else { return name }
        return "\(name) (ties \(ties.rawValue))"
    }

    static func dollars(_ value: Double?) -> String {
        value.map { "$" + $0.formatted(decimals: 4) } ?? "-"
    }

    static func date(_ d: Date) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.string(from: d)
    }
}

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print a stored run's report (as `run` printed it), rebuilt from its replies if it was stopped.")

    @Argument(help: "The run: a number from `history`, last, or last~N.")
    var run: String

    @OptionGroup var storeOption: StoreOption

    @Option(name: .long, help: "Output: table, json, csv or trec.")
    var format: OutputFormat = .table

    @Flag(name: .customLong("per-query"), help: "With --format table, list every query.")
    var perQuery = false

    @Flag(name: .long, help: "Also print the prompt text.")
    var prompt = false

    @OptionGroup var calibration: CalibrationOptions

    func run() async throws {
        let store = try storeOption.open()
        let (stored, report) = try StoredRunLoader(store: store).load(run)
        switch format {
        case .table:
            var text = "run       \(stored.id ?? 0), started \(HistoryCommand.date(stored.startedAt)), \(stored.standing)\(stored.label.map { ", label \(TerminalText.inert($0))" } ?? "")\n"
            text += try calibration.table(report, perQuery: perQuery, testLooks: TestLooks.count(for: report, store: store))
            // The prompt keeps its lines and tabs; anything else in it is shown as an escape.
            if prompt { text += "\nprompt (\(TerminalText.inert(stored.promptName))):\n\(TerminalText.inert(stored.promptText, layout: .lines))\n" }
            printText(text, terminator: "")
        case .json: print(ReportJSON.encode(report, testLooks: TestLooks.count(for: report, store: store), targets: try calibration.targets()), terminator: "")
        case .jsonl:
            let looks = TestLooks.count(for: report, store: store)
            print(report.queries.map { ReportJSON.queryLine($0, settings: report.settings) }.joined() + ReportJSON.summaryLine(report, testLooks: looks),
                  terminator: "")
        case .csv: print(ReportCSV.encode(report), terminator: "")
        case .trec:
            do { print(try TRECRunWriter.run(report), terminator: "") } catch { throw failInput(error.commandLineMessage) }
        }
        if format == .csv || format == .trec || format == .jsonl { try calibration.reportCutsOnStandardError(report) }
    }
}
