import ArgumentParser
import Foundation
import RerankCommandLine
import RerankKit
import Synchronization

/// The batch side of `run --batch` and `matrix --batch`: submit what a run still needs, wait
/// for the provider with a progress line, and hand the run a provider that answers from the
/// collected batches, so the run then finishes (and is reported) like any other.
struct BatchFlow {
    let options: BatchOptions
    let store: RunStore
    let quiet: Bool

    /// What a run finishes with once its batches are collected.
    struct Finish {
        var runID: Int64
        var provider: BatchReplyProvider
        /// The price table less the provider's batch discount.
        var prices: PriceTable
        /// The run's settings for the runner: the replies are already here, so no rate limit,
        /// and the money is already spent, so no cost stop half-way through recording them.
        var settings: RunSettings
    }

    func client(for setup: RunSetup) throws -> BatchClient {
        guard case let .endpoint(endpoint, _, nil) = setup.resolved.provider,
              let api = BatchAPIFactory.make(endpoint: endpoint, limits: options.limits(provider: endpoint.preset.name)) else {
            throw failInput("--batch works with \(BatchAPIFactory.providers.joined(separator: ", ")) (the providers with a batch API here); \(TerminalText.inert(setup.settings.provider)) has none: leave out --batch")
        }
        return BatchClient(store: store, api: api)
    }

    /// Starts run `resume` (nil: a new run) on the batch path and submits what it still needs,
    /// unless it has batches out or collected and not yet recorded: those are finished first.
    /// Returns the run's id.
    func submit(_ setup: RunSetup, resume: Int64?, label: String?, useCache: Bool) async throws -> Int64 {
        let client = try client(for: setup)
        let runID = try resume ?? store.beginRun(prompt: setup.prompt, settings: setup.settings, dataset: setup.dataset,
                                                 planned: setup.plan.count, label: label)
        let pending = try store.batches(runID: runID).filter { $0.appliedAt == nil }
        if !pending.isEmpty {
            note("run \(runID): \(pending.count) batch\(pending.count == 1 ? "" : "es") submitted before; finishing with \(pending.count == 1 ? "it" : "them") (nothing new is submitted)")
            return runID
        }
        let misses = try BatchClient.misses(plan: setup.plan, dataset: setup.dataset, live: setup.provider, store: store,
                                            runID: resume, useCache: useCache)
        if misses.isEmpty {
            note("run \(runID): every call is answered already (cache or earlier results); nothing to submit")
            return runID
        }
        let prices = setup.prices.forBatch(provider: setup.settings.provider)
        if let limit = setup.settings.maxCost, let price = prices.price(provider: setup.settings.provider, model: setup.settings.model) {
            var chars = 0
            for miss in misses { for message in miss.request.messages { chars += message.content.count + 8 } }
            let likely = price.cost(TokenUsage(promptTokens: chars / 4, completionTokens: misses.count * min(8, setup.settings.maxTokens ?? 100)))
            if likely > limit {
                throw failInput("the batch would cost about $\(likely.formatted(decimals: 4)) at the batch price, over --max-cost \(limit); a batch cannot stop half-way: raise --max-cost or run fewer queries (run \(runID) is stored with nothing submitted)")
            }
        }
        note("run \(runID): submitting \(misses.count) request\(misses.count == 1 ? "" : "s") to \(setup.settings.provider)'s batch API (the cache answers the rest)")
        do {
            for batch in try await client.submit(misses, runID: runID, model: setup.settings.model) {
                note("batch \(batch.id ?? 0) (\(batch.remoteId)): \(batch.requests) requests, \(batch.providerStatus)")
            }
        } catch {
            throw failInput("\(error.description)\nrun \(runID) keeps what was submitted: `rerank-eval run --resume \(runID) --batch` waits for it and records the rest as failed, to ask again")
        }
        return runID
    }

    /// What to type to finish run `runID` later.
    func instructions(runID: Int64) throws -> String {
        let open = try store.batches(runID: runID).filter { !$0.isCollected }
        let ids = open.compactMap { $0.id.map(String.init) }.joined(separator: " ")
        return "run \(runID) has \(open.count) batch\(open.count == 1 ? "" : "es") at the provider (they keep running). When they end: `rerank-eval batches collect \(ids)` (or `rerank-eval run --resume \(runID) --batch`, which waits for them); `rerank-eval batches` shows where they stand"
    }

    /// Waits until every batch of the runs is collected, printing each change of status. On
    /// Ctrl-C the batches keep running at the provider: says how to collect them and exits 130.
    func wait(_ runs: [(runID: Int64, client: BatchClient)]) async throws {
        let seen = StatusLines()
        let quiet = self.quiet, interval = options.pollInterval
        let task = Task {
            for run in runs {
                try await run.client.waitForRun(run.runID, interval: interval, onUpdate: { batch in
                    let line = Self.describe(batch)
                    if seen.changed(batch.id ?? 0, to: line), !quiet { printError(line) }
                }, onRetry: { batch, error in
                    if !quiet { printError("batch \(batch.id ?? 0): \(error); asking again in \(interval.formatted(decimals: 0)) s") }
                })
            }
        }
        let interrupt = InterruptHandler { task.cancel() }
        defer { interrupt.stop() }
        do {
            try await task.value
        } catch is CancellationError {
            for run in runs { printError(try instructions(runID: run.runID)) }
            throw ExitCode(130)
        } catch {
            let open = runs.map(\.runID).map { "`rerank-eval run --resume \($0) --batch`" }.joined(separator: ", ")
            throw failInput("\(error)\nthe batches keep running at the provider; try again with \(open) or `rerank-eval batches`")
        }
    }

    /// One batch's status line.
    static func describe(_ batch: StoredBatch) -> String {
        var line = "batch \(batch.id ?? 0) (\(batch.remoteId)): \(batch.providerStatus), \(batch.succeeded) of \(batch.requests) answered"
        if batch.failed > 0 { line += ", \(batch.failed) failed" }
        if batch.isCollected { line += "; results collected" }
        if let message = batch.message { line += " (\(message))" }
        return TerminalText.inert(line)
    }

    /// The provider and settings that finish run `runID` from its collected batches.
    func finish(_ setup: RunSetup, runID: Int64) throws -> Finish {
        let provider: BatchReplyProvider
        do { provider = try BatchClient.finishingProvider(live: setup.provider, store: store, runID: runID) } catch { throw failInput(error.commandLineMessage) }
        var settings = setup.settings
        settings.requestsPerMinute = nil
        settings.tokensPerMinute = nil
        settings.maxCost = nil
        settings.concurrency = max(settings.concurrency, 16)
        return Finish(runID: runID, provider: provider, prices: setup.prices.forBatch(provider: setup.settings.provider), settings: settings)
    }

    func note(_ line: String) {
        if !quiet { printError(line) }
    }
}

/// The last status line printed per batch, so a line is printed only when it changes.
final class StatusLines: Sendable {
    private let lines = Mutex<[Int64: String]>([:])

    func changed(_ id: Int64, to line: String) -> Bool {
        lines.withLock { old in
            defer { old[id] = line }
            return old[id] != line
        }
    }
}
