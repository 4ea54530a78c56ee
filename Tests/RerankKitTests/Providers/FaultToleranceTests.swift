import Foundation
import RerankKit
import RerankTestSupport
import Synchronization
import Testing

/// The runner against a loopback OpenAI-compatible server that injects faults.
@Suite struct FaultToleranceTests {
    static func provider(_ server: FakeProviderServer) -> OpenAIChatProvider {
        OpenAIChatProvider(endpoint: ProviderEndpoint(preset: ProviderPreset.named("vllm")!, baseURL: server.baseURL + "/v1"))
    }

    static func settings(concurrency: Int = 4, retries: Int = 3, timeout: Double = 5, policy: FailurePolicy = .strict) -> RunSettings {
        RunSettings(provider: "vllm", model: "test-model", concurrency: concurrency, failurePolicy: policy,
                    retry: RetryPolicy(maxRetries: retries, baseDelay: 0.01, maxDelay: 0.05), timeout: timeout)
    }

    /// The deterministic answer for the pair in a request.
    static func answer(_ r: RecordedRequest) -> String {
        guard let pair = r.pair else { return "no pair" }
        return Fixtures.score(query: pair.query, document: pair.document).formatted(decimals: 3)
    }

    func run(_ server: FakeProviderServer, _ dataset: Dataset, _ settings: RunSettings,
             events: (@Sendable (RunEvent) -> Void)? = nil) async throws -> (RunOutcome, RunReport) {
        let plan = try RunPlan(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
        let outcome = await RerankRunner(provider: Self.provider(server), settings: settings).run(plan, dataset: dataset, onEvent: events ?? { _ in })
        let report = RunReportBuilder(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
            .build(results: outcome.results, stopReason: outcome.stopReason)
        return (outcome, report)
    }

    @Test func everyFaultKindRecoversWithRetries() async throws {
        // Per pair, the first attempt fails in one of several ways; the second succeeds.
        let seen = Mutex<Set<String>>([])
        let server = try FakeProviderServer { r, _ in
            let pair = r.pair!.document
            let first = seen.withLock { $0.insert(pair).inserted }
            guard first else { return .text(Self.answer(r), for: r) }
            switch Int(Fixtures.score(query: "fault", document: pair) * 1000) % 7 {
            case 0: return .error(429, "slow down", for: r, headers: [("retry-after-ms", "20")])
            case 1: return .error(500, "internal", for: r)
            case 2: return .error(503, "overloaded", for: r)
            case 3: return .reset(delay: 0)
            // An HTTP 200 whose body is cut short, and one that is not JSON at all: transient
            // like a 5xx, so retried rather than failed at once.
            case 4: return .truncated(.text(Self.answer(r), for: r))
            case 5: return .json("<html><body>502 Bad Gateway</body></html>")
            // Far past the 0.3 s timeout: a starved test machine can delay the client's timer
            // by seconds (seen at 3 s with a local model busy on both cores, and past 30 s in
            // a clean-clone CI run of the whole suite with its tmux and tune tests).
            default: return .text(Self.answer(r), for: r, delay: 150.0)
            }
        }
        defer { server.stop() }
        let dataset = Fixtures.dataset(queries: 4, candidates: 10)
        let (outcome, report) = try await run(server, dataset, Self.settings(timeout: 0.3))
        #expect(outcome.stopReason == nil)
        #expect(report.counts.ok == 40)
        #expect(report.counts.failed == 0)
        #expect(report.counts.retried == 40)
        let perPair = Dictionary(grouping: server.requests.compactMap { $0.pair?.document }, by: { $0 }).mapValues(\.count)
        let once = perPair.filter { $0.value < 2 }.keys.sorted()
        #expect(once.isEmpty, "pairs answered at the first request: \(once.map { "\($0) kind \(Int(Fixtures.score(query: "fault", document: $0) * 1000) % 7)" })")
        for q in report.queries {
            for c in q.candidates {
                let query = dataset.queries.first { $0.id == q.queryID }!
                let text = query.candidates.first { $0.id == c.id }!.text
                #expect(c.score == Double(Fixtures.score(query: query.text, document: text).formatted(decimals: 3)))
            }
        }
    }

    @Test func randomFaultsWithStrictPolicyEqualAFaultFreeRun() async throws {
        let dataset = Fixtures.dataset(queries: 6, candidates: 12)
        let clean = try FakeProviderServer { r, _ in .text(Self.answer(r), for: r) }
        let (_, expected) = try await run(clean, dataset, Self.settings())
        clean.stop()
        // 20% of attempts faulted, drawn at random per request (fixed seed through the arrival
        // number): 429, 500, 503, a reset connection and truncated JSON, 4% each.
        let faulty = try FakeProviderServer { r, n in
            var x = UInt64(n) &* 0x9E37_79B9_7F4A_7C15
            x ^= x >> 29
            switch x % 25 {
            case 0: return .error(429, "rate limited", for: r, headers: [("retry-after-ms", "5")])
            case 1: return .error(500, "internal", for: r)
            case 2: return .error(503, "unavailable", for: r)
            case 3: return .reset(delay: 0)
            case 4: return .truncated(.text(Self.answer(r), for: r))
            default: return .text(Self.answer(r), for: r)
            }
        }
        defer { faulty.stop() }
        let (outcome, got) = try await run(faulty, dataset, Self.settings(retries: 8))
        #expect(outcome.stopReason == nil)
        #expect(got.counts.failed == 0)
        #expect(got.counts.retried > 0)
        #expect(got.queries.map(\.candidates) == expected.queries.map(\.candidates).map { $0 })
        #expect(got.rerankedMean == expected.rerankedMean)
    }

    @Test func exhaustedRetriesFailUnderStrictAndScoreHalfUnderMem0() async throws {
        let server = try FakeProviderServer { r, _ in
            r.pair!.document.hasSuffix("-3") ? .error(500, "always broken", for: r) : .text(Self.answer(r), for: r)
        }
        defer { server.stop() }
        let dataset = Fixtures.dataset(queries: 2, candidates: 5)
        let (_, strict) = try await run(server, dataset, Self.settings(retries: 2))
        #expect(strict.counts.failed == 2)
        let failed = strict.queries[0].candidates.last!
        #expect(failed.id == "m3" && failed.score == nil && failed.failed)
        #expect(failed.error == "HTTP 500: always broken")
        let (_, mem0) = try await run(server, dataset, Self.settings(retries: 2, policy: .mem0))
        #expect(mem0.queries[0].candidates.first { $0.id == "m3" }?.score == 0.5)
        // 3 attempts per broken pair per run.
        #expect(server.requests.filter { $0.pair?.document.hasSuffix("-3") == true }.count == 12)
    }

    @Test func retryAfterIsHonoured() async throws {
        let count = Mutex(0)
        let server = try FakeProviderServer { r, _ in
            let n = count.withLock { $0 += 1; return $0 }
            return n == 1 ? .error(429, "wait", for: r, headers: [("Retry-After", "1")]) : .text("0.5", for: r)
        }
        defer { server.stop() }
        let delays = Mutex<[Double]>([])
        let start = Date()
        let (_, report) = try await run(server, Fixtures.dataset(queries: 1, candidates: 1), Self.settings()) { e in
            if case let .retrying(_, _, _, _, delay) = e { delays.withLock { $0.append(delay) } }
        }
        #expect(report.counts.ok == 1)
        #expect(delays.withLock { $0 } == [1.0])
        #expect(Date().timeIntervalSince(start) >= 1.0)
    }

    @Test func repliesWithOddContentAreFlaggedNotLost() async throws {
        let server = try FakeProviderServer { r, _ in
            switch r.pair!.document.split(separator: "-").last! {
            case "0": return .text("", for: r)
            case "1": return .text(nil, for: r)
            case "2": return .text("Let me think about the", for: r, finishReason: "length")
            case "3": return .json("{\"choices\": []}")
            default: return .text("0.9", for: r)
            }
        }
        defer { server.stop() }
        let (_, report) = try await run(server, Fixtures.dataset(queries: 1, candidates: 5), Self.settings(retries: 0, policy: .mem0))
        #expect(report.counts.empty == 2)
        #expect(report.counts.truncated == 1)
        #expect(report.counts.fallback == 1)
        #expect(report.counts.failed == 1)
        let c = Dictionary(uniqueKeysWithValues: report.queries[0].candidates.map { ($0.id, $0) })
        #expect(c["m3"]?.error?.contains("malformed reply") == true)
        #expect(c["m2"]?.truncated == true)
        #expect(report.counts.ok + report.counts.failed == 5)
    }

    @Test func concurrencyReachesTheLimitAndNoMore() async throws {
        // The first 8 replies wait 8 s, so all 8 are in flight together even when a loaded
        // machine starves the client's task pool (40 ms was too short on CI: peak 5).
        let server = try FakeProviderServer { r, n in .text("0.5", for: r, delay: n < 8 ? 8 : 0.04) }
        defer { server.stop() }
        let (outcome, _) = try await run(server, Fixtures.dataset(queries: 4, candidates: 12), Self.settings(concurrency: 8, timeout: 60))
        #expect(outcome.results.count == 48)
        #expect(server.peakInFlight == 8)
    }

    @Test func cancellationStopsQuicklyAndKeepsCompletedScores() async throws {
        // The slow replies are held far past the run's timeout, and the timeout far past any
        // bound below: a run that waits for either instead of stopping fails.
        let server = try FakeProviderServer { r, n in .text("0.5", for: r, delay: n < 4 ? 0 : 600) }
        defer { server.stop() }
        let dataset = Fixtures.dataset(queries: 5, candidates: 10)
        let settings = Self.settings(concurrency: 4, timeout: 300)
        let plan = try RunPlan(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
        let runner = RerankRunner(provider: Self.provider(server), settings: settings)
        let seen = Mutex<[String]>([])
        let task = Task { await runner.run(plan, dataset: dataset, onEvent: { e in
            let t: String
            switch e {
            case .started: t = "started"
            case let .pairFinished(r, _, _): t = "done \(r.candidateID) \(r.error ?? "ok")"
            case let .retrying(_, c, a, err, _): t = "retry \(c) \(a) \(err)"
            case .finished: t = "finished"
            case .restored: t = "restored"
            }
            seen.withLock { $0.append(String(format: "%.3f ", Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 100)) + t) }
        }) }
        // 4 quick replies, then 4 calls hanging on the slow ones. (A clean-clone CI run of the
        // whole suite once took over 60 s to send the next 4: the wait is long, the bound below
        // is what the test is about.)
        try await waitUntil(seconds: 180) { server.requests.count >= 8 }
        #expect(server.requests.count >= 8, "\(server.requests.count) requests arrived; events: \(seen.withLock { $0 })")
        let cancelledAt = Date()
        task.cancel()
        // The promise is "within a second" (BENCHMARKS.md measures it on a quiet machine). What
        // is timed here is when the server saw the 4 waiting connections closed: that happens on
        // the HTTP client's event loop, straight from the cancel, so it does not depend on the
        // test's own tasks getting a thread (the full suite keeps Swift's 2-thread pool busy,
        // and a resumed task has waited 30 s and more for one in clean-clone CI runs).
        try await waitUntil(seconds: 120) { server.hangUps.count >= 4 }
        let hangUps = server.hangUps
        #expect(hangUps.count == 4)
        if let last = hangUps.last { #expect(last.timeIntervalSince(cancelledAt) < 10.0, "hung up \(last.timeIntervalSince(cancelledAt)) s after the cancel") }
        let outcome = await task.value
        // Far under the 300 s timeout: the run did not wait for its calls to time out.
        #expect(Date().timeIntervalSince(cancelledAt) < 150.0)
        #expect(outcome.stopReason == .cancelled)
        #expect(outcome.results.count == 4)
        #expect(outcome.results.allSatisfy { $0.reply?.text == "0.5" })
    }

    @Test func configurationErrorStopsTheRun() async throws {
        let server = try FakeProviderServer { r, _ in
            .error(400, "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", for: r)
        }
        defer { server.stop() }
        let (outcome, _) = try await run(server, Fixtures.dataset(queries: 10, candidates: 10), Self.settings(concurrency: 2))
        guard case let .configuration(message) = outcome.stopReason else { Issue.record("\(String(describing: outcome.stopReason))"); return }
        #expect(message.contains("test-model rejects max_tokens"))
        #expect(server.requests.count < 10)
    }

    @Test func costLimitStopsCleanly() async throws {
        let server = try FakeProviderServer { r, _ in .text("0.5", for: r, promptTokens: 1_000_000, completionTokens: 0) }
        defer { server.stop() }
        var settings = Self.settings(concurrency: 1)
        settings.provider = "openai"
        settings.model = "gpt-4o-mini"  // $0.15 per million input tokens
        settings.maxCost = 0.5
        let dataset = Fixtures.dataset(queries: 2, candidates: 10)
        let plan = try RunPlan(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
        let outcome = await RerankRunner(provider: Self.provider(server), settings: settings).run(plan, dataset: dataset)
        guard case let .budget(spent, limit) = outcome.stopReason else { Issue.record("no budget stop"); return }
        #expect(abs(spent - 0.6) < 1e-9 && limit == 0.5)
        #expect(outcome.results.count == 4)
        let report = RunReportBuilder(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings).build(results: outcome.results, stopReason: outcome.stopReason)
        #expect(abs(report.cost! - 0.6) < 1e-9)
        #expect(report.counts.notRun == 16)
    }

    @Test func unreachableServerStopsWithAClearMessage() async throws {
        let dataset = Fixtures.dataset(queries: 3, candidates: 10)
        let settings = Self.settings(retries: 0)
        let provider = OpenAIChatProvider(endpoint: ProviderEndpoint(preset: ProviderPreset.named("vllm")!, baseURL: "http://127.0.0.1:9/v1"))
        let plan = try RunPlan(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
        let outcome = await RerankRunner(provider: provider, settings: settings).run(plan, dataset: dataset)
        guard case let .configuration(message) = outcome.stopReason else { Issue.record("no stop"); return }
        #expect(message.contains("connection refused by 127.0.0.1:9"))
    }

    @Test func requestsPerMinuteLimit() async throws {
        let server = try FakeProviderServer { r, _ in .text("0.5", for: r) }
        defer { server.stop() }
        var settings = Self.settings(concurrency: 8)
        settings.requestsPerMinute = 3
        let dataset = Fixtures.dataset(queries: 1, candidates: 5)
        let plan = try RunPlan(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
        // The minute never passes on this clock, however long the machine keeps the test
        // waiting (a clean-clone CI run once let a real minute pass before the check below).
        let clock = StoppedClock()
        let task = Task { await RerankRunner(provider: Self.provider(server), settings: settings, clock: clock).run(plan, dataset: dataset) }
        try await waitUntil { server.requests.count >= 3 && clock.sleeps.count >= 2 }
        try await Task.sleep(nanoseconds: 300_000_000)
        // The fourth and fifth requests wait for the minute to pass, as long as the first did.
        #expect(server.requests.count == 3)
        #expect(clock.sleeps.count == 2 && clock.sleeps.allSatisfy { abs($0 - 60) < 1e-9 }, "\(clock.sleeps)")
        task.cancel()
        let outcome = await task.value
        #expect(outcome.stopReason == .cancelled && outcome.results.count == 3)
    }
}

/// A clock whose time stands still; `sleep` records what it was asked and waits until cancelled.
private final class StoppedClock: RunClock {
    private let asked = Mutex<[Double]>([])

    var sleeps: [Double] { asked.withLock { $0 } }

    func now() -> Double { 1000 }

    func sleep(seconds: Double) async throws {
        asked.withLock { $0.append(seconds) }
        try await Task.sleep(nanoseconds: 3_600_000_000_000)
    }
}

/// Polls `condition` every 20 ms for up to `seconds`; fails the test when it never holds.
/// (A clean CI clone has shown the whole test process making no progress for 13 to 20 s at the
/// start of the run, hence the long default.)
func waitUntil(seconds: Double = 60, _ condition: () -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
        guard Date() < deadline else {
            Issue.record("condition not met within \(seconds) s")
            return
        }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
}
