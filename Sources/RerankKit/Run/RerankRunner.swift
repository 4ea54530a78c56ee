import Foundation

/// What a run produced: every completed call, and whether it was cut short.
public struct RunOutcome: Sendable {
    public var results: [PairResult]
    public var cancelled: Bool
    /// Wall time of the whole run in seconds.
    public var elapsed: Double
}

/// Makes the calls of a plan: many in flight, retries with backoff, per-request timeouts, and
/// cancellation that keeps every completed result.
public struct RerankRunner: Sendable {
    public let provider: any ChatProvider
    public let settings: RunSettings
    public let clock: any RunClock
    /// A source of uniform random numbers in 0..<1 for backoff jitter.
    public let random: @Sendable () -> Double

    public init(provider: any ChatProvider, settings: RunSettings, clock: any RunClock = SystemRunClock(),
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.provider = provider
        self.settings = settings
        self.clock = clock
        self.random = random
    }

    /// Runs every task of `plan` except those whose keys are in `skip` (already done).
    /// Never throws: failures become failed results, cancellation returns what completed.
    public func run(_ plan: RunPlan, dataset: Dataset, skip: Set<PairKey> = [],
                    onEvent: @escaping @Sendable (RunEvent) -> Void = { _ in }) async -> RunOutcome {
        let start = clock.now()
        let pending = plan.tasks.filter { task in
            skip.isEmpty || !skip.contains(Self.key(task, dataset))
        }
        let total = pending.count
        onEvent(.started(total: total))
        var results: [PairResult] = []
        results.reserveCapacity(total)
        let limit = max(1, settings.concurrency)
        await withTaskGroup(of: PairResult?.self) { group in
            var next = 0
            func launch() {
                let task = pending[next]
                next += 1
                group.addTask { await self.execute(task, dataset: dataset, onEvent: onEvent) }
            }
            while next < min(limit, total), !Task.isCancelled { launch() }
            while let finished = await group.next() {
                if let finished {
                    results.append(finished)
                    onEvent(.pairFinished(finished, done: results.count, total: total))
                }
                if next < total, !Task.isCancelled { launch() }
            }
        }
        let cancelled = results.count < total
        onEvent(.finished(done: results.count, total: total, cancelled: cancelled))
        return RunOutcome(results: results, cancelled: cancelled, elapsed: clock.now() - start)
    }

    static func key(_ task: PairTask, _ dataset: Dataset) -> PairKey {
        let q = dataset.queries[task.queryIndex]
        return PairKey(queryID: q.id, candidateID: q.candidates[task.candidateIndex].id, sampleIndex: task.sampleIndex)
    }

    /// One pair with retries; nil when cancelled before it completed.
    func execute(_ task: PairTask, dataset: Dataset, onEvent: @Sendable (RunEvent) -> Void) async -> PairResult? {
        let key = Self.key(task, dataset)
        let started = clock.now()
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { return nil }
            do {
                var reply = try await callWithTimeout(task.request)
                reply.latency = clock.now() - started
                return PairResult(queryID: key.queryID, candidateID: key.candidateID, sampleIndex: key.sampleIndex,
                                  reply: reply, attempts: attempt, latency: reply.latency)
            } catch {
                let providerError = Self.classify(error)
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

    private func callWithTimeout(_ request: ChatRequest) async throws -> ChatReply {
        guard let seconds = settings.timeout, seconds > 0 else { return try await provider.complete(request) }
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
