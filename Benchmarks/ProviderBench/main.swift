// Provider throughput benchmark: the runner and the OpenAI wire format against a loopback server
// that answers every call after a fixed latency. Reports pairs/s, the ratio to the ideal
// (pairs x latency / concurrency) and the client's CPU time per pair.
//
//   swift run -c release provider-bench [pairs] [latency-ms] [concurrency...] [--repeat N] [--store]
//
// The server runs in a child process (this binary with `serve`), so the CPU figure is the
// client's own. CPU time per pair moves by 10-20% between runs on a shared machine; with
// `--repeat N` every concurrency runs N times and the row shows the median run (by CPU) with
// the lowest and highest CPU figure beside it. With `--store` every run goes through the run
// store as `rerank-eval run` does (each call recorded in SQLite, replies cached; a fresh store
// file per run), and the same run is then repeated from the cache (no calls made).
import Foundation
import RerankKit
import RerankTestSupport

var args = CommandLine.arguments
var repeats = 1
if let i = args.firstIndex(of: "--repeat"), i + 1 < args.count, let n = Int(args[i + 1]), n > 0 {
    repeats = n
    args.removeSubrange(i...(i + 1))
}
let throughStore = args.contains("--store")
args.removeAll { $0 == "--store" }
if args.count >= 2, args[1] == "serve" {
    let latency = Double(args[2])! / 1000
    let server = try FakeProviderServer { r, _ in .text("0.5", for: r, delay: latency) }
    FileHandle.standardOutput.write(Data("\(server.port)\n".utf8))
    while true { sleep(3600) }
}

let pairs = args.count > 1 ? Int(args[1])! : 2000
let latencyMS = args.count > 2 ? Double(args[2])! : 50
let concurrencies = args.count > 3 ? args[3...].map { Int($0)! } : [1, 16, 64]

// The server runs in a child process so its CPU is not counted as the client's; started through
// the product's spawner (clean signal state, no inherited descriptors).
let child = try await ChildProcess.start(ChildProcess.Command(URL(fileURLWithPath: args[0]).standardizedFileURL.path,
                                                              ["serve", String(latencyMS)], group: .own))
defer { child.signal(SIGTERM) }
var portLine = ""
for await line in child.lines where !line.isError {
    portLine = line.text + "\n"
    break
}
let port = Int(portLine.trimmingCharacters(in: .whitespacesAndNewlines))!

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

print("pairs \(pairs), server latency \(Int(latencyMS)) ms, OpenAI wire format over loopback HTTP" + (repeats > 1 ? ", median of \(repeats) runs" : "")
      + (throughStore ? ", through the run store" : ""))
print("concurrency  pairs  wall s  pairs/s  ideal s  ratio to ideal  client CPU ms/pair" + (repeats > 1 ? "  (min-max)" : "")
      + (throughStore ? "  cached re-run: wall s, CPU ms/pair" : ""))

struct Measurement {
    var ok: Int
    var wall: Double
    var cpuPerPair: Double
    /// With --store: the same run again, answered from the cache.
    var cachedWall: Double?
    var cachedCPUPerPair: Double?
}

func measure(concurrency: Int, pairs n: Int) async throws -> Measurement {
    let perQuery = 20
    let dataset = Fixtures.dataset(queries: n / perQuery, candidates: perQuery)
    let settings = RunSettings(provider: "vllm", model: "bench", concurrency: concurrency, retry: RetryPolicy(maxRetries: 0), timeout: 30)
    let endpoint = ProviderEndpoint(preset: ProviderPreset.named("vllm")!, baseURL: "http://127.0.0.1:\(port)/v1")
    let provider = OpenAIChatProvider(endpoint: endpoint)
    let plan = try RunPlan(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
    let runner = RerankRunner(provider: provider, settings: settings)
    guard throughStore else {
        let cpu0 = cpuSeconds()
        let start = Date()
        let outcome = await runner.run(plan, dataset: dataset)
        let wall = Date().timeIntervalSince(start)
        let cpu = cpuSeconds() - cpu0
        return Measurement(ok: outcome.results.filter { !$0.failed }.count, wall: wall, cpuPerPair: cpu / Double(n) * 1000)
    }
    let store = try RunStore(path: (Fixtures.temporaryDirectory() as NSString).appendingPathComponent("bench.sqlite"))
    let recorded = RecordedRunner(runner: runner, store: store)
    let resolved = ResolvedRun(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings,
                               provider: .endpoint(endpoint, model: settings.model, local: nil), plan: plan)
    func timed() async throws -> (RecordedRunner.Outcome, wall: Double, cpu: Double) {
        let cpu0 = cpuSeconds()
        let start = Date()
        let (outcome, _) = try await recorded.run(resolved)
        return (outcome, Date().timeIntervalSince(start), cpuSeconds() - cpu0)
    }
    let first = try await timed()
    let again = try await timed()
    precondition(again.0.calledNow == 0, "the re-run made calls")
    return Measurement(ok: first.0.outcome.results.filter { !$0.failed }.count, wall: first.wall, cpuPerPair: first.cpu / Double(n) * 1000,
                       cachedWall: again.wall, cachedCPUPerPair: again.cpu / Double(n) * 1000)
}

for concurrency in concurrencies {
    let n = concurrency == 1 ? min(pairs, 200) : pairs
    var runs: [Measurement] = []
    for _ in 0..<repeats { runs.append(try await measure(concurrency: concurrency, pairs: n)) }
    runs.sort { $0.cpuPerPair < $1.cpuPerPair }
    let m = runs[runs.count / 2]
    let ideal = Double(n) * latencyMS / 1000 / Double(concurrency)
    var row = [String(concurrency), String(m.ok), m.wall.formatted(decimals: 2), (Double(m.ok) / m.wall).formatted(decimals: 1),
               ideal.formatted(decimals: 2), (ideal / m.wall).formatted(decimals: 3), m.cpuPerPair.formatted(decimals: 3)]
    if repeats > 1 { row.append("\(runs.first!.cpuPerPair.formatted(decimals: 3))-\(runs.last!.cpuPerPair.formatted(decimals: 3))") }
    if let w = m.cachedWall, let c = m.cachedCPUPerPair { row += [w.formatted(decimals: 2), c.formatted(decimals: 3)] }
    print(row.map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined(separator: "  "))
}
