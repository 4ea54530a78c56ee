import Foundation
import Synchronization

/// Why a run stopped before making every call.
public enum StopReason: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The user cancelled (Ctrl-C, Esc).
    case cancelled
    /// A call failed in a way every other call would too (bad key, unsupported parameter).
    case configuration(String)
    /// The cost limit was reached.
    case budget(spent: Double, limit: Double)

    public var description: String {
        switch self {
        case .cancelled: return "cancelled"
        case let .configuration(m): return "stopped on a configuration error: \(m)"
        case let .budget(spent, limit): return "stopped at the cost limit: $\(spent.formatted(decimals: 4)) spent of $\(limit.formatted(decimals: 4))"
        }
    }
}

/// What a run produced: every completed call, and why it stopped early, if it did.
public struct RunOutcome: Sendable {
    public var results: [PairResult]
    public var stopReason: StopReason?
    /// Wall time of the whole run in seconds.
    public var elapsed: Double

    public var cancelled: Bool { stopReason != nil }

    public init(results: [PairResult], stopReason: StopReason?, elapsed: Double) {
        self.results = results
        self.stopReason = stopReason
        self.elapsed = elapsed
    }
}

/// Makes the calls of a plan: many in flight (adapting to 429s), retries with backoff and
/// jitter, per-request timeouts, rate and cost limits, and cancellation that keeps every
/// completed result.
public struct RerankRunner: Sendable {
    public let provider: any ChatProvider
    public let settings: RunSettings
    public let clock: any RunClock
    /// A source of uniform random numbers in 0..<1 for backoff jitter.
    public let random: @Sendable () -> Double
    /// Prices, for the cost limit.
    public let prices: PriceTable

    public init(provider: any ChatProvider, settings: RunSettings, clock: any RunClock = SystemRunClock(),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, prices: PriceTable = .bundled) {
        self.provider = provider
        self.settings = settings
        self.clock = clock
        self.random = random
        self.prices = prices
    }

    /// Runs every task of `plan` (of the queries in `queries`, when given: a window of a large
    /// run) except those whose keys are in `skip` (already done).
    /// Never throws: failures become failed results, stops return what completed.
    public func run(_ plan: RunPlan, dataset: Dataset, queries: Range<Int>? = nil, skip: Set<PairKey> = [],
                    onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) async -> RunOutcome {
        let pending = plan.tasks(queries: queries ?? dataset.queries.indices)
            .filter { skip.isEmpty || !skip.contains(Self.key($0, dataset)) }
        return await run(pending, dataset: dataset, onEvent: onEvent)
    }

    /// Runs `pending`, tasks of `dataset`'s plan (a caller that made them already need not have
    /// them made again).
    public func run(_ pending: [PairTask], dataset: Dataset, onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) async -> RunOutcome {
        let start = clock.now()
        let total = pending.count
        onEvent(.started(total: total))
        // Nothing to call (the cache answered the window): the provider's client and its event
        // loops are not started for it, a fixed cost of every run the cache answers.
        guard total > 0 else {
            onEvent(.finished(done: 0, total: 0, cancelled: false))
            return RunOutcome(results: [], stopReason: nil, elapsed: clock.now() - start)
        }
        if let local = provider as? any InProcessProvider {
            return await runInProcess(pending, provider: local, dataset: dataset, start: start, onEvent: onEvent)
        }
        let gate = CallGate(concurrency: settings.concurrency, requestsPerMinute: settings.requestsPerMinute,
                            tokensPerMinute: settings.tokensPerMinute)
        let stop = Mutex<StopReason?>(nil)
        let price = prices.price(provider: settings.provider, model: settings.model)
        var spent = 0.0
        var successes = 0
        var connectionFailures = 0
        let unreachableAfter = max(8, settings.concurrency)
        var results: [PairResult] = []
        results.reserveCapacity(total)
        func callAll() async {
            await withTaskGroup(of: PairResult?.self) { group in
                var next = 0
                func launch() {
                    let task = pending[next]
                    next += 1
                    group.addTask { await self.execute(task, dataset: dataset, gate: gate, onEvent: onEvent) }
                }
                // Launch up to the concurrency; the gate holds the real in-flight limit.
                while next < min(max(1, settings.concurrency), total) { launch() }
                while let finished = await group.next() {
                    if let finished {
                        results.append(finished)
                        onEvent(.pairFinished(finished, done: results.count, total: total))
                        if finished.reply != nil { successes += 1 }
                        if finished.errorKind == .connection { connectionFailures += 1 }
                        if finished.errorKind == .configuration, let message = finished.error {
                            stop.withLock { if $0 == nil { $0 = .configuration(message) } }
                            group.cancelAll()
                        }
                        // A server that never answered is a setting to fix, not 0.5 for every pair.
                        if successes == 0, connectionFailures >= unreachableAfter, let message = finished.error {
                            stop.withLock { if $0 == nil { $0 = .configuration("the server cannot be reached (\(connectionFailures) calls failed, none succeeded): \(message). Check the base URL and that the server is running") } }
                            group.cancelAll()
                        }
                        if let limit = settings.maxCost, let price, let usage = finished.reply?.usage {
                            spent += price.cost(usage)
                            if spent >= limit { stop.withLock { if $0 == nil { $0 = .budget(spent: spent, limit: limit) } } }
                        }
                    }
                    if Task.isCancelled { stop.withLock { if $0 == nil { $0 = .cancelled } } }
                    if next < total, stop.withLock({ $0 == nil }) { launch() }
                }
            }
        }
        // The calls, and this loop that collects them, run where the provider's I/O completes
        // (its HTTP client's event loop): a call's steps, and the hand-over of each result, are
        // then queued on one thread instead of waking a pool thread and a loop thread in turn.
        if #available(macOS 15.0, *), let executor = provider.callExecutor {
            await withTaskExecutorPreference(executor) { await callAll() }
        } else {
            await callAll()
        }
        var reason = stop.withLock { $0 }
        if reason == nil, results.count < total { reason = .cancelled }
        onEvent(.finished(done: results.count, total: total, cancelled: reason != nil))
        return RunOutcome(results: results, stopReason: reason, elapsed: clock.now() - start)
    }

    /// The calls of a provider that answers in this process: no gate, no retries (nothing to
    /// wait out), no timer. A slice of calls at a time is answered on every core, then its
    /// results are taken in order, so events, the stop on a configuration error (a replay that
    /// lacks a request) and cancellation between slices are as if the calls were made one
    /// after another. A failure is a failed pair as on the network path.
    func runInProcess(_ pending: [PairTask], provider: any InProcessProvider, dataset: Dataset, start: Double,
                      onEvent: @Sendable (RunEvent) -> Void) async -> RunOutcome {
        var results: [PairResult] = []
        results.reserveCapacity(pending.count)
        var reason: StopReason?
        let slice = 2_048
        var next = 0
        slices: while next < pending.count {
            if Task.isCancelled {
                reason = .cancelled
                break
            }
            let tasks = pending[next..<min(pending.count, next + slice)]
            next = tasks.endIndex
            let started = clock.now()
            let answers = Parallel.map(count: tasks.count, minimumPerPart: 256) { i -> Result<ChatReply, ProviderError> in
                do { return .success(try provider.answer(tasks[tasks.startIndex + i])) } catch { return .failure(Self.classify(error)) }
            }
            // Answered together: each call's share of the slice's time.
            let latency = (clock.now() - started) / Double(tasks.count)
            for (task, answer) in zip(tasks, answers) {
                let key = Self.key(task, dataset)
                let result: PairResult
                switch answer {
                case var .success(reply):
                    reply.latency = latency
                    result = PairResult(queryID: key.queryID, candidateID: key.candidateID, sampleIndex: key.sampleIndex,
                                        reply: reply, attempts: 1, latency: latency)
                case let .failure(providerError):
                    if providerError == .cancelled {
                        reason = .cancelled
                        break slices
                    }
                    result = PairResult(queryID: key.queryID, candidateID: key.candidateID, sampleIndex: key.sampleIndex,
                                        reply: nil, error: providerError.description, errorKind: providerError.kind,
                                        attempts: 1, latency: latency)
                    if case let .configuration(message) = providerError { reason = .configuration(message) }
                }
                results.append(result)
                onEvent(.pairFinished(result, done: results.count, total: pending.count))
                if reason != nil { break slices }
            }
        }
        onEvent(.finished(done: results.count, total: pending.count, cancelled: reason != nil))
        return RunOutcome(results: results, stopReason: reason, elapsed: clock.now() - start)
    }

    package static func key(_ task: PairTask, _ dataset: Dataset) -> PairKey {
        let q = dataset.queries[task.queryIndex]
        return PairKey(queryID: q.id, candidateID: q.candidates[task.candidateIndex].id, sampleIndex: task.sampleIndex)
    }

    /// One pair with retries; nil when cancelled before it completed.
    func execute(_ task: PairTask, dataset: Dataset, gate: CallGate, onEvent: @Sendable (RunEvent) -> Void) async -> PairResult? {
        let key = Self.key(task, dataset)
        let started = clock.now()
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { return nil }
            if gate.hasRateLimits {
                let estimatedTokens = task.request.messages.reduce(0) { $0 + $1.content.count } / 4 + (task.request.maxTokens ?? 0)
                while let wait = gate.rateDelay(now: clock.now(), tokens: estimatedTokens) {
                    do { try await clock.sleep(seconds: wait) } catch { return nil }
                }
            }
            await gate.acquireSlot()
            if Task.isCancelled {
                gate.releaseSlot(rateLimited: false, succeeded: false)
                return nil
            }
            do {
                var reply = try await callWithTimeout(task.request)
                gate.releaseSlot(rateLimited: false, succeeded: true)
                reply.latency = clock.now() - started
                return PairResult(queryID: key.queryID, candidateID: key.candidateID, sampleIndex: key.sampleIndex,
                                  reply: reply, attempts: attempt, latency: reply.latency)
            } catch {
                let providerError = Self.classify(error)
                var rateLimited = false
                if case let .http(status, _, _) = providerError, status == 429 { rateLimited = true }
                gate.releaseSlot(rateLimited: rateLimited, succeeded: false)
                if providerError == .cancelled || Task.isCancelled { return nil }
                if providerError.isRetryable, attempt <= settings.retry.maxRetries {
                    var retryAfter: Double?
                    if case let .http(_, _, after) = providerError { retryAfter = after }
                    let delay = settings.retry.delay(attempt: attempt, retryAfter: retryAfter, unit: random())
                    onEvent(.retrying(queryID: key.queryID, candidateID: key.candidateID, attempt: attempt, error: providerError, delay: delay))
                    do { try await clock.sleep(seconds: delay) } catch { return nil }
                    continue
                }
                return PairResult(queryID: key.queryID, candidateID: key.candidateID, sampleIndex: key.sampleIndex,
                                  reply: nil, error: providerError.description, errorKind: providerError.kind,
                                  attempts: attempt, latency: clock.now() - started)
            }
        }
    }

    private func callWithTimeout(_ original: ChatRequest) async throws -> ChatReply {
        var copy = original
        copy.timeout = settings.timeout
        let request = copy
        guard let seconds = settings.timeout, seconds > 0, !provider.enforcesTimeout else { return try await provider.complete(request) }
        let provider = self.provider
        let clock = self.clock
        return try await withThrowingTaskGroup(of: ChatReply.self) { group in
            group.addTask { try await provider.complete(request) }
            group.addTask {
                try await clock.sleep(seconds: seconds)
                throw ProviderError.timeout(seconds: seconds)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw ProviderError.cancelled }
            return first
        }
    }

    static func classify(_ error: any Error) -> ProviderError {
        if let e = error as? ProviderError { return e }
        if error is CancellationError { return .cancelled }
        return .connection(String(describing: error))
    }
}
