import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit

struct BatchesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batches",
        abstract: "Provider batches of `run --batch` and `matrix --batch`: list, poll, cancel, collect.",
        discussion: """
        The store keeps every batch (provider, model, the provider's id, status, counts), never a \
        key: any machine with the same store and the provider's key (environment or --api-key) \
        can poll, cancel and collect them. Collecting the last batch of a run finishes the run.

        Examples:
          rerank-eval batches
          rerank-eval batches poll
          rerank-eval batches collect 3 --wait
          rerank-eval batches cancel 3
        """,
        subcommands: [List.self, Poll.self, Cancel.self, Collect.self],
        defaultSubcommand: List.self)

    /// The options every subcommand that talks to the provider takes.
    struct Access: ParsableArguments {
        @OptionGroup var storeOption: StoreOption

        @Option(name: .customLong("api-key"), help: "API key (default: the provider's environment variable, e.g. OPENAI_API_KEY). Never stored.")
        var apiKey: String?

        /// The client for `batch`'s provider, with the key from --api-key or the environment.
        func client(_ batch: StoredBatch, store: RunStore, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BatchClient {
            let variable = ProviderPreset.named(batch.provider)?.keyVariable
            let key = apiKey ?? variable.flatMap { environment[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            guard let key else {
                throw failInput("batch \(batch.id ?? 0) is at \(batch.provider): set \(variable ?? "its API key variable") or pass --api-key")
            }
            guard let endpoint = batch.endpoint(apiKey: key, keySource: apiKey == nil ? variable : "--api-key"),
                  let api = BatchAPIFactory.make(endpoint: endpoint) else {
                throw failInput("batch \(batch.id ?? 0) names a provider this version has no batch API for (\(batch.provider))")
            }
            return BatchClient(store: store, api: api)
        }

        func batches(_ references: [String], store: RunStore, default open: Bool) throws -> [StoredBatch] {
            do {
                if references.isEmpty { return try store.batches().filter { !open || !$0.isCollected }.reversed() }
                return try references.map { try store.batch($0) }
            } catch { throw failInput(error.commandLineMessage) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Every batch in the store, newest first, as last polled.")
        @OptionGroup var storeOption: StoreOption

        func run() async throws {
            let store = try storeOption.open()
            let rows: [StoredBatch]
            do { rows = try store.batches() } catch { throw failInput(error.commandLineMessage) }
            if rows.isEmpty {
                printText("no batches in \(store.path) (`rerank-eval run --batch` submits some)")
                return
            }
            printText(BatchesCommand.table(rows))
        }
    }

    struct Poll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "poll", abstract: "Ask the provider where batches stand (default: every batch not yet collected).")
        @OptionGroup var access: Access
        @Argument(help: "Batch numbers (from `rerank-eval batches`) or the providers' batch ids.")
        var batches: [String] = []

        func run() async throws {
            let store = try access.storeOption.open()
            var rows: [StoredBatch] = []
            for batch in try access.batches(batches, store: store, default: true) {
                do { rows.append(try await access.client(batch, store: store).poll(batch)) } catch let exit as ExitCode { throw exit } catch {
                    throw failInput("batch \(batch.id ?? 0) (\(batch.remoteId)): \(error)")
                }
            }
            printText(rows.isEmpty ? "no batches waiting for results" : BatchesCommand.table(rows))
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Ask the provider to stop batches; what they answered is still collected.")
        @OptionGroup var access: Access
        @Argument(help: "Batch numbers (from `rerank-eval batches`) or the providers' batch ids.")
        var batches: [String]

        func run() async throws {
            let store = try access.storeOption.open()
            for batch in try access.batches(batches, store: store, default: true) {
                guard !batch.batchPhase.hasEnded else {
                    printText("batch \(batch.id ?? 0) has ended already (\(batch.providerStatus)); `rerank-eval batches collect \(batch.id ?? 0)` records it")
                    continue
                }
                let row: StoredBatch
                do { row = try await access.client(batch, store: store).cancel(batch) } catch let exit as ExitCode { throw exit } catch {
                    throw failInput("batch \(batch.id ?? 0) (\(batch.remoteId)): \(error)")
                }
                printText(BatchFlow.describe(row))
                printText("when it has stopped, `rerank-eval batches collect \(row.id ?? 0)` records what it answered; the rest become failed pairs that `rerank-eval run --resume \(row.runId)` asks again")
            }
        }
    }

    struct Collect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "collect",
            abstract: "Read ended batches' results into the store; a run whose batches are all in is finished and reported.",
            discussion: "The run is finished as `rerank-eval run --resume RUN --batch` would: its report goes to standard output.")
        @OptionGroup var access: Access
        @Argument(help: "Batch numbers (from `rerank-eval batches`) or the providers' batch ids (default: every batch not yet collected).")
        var batches: [String] = []

        @Flag(name: .long, help: "Wait (polling) until the batches have ended.")
        var wait = false

        @Option(name: .customLong("poll-interval"), help: ArgumentHelp("With --wait: seconds between polls.", valueName: "seconds"))
        var pollInterval: Double = 60

        @Option(name: .long, help: "The finished runs' output: table, json, csv or trec.")
        var format: OutputFormat = .table

        @Flag(name: .long, help: "No notes on stderr.")
        var quiet = false

        func validate() throws {
            guard pollInterval > 0 else { throw ValidationError("--poll-interval must be positive") }
        }

        func run() async throws {
            let store = try access.storeOption.open()
            var runs: [Int64] = []
            var waiting = 0
            for var batch in try access.batches(batches, store: store, default: true) {
                if !batch.isCollected {
                    let client = try access.client(batch, store: store)
                    do {
                        batch = try await client.refresh(batch)
                        while wait, !batch.isCollected {
                            if !quiet { printError(BatchFlow.describe(batch)) }
                            try await Task.sleep(nanoseconds: UInt64(pollInterval * 1e9))
                            batch = try await client.refresh(batch)
                        }
                    } catch let exit as ExitCode { throw exit } catch {
                        throw failInput("batch \(batch.id ?? 0) (\(batch.remoteId)): \(error)")
                    }
                }
                if !quiet { printError(BatchFlow.describe(batch)) }
                if batch.isCollected {
                    if !runs.contains(batch.runId) { runs.append(batch.runId) }
                } else {
                    waiting += 1
                    printError("batch \(batch.id ?? 0) has not ended (\(batch.providerStatus)); collect it when it has, or add --wait")
                }
            }
            for runID in runs {
                let all: [StoredBatch]
                do { all = try store.batches(runID: runID) } catch { throw failInput(error.commandLineMessage) }
                let open = all.filter { !$0.isCollected }
                if !open.isEmpty {
                    printError("run \(runID) waits for batch\(open.count == 1 ? "" : "es") \(open.compactMap { $0.id.map(String.init) }.joined(separator: ", ")); it is finished when they are collected")
                    continue
                }
                guard all.contains(where: { $0.appliedAt == nil }) else { continue }
                // The run finishes exactly as `run --resume RUN --batch` does.
                var arguments = ["--resume", String(runID), "--batch", "--format", format.rawValue]
                if let path = access.storeOption.store { arguments += ["--store", path] }
                if let key = access.apiKey { arguments += ["--api-key", key] }
                if quiet { arguments.append("--quiet") }
                let command = try RunCommand.parse(arguments)
                try await command.run()
            }
            if waiting > 0 { throw ExitCode(3) }
        }
    }

    static func table(_ rows: [StoredBatch]) -> String {
        var lines = [["batch", "run", "provider", "model", "provider id", "status", "answered", "failed", "submitted", "here"]]
        for b in rows {
            let here = b.appliedAt != nil ? "recorded" : b.isCollected ? "collected" : "at provider"
            lines.append(["\(b.id ?? 0)", "\(b.runId)", b.provider, b.model, b.remoteId, b.providerStatus,
                          "\(b.succeeded)/\(b.requests)", "\(b.failed)", HistoryCommand.date(b.submittedAt), here])
        }
        let widths = (0..<lines[0].count).map { c in lines.map { $0[c].count }.max() ?? 0 }
        return lines.map { row in
            row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
    }
}
