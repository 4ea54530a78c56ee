// Provider throughput benchmark: the runner and the OpenAI wire format against a loopback server
// that answers every call after a fixed latency. Reports pairs/s, the ratio to the ideal
// (pairs x latency / concurrency) and the client's CPU time per pair.
//
//   swift run -c release provider-bench [pairs] [latency-ms] [concurrency...]
//
// The server runs in a child process (this binary with `serve`), so the CPU figure is the
// client's own.
import Foundation
import RerankKit
import RerankTestSupport

let args = CommandLine.arguments
if args.count >= 2, args[1] == "serve" {
    let latency = Double(args[2])! / 1000
    let server = try FakeProviderServer { r, _ in .text("0.5", for: r, delay: latency) }
    FileHandle.standardOutput.write(Data("\(server.port)\n".utf8))
    while true { sleep(3600) }
}

let pairs = args.count > 1 ? Int(args[1])! : 2000
let latencyMS = args.count > 2 ? Double(args[2])! : 50
let concurrencies = args.count > 3 ? args[3...].map { Int($0)! } : [1, 16, 64]

let child = Process()
child.executableURL = URL(fileURLWithPath: args[0]).standardizedFileURL
child.arguments = ["serve", String(latencyMS)]
let pipe = Pipe()
child.standardOutput = pipe
try child.run()
defer { child.terminate() }
var portLine = ""
while !portLine.hasSuffix("\n") {
    let d = pipe.fileHandleForReading.availableData
    if d.isEmpty { break }
    portLine += String(decoding: d, as: UTF8.self)
}
let port = Int(portLine.trimmingCharacters(in: .whitespacesAndNewlines))!

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

print("pairs \(pairs), server latency \(Int(latencyMS)) ms, OpenAI wire format over loopback HTTP")
print("concurrency  pairs  wall s  pairs/s  ideal s  ratio to ideal  client CPU ms/pair")
for concurrency in concurrencies {
    let n = concurrency == 1 ? min(pairs, 200) : pairs
    let perQuery = 20
    let dataset = Fixtures.dataset(queries: n / perQuery, candidates: perQuery)
    let settings = RunSettings(provider: "vllm", model: "bench", concurrency: concurrency, retry: RetryPolicy(maxRetries: 0), timeout: 30)
    let endpoint = ProviderEndpoint(preset: ProviderPreset.named("vllm")!, baseURL: "http://127.0.0.1:\(port)/v1")
    let provider = OpenAIChatProvider(endpoint: endpoint)
    let plan = try RunPlan(dataset: dataset, prompt: BuiltinPrompts.mem0SystemPrompt, settings: settings)
    let cpu0 = cpuSeconds()
    let start = Date()
    let outcome = await RerankRunner(provider: provider, settings: settings).run(plan, dataset: dataset)
    let wall = Date().timeIntervalSince(start)
    let cpu = cpuSeconds() - cpu0
    let ok = outcome.results.filter { !$0.failed }.count
    let ideal = Double(n) * latencyMS / 1000 / Double(concurrency)
    let row = [String(concurrency), String(ok), wall.formatted(decimals: 2), (Double(ok) / wall).formatted(decimals: 1),
               ideal.formatted(decimals: 2), (ideal / wall).formatted(decimals: 3), (cpu / Double(n) * 1000).formatted(decimals: 3)]
    print(row.map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined(separator: "  "))
}
