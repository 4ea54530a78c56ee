// Workbench responsiveness benchmark (issue 18, part 7): the pure UI layer's cost per frame.
//
//   swift build -c release --product workbench-bench
//   .build/release/workbench-bench [DATASET] [--frames N]
//
// 1. Frame: `WorkbenchView.render` of a finished run at 200x60 (the largest screen we design
//    for), median and 95th percentile over N frames, moving the selection each frame so no
//    frame repeats the last.
// 2. Key during a run: what the UI loop does between a key press and the frame that answers
//    it while a run streams in: apply the results that arrived since the last frame (a 16 ms
//    frame's worth at 300 calls/s, the provider benchmark's rate at concurrency 16), rebuild
//    the live report, handle the key, render. Median, 95th percentile and worst over the run.
//
// Terminal output (ncurses' diff and write) is not in these figures: it depends on the
// terminal, and ncurses sends only changed cells. Each figure is also given as a share of
// its target (2 ms a frame, 50 ms a key), so a slower machine shows as a ratio.
import Foundation
import RerankKit
import RerankTestSupport
import WorkbenchUI

var args = Array(CommandLine.arguments.dropFirst())
var frames = 500
if let i = args.firstIndex(of: "--frames"), i + 1 < args.count, let n = Int(args[i + 1]) {
    frames = n
    args.removeSubrange(i...(i + 1))
}
let path = args.first ?? Fixtures.repoPath("Datasets/personal-memories.jsonl")
let dataset = try DatasetLoader().load(path: path)
let clock = SystemRunClock()

func lexicalResults(_ state: WorkbenchState) async throws -> [PairResult] {
    let data = state.dataset!
    let plan = try RunPlan(dataset: data, prompt: state.currentPrompt, settings: state.settings)
    return await RerankRunner(provider: LexicalProvider(dataset: data), settings: state.settings).run(plan, dataset: data).results
}

func freshState() -> WorkbenchState {
    var state = WorkbenchState(width: 200, height: 60, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
    _ = WorkbenchReducer.reduce(&state, .datasetLoaded(dataset))
    return state
}

func percentile(_ v: [Double], _ p: Double) -> Double {
    let s = v.sorted()
    return s[min(s.count - 1, Int(Double(s.count - 1) * p))]
}

func line(_ name: String, _ samples: [Double], target: Double) {
    let median = percentile(samples, 0.5), p95 = percentile(samples, 0.95), worst = samples.max()!
    print(String(format: "%-34@ median %7.3f ms  p95 %7.3f ms  worst %7.3f ms  median/target %.3f  (target %.0f ms)",
                 name as NSString, median * 1000, p95 * 1000, worst * 1000, median / target, target * 1000))
}

let pairs = dataset.candidateCount
print("dataset \(path): \(dataset.queries.count) queries, \(pairs) pairs; screen 200x60")

// 1. Frames of a finished run.
var ran = freshState()
let results = try await lexicalResults(ran)
_ = WorkbenchReducer.reduce(&ran, .key(.char("r")))
_ = WorkbenchReducer.reduce(&ran, .runStarted(total: results.count, now: 0))
_ = WorkbenchReducer.reduce(&ran, .runProgress(results, retries: 0, lastError: nil))
_ = WorkbenchReducer.reduce(&ran, .runFinished(stopReason: nil, elapsed: 1))
_ = WorkbenchReducer.reduce(&ran, .key(.tab))
var frameTimes: [Double] = []
for i in 0..<frames {
    _ = WorkbenchReducer.reduce(&ran, .key(.char(i % 20 < 10 ? "j" : "k")))
    let t0 = clock.now()
    let grid = WorkbenchView.render(ran)
    frameTimes.append(clock.now() - t0)
    precondition(grid.width == 200)
}
line("frame (finished run)", frameTimes, target: 0.002)

// 2. Keys while a run streams in.
var live = freshState()
_ = WorkbenchReducer.reduce(&live, .key(.char("r")))
_ = WorkbenchReducer.reduce(&live, .runStarted(total: results.count, now: 0))
let perFrame = 5  // 300 calls/s x 16 ms
var keyTimes: [Double] = []
var i = 0
while i < results.count {
    let batch = Array(results[i..<min(results.count, i + perFrame)])
    i += perFrame
    let t0 = clock.now()
    _ = WorkbenchReducer.reduce(&live, .runProgress(batch, retries: 0, lastError: nil))
    _ = WorkbenchReducer.reduce(&live, .key(.char(i % 20 < 10 ? "j" : "k")))
    _ = WorkbenchReducer.reduce(&live, .tick(now: Double(i) / 300))
    _ = WorkbenchView.render(live)
    keyTimes.append(clock.now() - t0)
}
line("key answered during a run", keyTimes, target: 0.050)
print("(\(keyTimes.count) frames of \(perFrame) results each; the last frames rebuild a report of \(results.count) pairs)")
