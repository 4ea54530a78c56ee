// Workbench responsiveness benchmark (issue 18 part 7, issue 16 part 5): the pure UI layer's
// cost per frame, and what opening a large file costs before its first full screen.
//
//   swift build -c release --product workbench-bench
//   .build/release/workbench-bench [DATASET] [--frames N] [--keys N]
//
// 0. Opening: the loading screen's first frame (drawn before the file is read), reading the
//    file (`DatasetLoader`, on a background task in the workbench), then the reducer taking the
//    dataset and the first full frame: its queries listed, their metrics being measured. Start
//    to first full screen is the sum of the last three. Then the metrics: measuring the report
//    of no results the reducer asked for (`Effect.measureUnrun`, in the background), the reducer
//    taking it and the frame that shows them; start to metrics on screen is the sum of all.
// 1. Frame: `WorkbenchView.render` of a finished run at 200x60 (the largest screen we design
//    for), median and 95th percentile over N frames, moving the selection each frame so no
//    frame repeats the last. Also the keys that start a run (r) and the frame that ends it.
// 2. Key during a run: what the UI loop does between a key press and the frame that answers
//    it while a run streams in: apply the results that arrived since the last frame, update
//    the live report, handle the key, render. Median, 95th percentile and worst. Two rates:
//    5 results a frame (a 16 ms frame at 300 calls/s, the provider benchmark's rate at
//    concurrency 16) and 5,000 (the lexical baseline's rate on a large file). On a large file
//    at most --keys frames (default 1000) are timed, spread over the run; the results between
//    them are applied untimed.
//
// Terminal output (ncurses' diff and write) is not in these figures: it depends on the
// terminal, and ncurses sends only changed cells. Each figure is also given as a share of
// its target (2 ms a frame, 50 ms a key, 2 s to the first full screen), so a slower machine
// shows as a ratio.
import Foundation
import RerankKit
import RerankTestSupport
import WorkbenchUI

var args = Array(CommandLine.arguments.dropFirst())
func intOption(_ name: String, default value: Int, from args: inout [String]) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let n = Int(args[i + 1]) else { return value }
    args.removeSubrange(i...(i + 1))
    return n
}
let frames = intOption("--frames", default: 500, from: &args)
let timedKeys = intOption("--keys", default: 1000, from: &args)
let path = args.first ?? Fixtures.repoPath("Datasets/personal-memories.jsonl")
let clock = SystemRunClock()

// 0. Opening the file.
var loadingState = WorkbenchState(width: 200, height: 60, prompt: BuiltinPrompts.mem0SystemPrompt, settings: RunSettings())
let loadingStart = clock.now()
_ = WorkbenchReducer.reduce(&loadingState, .datasetLoading(DatasetLoading(path: path, bytes: nil, startedAt: 0)))
let loadingScreen = WorkbenchView.render(loadingState)
let loadingFrame = clock.now() - loadingStart
precondition(loadingScreen.text.contains("Its queries appear here"))
let readStart = clock.now()
let dataset = try DatasetLoader().load(path: path)
let readTime = clock.now() - readStart

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
    print(name.padding(toLength: 34, withPad: " ", startingAt: 0)
          + String(format: " median %7.3f ms  p95 %7.3f ms  worst %7.3f ms  median/target %.3f  (target %.0f ms)",
                   median * 1000, p95 * 1000, worst * 1000, median / target, target * 1000))
}

let pairs = dataset.candidateCount
print("dataset \(path): \(dataset.queries.count) queries, \(pairs) pairs; screen 200x60")

func once(_ name: String, _ seconds: Double, target: Double) {
    print(name.padding(toLength: 34, withPad: " ", startingAt: 0)
          + String(format: " %9.1f ms  /target %.3f  (target %.0f ms)", seconds * 1000, seconds / target, target * 1000))
}
let takeStart = clock.now()
var opened = loadingState
let openingEffects = WorkbenchReducer.reduce(&opened, .datasetRead(dataset))
let takeTime = clock.now() - takeStart
let firstStart = clock.now()
let firstScreen = WorkbenchView.render(opened)
let firstFrame = clock.now() - firstStart
// The first full screen lists the queries and says their metrics are being measured.
precondition(firstScreen.text.contains(dataset.queries[0].id) && firstScreen.text.contains("being measured"))
let firstScreenTime = readTime + takeTime + firstFrame
once("loading screen, first frame", loadingFrame, target: 0.002)
once("read the file (background)", readTime, target: 2)
once("reducer takes the dataset", takeTime, target: 2)
once("first full frame (queries listed)", firstFrame, target: 0.002)
once("start to first full screen", firstScreenTime, target: 2)

// Then the metrics, measured in the background as the reducer asked.
guard case let .measureUnrun(builder, ticket)? = openingEffects.first(where: { if case .measureUnrun = $0 { return true } else { return false } }) else {
    fatalError("the reducer asked for no measuring")
}
let prepareStart = clock.now()
let unrun = LiveReport(builder: builder)
let prepareTime = clock.now() - prepareStart
let measuredStart = clock.now()
_ = WorkbenchReducer.reduce(&opened, .unrunMeasured(unrun, ticket: ticket))
let measuredTake = clock.now() - measuredStart
let metricsStart = clock.now()
let metricsScreen = WorkbenchView.render(opened)
let metricsFrame = clock.now() - metricsStart
precondition(opened.report != nil && !metricsScreen.text.contains("being measured"))
once("unrun report (background)", prepareTime, target: 2)
once("reducer takes it", measuredTake, target: 0.050)
once("frame with the metrics", metricsFrame, target: 0.002)
// (No target of its own: the screen answers keys and lists the queries meanwhile.)
print("start to metrics on screen".padding(toLength: 34, withPad: " ", startingAt: 0)
      + String(format: " %9.1f ms", (firstScreenTime + prepareTime + measuredTake + metricsFrame) * 1000))

// 1. Frames of a finished run.
var ran = freshState()
let results = try await lexicalResults(ran)
let startKey = clock.now()
_ = WorkbenchReducer.reduce(&ran, .key(.char("r")))
_ = WorkbenchView.render(ran)
let startTime = clock.now() - startKey
_ = WorkbenchReducer.reduce(&ran, .runStarted(total: results.count, now: 0))
_ = WorkbenchReducer.reduce(&ran, .runProgress(results, retries: 0, lastError: nil))
let finishStart = clock.now()
_ = WorkbenchReducer.reduce(&ran, .runFinished(stopReason: nil, elapsed: 1))
_ = WorkbenchView.render(ran)
let finishTime = clock.now() - finishStart
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

once("key r (a run starts)", startTime, target: 0.050)
once("frame that ends the run", finishTime, target: 0.050)

// 2. Keys while a run streams in.
func keysDuringRun(perFrame: Int) -> [Double] {
    var live = freshState()
    _ = WorkbenchReducer.reduce(&live, .key(.char("r")))
    _ = WorkbenchReducer.reduce(&live, .runStarted(total: results.count, now: 0))
    // Results between two timed frames: every frame's on a small file.
    let step = max(perFrame, results.count / max(1, timedKeys))
    var times: [Double] = []
    var i = 0
    while i < results.count {
        let untimed = min(results.count, i + step - perFrame)
        if untimed > i {
            _ = WorkbenchReducer.reduce(&live, .runProgress(Array(results[i..<untimed]), retries: 0, lastError: nil))
            i = untimed
        }
        let batch = Array(results[i..<min(results.count, i + perFrame)])
        i += perFrame
        let t0 = clock.now()
        _ = WorkbenchReducer.reduce(&live, .runProgress(batch, retries: 0, lastError: nil))
        _ = WorkbenchReducer.reduce(&live, .key(.char(times.count % 20 < 10 ? "j" : "k")))
        _ = WorkbenchReducer.reduce(&live, .tick(now: Double(i) / 300))
        _ = WorkbenchView.render(live)
        times.append(clock.now() - t0)
    }
    return times
}
for perFrame in [5, 5_000] where perFrame == 5 || pairs >= 100_000 {
    let keyTimes = keysDuringRun(perFrame: perFrame)
    line("key during a run, \(perFrame)/frame", keyTimes, target: 0.050)
    print("(\(keyTimes.count) timed frames of \(perFrame) results each over a run of \(results.count) pairs)")
}
